#include "usb/hotplug.hpp"

namespace dfx::usb {

int HotplugMonitor::on_event(libusb_context*, libusb_device* device, libusb_hotplug_event event,
                             void* self) {
  auto* m = static_cast<HotplugMonitor*>(self);
  {
    std::lock_guard lock(m->mutex_);
    m->queue_.push_back({event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, libusb_ref_device(device)});
  }
  m->ready_.notify_one();
  return 0;  // stay registered
}

Result<std::unique_ptr<HotplugMonitor>> HotplugMonitor::start(DiscoveryOptions options) {
  if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG))
    return fail("this libusb has no hotplug support");
  auto ctx = open_context();
  if (!ctx) return tl::unexpected(ctx.error());
  std::unique_ptr<HotplugMonitor> m(new HotplugMonitor(options));
  m->ctx_ = std::move(*ctx);
  const int r = libusb_hotplug_register_callback(
      m->ctx_.get(),
      static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                        LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
      LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
      LIBUSB_HOTPLUG_MATCH_ANY, &HotplugMonitor::on_event, m.get(), &m->handle_);
  if (r != 0) return fail("cannot register for USB hotplug: " + describe_error(r));
  auto* raw = m.get();
  m->events_ = std::thread([raw] {
    timeval tv{0, 100000};  // wake up regularly to notice stop()
    while (true) {
      {
        std::lock_guard lock(raw->mutex_);
        if (raw->stopping_) return;
      }
      libusb_handle_events_timeout_completed(raw->ctx_.get(), &tv, nullptr);
    }
  });
  return m;
}

HotplugMonitor::~HotplugMonitor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (handle_) libusb_hotplug_deregister_callback(ctx_.get(), handle_);  // wakes the event thread
  if (events_.joinable()) events_.join();
  for (auto& p : queue_) libusb_unref_device(p.device);
}

std::optional<HotplugEvent> HotplugMonitor::next(std::chrono::milliseconds timeout) {
  Pending p{};
  {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, timeout, [&] { return !queue_.empty(); })) return std::nullopt;
    p = queue_.front();
    queue_.pop_front();
  }
  HotplugEvent e;
  e.arrived = p.arrived;
  if (p.arrived) {
    e.device = describe_device(p.device, options_);
  } else {
    // A departed device can no longer be opened; its cached descriptors still name it.
    e.device = descriptor_facts(p.device);
  }
  libusb_unref_device(p.device);
  return e;
}

}  // namespace dfx::usb
