#include "usb/libusb_util.hpp"

#include <array>
#include <chrono>
#include <thread>

#include "usb/string_descriptor.hpp"

namespace dfx::usb {

Result<ContextPtr> open_context() {
  libusb_context* ctx = nullptr;
  int r = libusb_init(&ctx);
  // libusb_init reads sysfs; while devices come and go (a depot hub, or the virtual lab under
  // load) that can fail transiently. Two more tries cost nothing when it works.
  for (int attempt = 0; r == LIBUSB_ERROR_OTHER && attempt < 2; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    r = libusb_init(&ctx);
  }
  if (r != 0) return fail("cannot initialise libusb: " + describe_error(r));
  return ContextPtr(ctx);
}

dfx_status to_status(int e) {
  switch (e) {
    case LIBUSB_SUCCESS:
      return DFX_OK;
    case LIBUSB_ERROR_TIMEOUT:
      return DFX_ERR_TIMEOUT;
    case LIBUSB_ERROR_NO_DEVICE:
    case LIBUSB_ERROR_NOT_FOUND:
      return DFX_ERR_NO_DEVICE;
    case LIBUSB_ERROR_PIPE:
      return DFX_ERR_STALL;
    case LIBUSB_ERROR_OVERFLOW:
      return DFX_ERR_OVERFLOW;
    case LIBUSB_ERROR_BUSY:
    case LIBUSB_ERROR_ACCESS:
      return DFX_ERR_BUSY;
    case LIBUSB_ERROR_INVALID_PARAM:
      return DFX_ERR_INVALID_ARGUMENT;
    case LIBUSB_ERROR_NOT_SUPPORTED:
      return DFX_ERR_UNSUPPORTED;
    case LIBUSB_ERROR_INTERRUPTED:
      return DFX_ERR_CANCELLED;
    default:
      return DFX_ERR_IO;
  }
}

std::string describe_error(int e) {
  return std::string(libusb_error_name(e)) + " (" + libusb_strerror(static_cast<libusb_error>(e)) +
         ")";
}

Result<std::string> read_string(libusb_device_handle* h, uint8_t index, unsigned timeout_ms) {
  if (index == 0) return fail("string index 0 is the language list, not a string");
  std::array<uint8_t, 255> buf{};
  int r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
                                  LIBUSB_DT_STRING << 8, 0, buf.data(), buf.size(), timeout_ms);
  if (r < 0) return fail("reading the language list: " + describe_error(r));
  const auto lang = first_language({buf.data(), static_cast<std::size_t>(r)});
  if (!lang) return fail("the device's language list is empty or malformed");
  r = libusb_control_transfer(h, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
                              static_cast<uint16_t>((LIBUSB_DT_STRING << 8) | index), *lang,
                              buf.data(), buf.size(), timeout_ms);
  if (r < 0) return fail("reading string " + std::to_string(index) + ": " + describe_error(r));
  auto s = decode_string_descriptor({buf.data(), static_cast<std::size_t>(r)});
  if (!s) return tl::unexpected(std::move(s.error()).context("string " + std::to_string(index)));
  return s;
}

std::vector<InterfaceFacts> interface_facts(const libusb_config_descriptor& config,
                                            std::vector<uint8_t>* string_indices) {
  std::vector<InterfaceFacts> out;
  for (int i = 0; i < config.bNumInterfaces; ++i) {
    const libusb_interface& itf = config.interface[i];
    for (int a = 0; a < itf.num_altsetting; ++a) {
      const libusb_interface_descriptor& d = itf.altsetting[a];
      InterfaceFacts f;
      f.number = d.bInterfaceNumber;
      f.alt_setting = d.bAlternateSetting;
      f.interface_class = d.bInterfaceClass;
      f.interface_subclass = d.bInterfaceSubClass;
      f.interface_protocol = d.bInterfaceProtocol;
      if (string_indices) string_indices->push_back(d.iInterface);
      for (int e = 0; e < d.bNumEndpoints; ++e) {
        const auto& ep = d.endpoint[e];
        f.endpoints.push_back(
            {ep.bEndpointAddress, ep.bmAttributes, ep.wMaxPacketSize, ep.bInterval});
      }
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace dfx::usb
