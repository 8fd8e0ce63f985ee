// A register whose queries never return and ignore should_stop: the host must give up on it at
// its timeout and carry on.
#include <dfx/plugin.hpp>

#include <chrono>
#include <thread>

namespace {
struct HangingRegister {
  dfx::sdk::Status open(dfx::sdk::RegisterHost&, std::string_view) {
    return dfx::sdk::Status::ok();
  }
  dfx::sdk::Status query(dfx::sdk::RegisterHost&, std::span<const dfx::sdk::Query>) {
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
  }
};
}  // namespace

DFX_REGISTER_PLUGIN(HangingRegister)
