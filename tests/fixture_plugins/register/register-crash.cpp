// A register whose query crashes its process (SIGSEGV): it runs in a worker of its own, so only
// its answers are lost; the command and the other registers go on.
#include <dfx/plugin.hpp>

#include <csignal>

namespace {
struct CrashingRegister {
  dfx::sdk::Status open(dfx::sdk::RegisterHost&, std::string_view) {
    return dfx::sdk::Status::ok();
  }
  dfx::sdk::Status query(dfx::sdk::RegisterHost&, std::span<const dfx::sdk::Query>) {
    std::raise(SIGSEGV);
    return dfx::sdk::Status::ok();
  }
};
}  // namespace

DFX_REGISTER_PLUGIN(CrashingRegister)
