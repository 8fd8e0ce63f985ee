// Helpers for GoogleTest tests that drive virtual devices with libusb from the
// test process (the kit's own tests, emulator tests, handset checks): a fresh
// testbed per test (KitTest), libusb RAII, device lookup, and a small phone-like
// device description. Link libusb-1.0 (pkg-config libusb-1.0) and
// dfx::testing_main; register with dfx_testing_add_gtests().
#pragma once

#include <gtest/gtest.h>
#include <libusb.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dfx/testing/testing.hpp"

namespace dfx::testing::test {

/// A libusb context; create it after the Testbed, destroy it before.
class UsbContext {
 public:
  UsbContext() { init_result_ = libusb_init(&ctx_); }
  ~UsbContext() {
    if (ctx_) libusb_exit(ctx_);
  }
  UsbContext(const UsbContext&) = delete;
  UsbContext& operator=(const UsbContext&) = delete;
  libusb_context* get() const { return ctx_; }
  int init_result() const { return init_result_; }

 private:
  libusb_context* ctx_ = nullptr;
  int init_result_ = 0;
};

/// An open device handle.
class UsbHandle {
 public:
  UsbHandle() = default;
  explicit UsbHandle(libusb_device_handle* h) : h_(h) {}
  ~UsbHandle() { reset(); }
  UsbHandle(UsbHandle&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  UsbHandle& operator=(UsbHandle&& o) noexcept {
    reset();
    h_ = std::exchange(o.h_, nullptr);
    return *this;
  }
  void reset() {
    if (h_) libusb_close(h_);
    h_ = nullptr;
  }
  libusb_device_handle* get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }

 private:
  libusb_device_handle* h_ = nullptr;
};

/// The first device with this VID:PID (a new reference), or null.
inline libusb_device* find_device(libusb_context* ctx, std::uint16_t vid, std::uint16_t pid) {
  libusb_device** list = nullptr;
  const ssize_t n = libusb_get_device_list(ctx, &list);
  libusb_device* found = nullptr;
  for (ssize_t i = 0; i < n && !found; ++i) {
    libusb_device_descriptor d{};
    if (libusb_get_device_descriptor(list[i], &d) == 0 && d.idVendor == vid && d.idProduct == pid)
      found = libusb_ref_device(list[i]);
  }
  if (list) libusb_free_device_list(list, 1);
  return found;
}

/// Opens the first device with this VID:PID.
inline UsbHandle open_device(libusb_context* ctx, std::uint16_t vid, std::uint16_t pid) {
  libusb_device* dev = find_device(ctx, vid, pid);
  if (!dev) return {};
  libusb_device_handle* h = nullptr;
  const int r = libusb_open(dev, &h);
  libusb_unref_device(dev);
  return r == 0 ? UsbHandle(h) : UsbHandle();
}

/// ASCII string descriptor through libusb (control transfers to the device).
inline std::string read_string(libusb_device_handle* h, std::uint8_t index) {
  unsigned char buf[256] = {};
  const int n = libusb_get_string_descriptor_ascii(h, index, buf, sizeof buf);
  return n < 0 ? std::string("<error ") + libusb_error_name(n) + ">"
               : std::string(reinterpret_cast<char*>(buf), n);
}

/// Runs libusb's event loop until `done` or the deadline.
template <typename Pred>
bool pump_until(libusb_context* ctx, Pred done,
                std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    timeval tv{0, 10000};
    libusb_handle_events_timeout_completed(ctx, &tv, nullptr);
  }
  return true;
}

/// A phone-like device: interface 0 vendor ff/42/01 (bulk 0x81 IN, 0x01 OUT),
/// interface 1 with an interrupt IN 0x83 and OUT 0x03.
inline UsbDeviceSpec sample_spec() {
  UsbDeviceSpec s;
  s.vendor_id = 0x1209;  // pid.codes test VID
  s.product_id = 0x0001;
  s.bcd_usb = 0x0200;
  s.bcd_device = 0x0123;
  s.manufacturer = "dfx test";
  s.product = "Virtual Phone";
  s.serial = "VIRT0001";
  ConfigurationSpec c;
  c.value = 1;
  c.name = "default";
  c.attributes = 0x80;
  c.max_power_ma = 500;
  InterfaceSpec i0;
  i0.number = 0;
  AltSettingSpec a0;
  a0.interface_class = 0xFF;
  a0.interface_subclass = 0x42;
  a0.interface_protocol = 0x01;
  a0.name = "ADB Interface";
  a0.endpoints = {EndpointSpec{0x81, TransferType::bulk, 0, 512, 0, {}},
                  EndpointSpec{0x01, TransferType::bulk, 0, 512, 0, {}}};
  i0.alt_settings.push_back(a0);
  InterfaceSpec i1;
  i1.number = 1;
  AltSettingSpec a1;
  a1.interface_class = 0x03;
  a1.name = "Status";
  a1.endpoints = {EndpointSpec{0x83, TransferType::interrupt, 0, 64, 4, {}},
                  EndpointSpec{0x03, TransferType::interrupt, 0, 64, 4, {}}};
  i1.alt_settings.push_back(a1);
  c.interfaces = {i0, i1};
  s.configurations.push_back(c);
  return s;
}

/// Fixture: a fresh testbed per test, then a libusb context (destroyed first).
class KitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tb = Testbed::create();
    ASSERT_TRUE(tb) << tb.error();
    testbed = std::move(*tb);
    usb = std::make_unique<UsbContext>();
    ASSERT_EQ(usb->init_result(), 0);
  }
  void TearDown() override {
    handles.clear();
    usb.reset();
    testbed.reset();
  }
  VirtualUsbDevice* plug(const UsbDeviceSpec& spec, std::unique_ptr<UsbBehavior> behavior = nullptr,
                         PlugOptions options = {}) {
    auto d = testbed->plug(spec, std::move(behavior), std::move(options));
    EXPECT_TRUE(d) << d.error();
    return d ? *d : nullptr;
  }
  libusb_device_handle* open(const UsbDeviceSpec& spec) {
    handles.push_back(open_device(usb->get(), spec.vendor_id, spec.product_id));
    return handles.back().get();
  }

  std::unique_ptr<Testbed> testbed;
  std::unique_ptr<UsbContext> usb;
  std::vector<UsbHandle> handles;
};

inline Bytes bytes_of(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

}  // namespace dfx::testing::test
