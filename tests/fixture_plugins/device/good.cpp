// A well-behaved plugin: claims the serial from the device facts, and its own start and end times
// (steady clock, microseconds) so that tests can see probes overlap. DFX_TEST_SLEEP_MS slows it.
#include <dfx/plugin.hpp>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace {
long long now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
struct Good {
  dfx::sdk::Status probe(dfx::sdk::Host& host, const dfx::sdk::Device& device) {
    host.claim("x_started_us", std::to_string(now_us()), "test clock");
    if (const char* ms = std::getenv("DFX_TEST_SLEEP_MS"))
      std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(ms)));
    host.log(DFX_LOG_INFO, "good plugin saw " + std::string(device.serial_number()));
    host.claim("serial", device.serial_number(), "test: device facts");
    host.claim("x_ended_us", std::to_string(now_us()), "test clock");
    return dfx::sdk::Status::ok();
  }
};
}  // namespace

DFX_DEVICE_PLUGIN(Good)
