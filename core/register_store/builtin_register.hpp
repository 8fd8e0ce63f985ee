// The built-in register backend: the local SQLite register served through the register plugin
// interface of the SDK (a dfx_plugin_info with register_ops, linked into dfx rather than loaded),
// so that the host asks it exactly as it asks a register plugin.
#pragma once

#include <dfx/plugin.h>

#include <string_view>

namespace dfx::register_store {

/// How a configuration names the built-in register backend: {"builtin": "sqlite"}.
inline constexpr const char* kBuiltinRegisterId = "sqlite";

/// Its static description; settings: {"path": "..."} (optional; default $DFX_REGISTER_DB, else
/// the XDG data folder). Accepts the kinds the store keeps (record.hpp, kStoredKinds).
const dfx_plugin_info& builtin_register_info();

}  // namespace dfx::register_store
