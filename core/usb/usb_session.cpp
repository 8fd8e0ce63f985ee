#include "usb/usb_session.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "usb/policy.hpp"

namespace dfx::usb {
namespace {

tl::unexpected<UsbError> usb_fail(dfx_status st, std::string message) {
  return tl::unexpected(UsbError{st, std::move(message)});
}

tl::unexpected<UsbError> libusb_fail(int r, const std::string& what) {
  return usb_fail(to_status(r), what + ": " + describe_error(r));
}

bool g_open_by_node = false;

}  // namespace

void UsbSession::open_by_node_only() {
  libusb_set_option(nullptr, LIBUSB_OPTION_NO_DEVICE_DISCOVERY);
  g_open_by_node = true;
}

UsbSession::UsbSession(DeviceFacts facts, TraceFn trace)
    : facts_(std::move(facts)), trace_(std::move(trace)) {}

UsbSession::~UsbSession() {
  if (handle_)
    for (uint8_t itf : claimed_) libusb_release_interface(handle_.get(), itf);
  handle_.reset();  // before the context goes
  ctx_.reset();
  if (node_fd_ >= 0) ::close(node_fd_);
}

UsbResult<libusb_device_handle*> UsbSession::handle() {
  if (handle_) return handle_.get();
  if (open_error_) return tl::unexpected(*open_error_);
  if (!ctx_) {
    auto ctx = open_context();
    if (!ctx) return usb_fail(DFX_ERR_NO_DEVICE, ctx.error().message);
    ctx_ = std::move(*ctx);
  }
  return g_open_by_node ? open_node() : open_enumerated();
}

void UsbSession::open_now() {
  if (handle_ || open_error_) return;
  if (auto h = handle(); !h) open_error_ = h.error();
}

// The worker's way: one open() of the node the host named, no scan of the whole bus (which costs
// a sysfs walk per worker, noticeable with 64 phones on a bench), then the same VID/PID check.
UsbResult<libusb_device_handle*> UsbSession::open_node() {
  char node[40];
  std::snprintf(node, sizeof node, "/dev/bus/usb/%03u/%03u", facts_.bus, facts_.address);
  node_fd_ = ::open(node, O_RDWR | O_CLOEXEC);
  if (node_fd_ < 0)
    return usb_fail(errno == ENOENT || errno == ENODEV ? DFX_ERR_NO_DEVICE : DFX_ERR_BUSY,
                    std::string("opening ") + node + ": " + std::strerror(errno));
  libusb_device_handle* raw = nullptr;
  if (const int r = libusb_wrap_sys_device(ctx_.get(), node_fd_, &raw); r != 0)
    return libusb_fail(r, std::string("opening ") + node);
  handle_.reset(raw);
  libusb_device_descriptor dd{};
  libusb_get_device_descriptor(libusb_get_device(raw), &dd);
  if (dd.idVendor != facts_.vendor_id || dd.idProduct != facts_.product_id ||
      dd.bcdDevice != facts_.bcd_device) {
    handle_.reset();
    return usb_fail(DFX_ERR_NO_DEVICE, std::string(node) + " is now " + hex(dd.idVendor, 4) + ":" +
                                           hex(dd.idProduct, 4) + ", not " + facts_.usb_id() +
                                           " (replugged?)");
  }
  return raw;
}

UsbResult<libusb_device_handle*> UsbSession::open_enumerated() {
  libusb_device** list = nullptr;
  const ssize_t n = libusb_get_device_list(ctx_.get(), &list);
  if (n < 0) return libusb_fail(static_cast<int>(n), "listing USB devices");
  libusb_device* found = nullptr;
  for (ssize_t i = 0; i < n && !found; ++i) {
    uint8_t ports[8];
    const int depth = libusb_get_port_numbers(list[i], ports, sizeof ports);
    if (libusb_get_bus_number(list[i]) != facts_.bus) continue;
    const bool same_port = depth > 0
                               ? std::vector<uint8_t>(ports, ports + depth) == facts_.port_path
                               : libusb_get_device_address(list[i]) == facts_.address;
    if (same_port) found = list[i];
  }
  int r = LIBUSB_ERROR_NO_DEVICE;
  libusb_device_handle* raw = nullptr;
  std::string mismatch;
  if (found) {
    libusb_device_descriptor dd{};
    libusb_get_device_descriptor(found, &dd);
    if (dd.idVendor != facts_.vendor_id || dd.idProduct != facts_.product_id)
      mismatch = "the device at " + facts_.location() + " is now " + hex(dd.idVendor, 4) + ":" +
                 hex(dd.idProduct, 4) + ", not " + facts_.usb_id() + " (replugged?)";
    else
      r = libusb_open(found, &raw);
  }
  libusb_free_device_list(list, 1);
  if (!mismatch.empty()) return usb_fail(DFX_ERR_NO_DEVICE, mismatch);
  if (r != 0) return libusb_fail(r, "opening " + facts_.usb_id() + " at " + facts_.location());
  handle_.reset(raw);
  return raw;
}

void UsbSession::restrict_to(Surface surface) {
  surface_.emplace(std::move(surface), facts_);
}

UsbResult<void> UsbSession::claim_interface(uint8_t number) {
  if (surface_)
    if (auto why = surface_->refuse_claim(number)) return usb_fail(DFX_ERR_DENIED, *why);
  auto h = handle();
  if (!h) return tl::unexpected(h.error());
  if (const int r = libusb_claim_interface(*h, number); r != 0)
    return libusb_fail(r, "claiming interface " + std::to_string(number));
  claimed_.insert(number);
  if (trace_) trace_("claim interface " + std::to_string(number));
  return {};
}

UsbResult<uint8_t> UsbSession::select_configuration(uint8_t value) {
  auto h = handle();
  if (!h) return tl::unexpected(h.error());
  libusb_device* dev = libusb_get_device(*h);
  libusb_config_descriptor* cfg = nullptr;
  if (const int r = libusb_get_config_descriptor_by_value(dev, value, &cfg); r != 0)
    return libusb_fail(r, "the device has no configuration " + std::to_string(value));
  std::vector<InterfaceFacts> interfaces = interface_facts(*cfg);
  libusb_free_config_descriptor(cfg);
  if (!surface_)
    return usb_fail(DFX_ERR_DENIED, "refused: configuration " + std::to_string(value) +
                                        ": no declared surface applies to this session");
  if (auto why = surface_->refuse_configuration(value, interfaces))
    return usb_fail(DFX_ERR_DENIED, *why);
  int active = 0;
  if (const int r = libusb_get_configuration(*h, &active); r != 0)
    return libusb_fail(r, "reading the active configuration");
  if (active == value) return value;
  for (const uint8_t n : std::set<uint8_t>(claimed_)) (void)release_interface(n);
  // No kernel driver is detached: one bound to the device (ipheth, a camera import program)
  // makes this fail with BUSY, which is reported rather than taken from its owner.
  if (const int r = libusb_set_configuration(*h, value); r != 0)
    return libusb_fail(
        r, "SET_CONFIGURATION " + std::to_string(value) + " (was " + std::to_string(active) + ")");
  facts_.interfaces = interfaces;
  surface_->set_interfaces(std::move(interfaces));
  if (trace_)
    trace_("SET_CONFIGURATION " + std::to_string(value) + " (was " + std::to_string(active) + ")");
  return static_cast<uint8_t>(active);
}

UsbResult<void> UsbSession::release_interface(uint8_t number) {
  auto h = handle();
  if (!h) return tl::unexpected(h.error());
  if (const int r = libusb_release_interface(*h, number); r != 0)
    return libusb_fail(r, "releasing interface " + std::to_string(number));
  claimed_.erase(number);
  return {};
}

UsbResult<uint32_t> UsbSession::control(uint8_t type, uint8_t request, uint16_t value,
                                        uint16_t index, uint8_t* data, uint16_t length,
                                        uint32_t timeout_ms) {
  if (auto why = refuse_control_request(type, request)) return usb_fail(DFX_ERR_DENIED, *why);
  if (surface_)
    if (auto why = surface_->refuse_control(type, request, index))
      return usb_fail(DFX_ERR_DENIED, *why);
  if (length > 0 && data == nullptr)
    return usb_fail(DFX_ERR_INVALID_ARGUMENT, "control transfer with no buffer");
  auto h = handle();
  if (!h) return tl::unexpected(h.error());
  const int r = libusb_control_transfer(*h, type, request, value, index, data, length, timeout_ms);
  if (trace_)
    trace_("control type=" + hex(type, 2) + " req=" + hex(request, 2) + " value=" + hex(value, 4) +
           " index=" + hex(index, 4) + " len=" + std::to_string(length) + " -> " +
           std::to_string(r));
  if (r < 0) return libusb_fail(r, "control request " + hex(request, 2));
  return static_cast<uint32_t>(r);
}

UsbResult<uint32_t> UsbSession::bulk(uint8_t ep, uint8_t* data, uint32_t length,
                                     uint32_t timeout_ms) {
  if (length > 0 && data == nullptr)
    return usb_fail(DFX_ERR_INVALID_ARGUMENT, "bulk transfer with no buffer");
  if (length > (1u << 24)) return usb_fail(DFX_ERR_INVALID_ARGUMENT, "bulk transfer over 16 MiB");
  if (surface_)
    if (auto why = surface_->refuse_transfer(ep, claimed_)) return usb_fail(DFX_ERR_DENIED, *why);
  auto h = handle();
  if (!h) return tl::unexpected(h.error());
  int done = 0;
  const int r = libusb_bulk_transfer(*h, ep, data, static_cast<int>(length), &done, timeout_ms);
  if (trace_)
    trace_("bulk ep=" + hex(ep, 2) + " len=" + std::to_string(length) + " -> " + std::to_string(r) +
           "/" + std::to_string(done));
  if (r != 0) return libusb_fail(r, "bulk transfer on endpoint " + hex(ep, 2));
  return static_cast<uint32_t>(done);
}

UsbResult<uint32_t> UsbSession::interrupt(uint8_t ep, uint8_t* data, uint32_t length,
                                          uint32_t timeout_ms) {
  if (length > 0 && data == nullptr)
    return usb_fail(DFX_ERR_INVALID_ARGUMENT, "interrupt transfer with no buffer");
  if (length > (1u << 16))
    return usb_fail(DFX_ERR_INVALID_ARGUMENT, "interrupt transfer over 64 KiB");
  if (surface_)
    if (auto why = surface_->refuse_transfer(ep, claimed_)) return usb_fail(DFX_ERR_DENIED, *why);
  auto h = handle();
  if (!h) return tl::unexpected(h.error());
  int done = 0;
  const int r =
      libusb_interrupt_transfer(*h, ep, data, static_cast<int>(length), &done, timeout_ms);
  if (trace_)
    trace_("interrupt ep=" + hex(ep, 2) + " len=" + std::to_string(length) + " -> " +
           std::to_string(r));
  if (r != 0) return libusb_fail(r, "interrupt transfer on endpoint " + hex(ep, 2));
  return static_cast<uint32_t>(done);
}

UsbResult<std::string> UsbSession::string_descriptor(uint8_t index, uint32_t timeout_ms) {
  auto h = handle();
  if (!h) return tl::unexpected(h.error());
  auto s = read_string(*h, index, timeout_ms);
  if (!s) return usb_fail(DFX_ERR_IO, s.error().message);
  return *s;
}

}  // namespace dfx::usb
