// Plugging and unplugging at runtime produce libusb hotplug events.
#include <atomic>
#include <mutex>

#include <dfx/testing/libusb_test.hpp>

namespace dfx::testing::test {
namespace {

struct Events {
  std::mutex mu;
  std::vector<std::pair<libusb_hotplug_event, int>> seen;  // event, device address
  std::size_t count(libusb_hotplug_event e) {
    std::lock_guard lock(mu);
    return static_cast<std::size_t>(
        std::count_if(seen.begin(), seen.end(), [&](const auto& p) { return p.first == e; }));
  }
};

int LIBUSB_CALL on_hotplug(libusb_context*, libusb_device* dev, libusb_hotplug_event event,
                           void* user) {
  auto* events = static_cast<Events*>(user);
  std::lock_guard lock(events->mu);
  events->seen.emplace_back(event, libusb_get_device_address(dev));
  return 0;
}

class Hotplug : public KitTest {
 protected:
  void SetUp() override {
    KitTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG));
    ASSERT_EQ(libusb_hotplug_register_callback(
                  usb->get(),
                  static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                                    LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
                  LIBUSB_HOTPLUG_NO_FLAGS, 0x1209, 0x0001, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug,
                  &events, &handle),
              LIBUSB_SUCCESS);
  }
  void TearDown() override {
    if (usb && handle) libusb_hotplug_deregister_callback(usb->get(), handle);
    KitTest::TearDown();
  }
  Events events;
  libusb_hotplug_callback_handle handle = 0;
};

TEST_F(Hotplug, ArrivedAndLeft) {
  auto* device = plug(sample_spec());
  ASSERT_TRUE(device);
  ASSERT_TRUE(pump_until(usb->get(),
                         [&] { return events.count(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) == 1; }));
  ASSERT_TRUE(device->unplug());
  ASSERT_TRUE(
      pump_until(usb->get(), [&] { return events.count(LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT) == 1; }));
  std::lock_guard lock(events.mu);
  EXPECT_EQ(events.seen[0].second, device->devnum());
  EXPECT_EQ(events.seen[1].second, device->devnum());
}

TEST_F(Hotplug, ReplugGetsANewAddress) {
  auto* first = plug(sample_spec());
  ASSERT_TRUE(first);
  ASSERT_TRUE(pump_until(usb->get(),
                         [&] { return events.count(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) == 1; }));
  ASSERT_TRUE(first->unplug());
  ASSERT_TRUE(
      pump_until(usb->get(), [&] { return events.count(LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT) == 1; }));
  auto* second = plug(sample_spec(), nullptr, PlugOptions{Placement{1, 0, first->port_path()}, {}});
  ASSERT_TRUE(second);
  EXPECT_NE(second->devnum(),
            first->devnum());  // like the kernel: addresses are not reused at once
  ASSERT_TRUE(pump_until(usb->get(),
                         [&] { return events.count(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) == 2; }));
  auto h = open_device(usb->get(), 0x1209, 0x0001);
  ASSERT_TRUE(h);
  EXPECT_EQ(read_string(h.get(), 3), "VIRT0001");
}

TEST_F(Hotplug, TestbedDestructionUnplugsEverything) {
  ASSERT_TRUE(plug(sample_spec()));
  ASSERT_TRUE(pump_until(usb->get(),
                         [&] { return events.count(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) == 1; }));
  // Devices plugged now stay until the Testbed goes; nothing to do here but
  // leave: TearDown closes libusb first, then destroys the testbed, which
  // must not hang or complain.
}

}  // namespace
}  // namespace dfx::testing::test
