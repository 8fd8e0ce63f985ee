// USB hotplug for the depot workflow: devices arriving and leaving, in the order the system saw
// them, described outside libusb's event thread (where no synchronous I/O is allowed).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "base/result.hpp"
#include "usb/device_facts.hpp"
#include "usb/discovery.hpp"
#include "usb/libusb_util.hpp"

namespace dfx::usb {

struct HotplugEvent {
  bool arrived = false;  ///< false: the device left
  DeviceFacts device;    ///< arrived: full facts; left: what libusb still knows (ids, location)
};

class HotplugMonitor {
 public:
  /// Starts watching. Devices already present are reported as arrivals first, in bus/port order.
  static Result<std::unique_ptr<HotplugMonitor>> start(DiscoveryOptions options = {});
  ~HotplugMonitor();
  HotplugMonitor(const HotplugMonitor&) = delete;
  HotplugMonitor& operator=(const HotplugMonitor&) = delete;

  /// The next event, waiting at most `timeout`; nullopt on timeout. Arrivals are described (strings
  /// read) here, on the caller's thread.
  std::optional<HotplugEvent> next(std::chrono::milliseconds timeout);

 private:
  struct Pending {
    bool arrived;
    libusb_device* device;  // referenced until described
  };
  explicit HotplugMonitor(DiscoveryOptions options) : options_(options) {}
  static int on_event(libusb_context*, libusb_device*, libusb_hotplug_event, void* self);

  DiscoveryOptions options_;
  ContextPtr ctx_;
  libusb_hotplug_callback_handle handle_ = 0;
  std::thread events_;
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Pending> queue_;
};

}  // namespace dfx::usb
