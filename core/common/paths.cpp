#include "common/paths.hpp"

#include <cstdlib>
#include <system_error>

namespace dfx {

std::filesystem::path executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::filesystem::current_path();
  return exe.parent_path();
}

std::filesystem::path probe_worker_path() {
  if (const char* env = std::getenv("DFX_PROBE"); env && *env) return env;
  return executable_dir() / "dfx-probe";
}

}  // namespace dfx
