// The argv and envp arrays posix_spawn wants, built before the spawn: the kit starts programs
// from test processes that run a testbed's threads, so nothing is prepared in the child.
// Used by run_program (harness.cpp) and ProcessGroup (process_group.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace dfx::testing::detail {

/// This process's environment with `overrides` set (replacing variables of the same name), as
/// "NAME=value" texts.
std::vector<std::string> environment_with(const std::map<std::string, std::string>& overrides);

/// Null-terminated pointers into `texts`, for posix_spawn's argv or envp. They stay valid as
/// long as `texts` is neither changed nor destroyed.
std::vector<char*> c_strings(std::vector<std::string>& texts);

}  // namespace dfx::testing::detail
