// The table of behaviour modules that ship with the kit (private).
#pragma once

#include <span>

#include "dfx/testing/behavior_registry.hpp"

namespace dfx::testing::detail {

/// Every built-in module, as data.
std::span<const BehaviorModule> builtin_behavior_modules();

}  // namespace dfx::testing::detail
