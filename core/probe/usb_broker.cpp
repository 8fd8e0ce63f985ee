#include "probe/usb_broker.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "probe/frame_io.hpp"

namespace dfx::probe {
namespace {

enum Op : uint8_t { kClaim = 1, kRelease, kControl, kBulk, kInterrupt, kString, kConfigure };

// Fixed-size headers in the machine's own byte order: both ends are the same dfx-probe binary.
struct RequestHeader {
  uint8_t op;
  uint8_t a;  // interface, request type, endpoint, string index or configuration value
  uint8_t b;  // control: bRequest
  uint8_t pad;
  uint16_t value;
  uint16_t index;
  uint32_t length;  // the caller's buffer; for OUT, the bytes that follow
  uint32_t timeout_ms;
};
struct ReplyHeader {
  int32_t status;
  uint32_t transferred;
  uint32_t message_length;
  uint32_t trace_length;
  uint32_t data_length;  // IN data (or the string) that follows the message and the trace
};
constexpr uint32_t kMaxText = 8192;
constexpr uint32_t kMaxString = 4096;

tl::unexpected<usb::UsbError> broker_gone() {
  return tl::unexpected(usb::UsbError{
      DFX_ERR_IO, "the worker's USB broker is gone (an earlier call broke the connection)"});
}

// The largest transfer each operation may ask for.
uint32_t limit_of(uint8_t op) {
  switch (op) {
    case kControl:
      return 0xFFFF;
    case kBulk:
      return kMaxBrokeredTransfer;
    case kInterrupt:
      return 1u << 16;
    case kConfigure:
      return 0xFF;  // carries the previous configuration back; no data moves
    default:
      return 0;
  }
}

bool is_out(const RequestHeader& h) {
  return (h.op == kControl || h.op == kBulk || h.op == kInterrupt) && (h.a & 0x80) == 0;
}

}  // namespace

struct BrokeredUsb::Reply {
  uint32_t transferred = 0;
  std::string text;  // string_descriptor's string
};

usb::UsbResult<BrokeredUsb::Reply> BrokeredUsb::call(uint8_t op, uint8_t a, uint8_t b,
                                                     uint16_t value, uint16_t index, uint8_t* data,
                                                     uint32_t length, bool out,
                                                     uint32_t timeout_ms) {
  const std::lock_guard lock(mutex_);
  if (broken_) return broker_gone();
  broken_ = true;  // until this exchange completes
  const RequestHeader request{op, a, b, 0, value, index, length, timeout_ms};
  if (!send_all(fd_, &request, sizeof request)) return broker_gone();
  if (out && length > 0 && !send_all(fd_, data, length)) return broker_gone();
  ReplyHeader reply{};
  if (!read_exact(fd_, &reply, sizeof reply)) return broker_gone();
  const uint32_t data_limit = op == kString ? kMaxString : (out || op == kConfigure ? 0 : length);
  if (reply.message_length > kMaxText || reply.trace_length > kMaxText ||
      reply.data_length > data_limit || reply.transferred > length)
    return broker_gone();
  std::string message(reply.message_length, '\0'), trace(reply.trace_length, '\0');
  if (!read_exact(fd_, message.data(), message.size()) ||
      !read_exact(fd_, trace.data(), trace.size()))
    return broker_gone();
  Reply r;
  r.transferred = reply.transferred;
  if (op == kString) {
    r.text.resize(reply.data_length);
    if (!read_exact(fd_, r.text.data(), r.text.size())) return broker_gone();
  } else if (reply.data_length > 0 && !read_exact(fd_, data, reply.data_length)) {
    return broker_gone();
  }
  broken_ = false;
  if (!trace.empty() && trace_) trace_(trace);
  if (reply.status != DFX_OK)
    return tl::unexpected(usb::UsbError{static_cast<dfx_status>(reply.status), message});
  return r;
}

usb::UsbResult<void> BrokeredUsb::claim_interface(uint8_t number) {
  auto r = call(kClaim, number, 0, 0, 0, nullptr, 0, false, 0);
  if (!r) return tl::unexpected(r.error());
  return {};
}

usb::UsbResult<void> BrokeredUsb::release_interface(uint8_t number) {
  auto r = call(kRelease, number, 0, 0, 0, nullptr, 0, false, 0);
  if (!r) return tl::unexpected(r.error());
  return {};
}

usb::UsbResult<uint32_t> BrokeredUsb::control(uint8_t type, uint8_t request, uint16_t value,
                                              uint16_t index, uint8_t* data, uint16_t length,
                                              uint32_t timeout_ms) {
  if (length > 0 && data == nullptr)
    return tl::unexpected(
        usb::UsbError{DFX_ERR_INVALID_ARGUMENT, "control transfer with no buffer"});
  auto r =
      call(kControl, type, request, value, index, data, length, (type & 0x80) == 0, timeout_ms);
  if (!r) return tl::unexpected(r.error());
  return r->transferred;
}

usb::UsbResult<uint32_t> BrokeredUsb::bulk(uint8_t endpoint, uint8_t* data, uint32_t length,
                                           uint32_t timeout_ms) {
  if (length > 0 && data == nullptr)
    return tl::unexpected(usb::UsbError{DFX_ERR_INVALID_ARGUMENT, "bulk transfer with no buffer"});
  if (length > kMaxBrokeredTransfer)
    return tl::unexpected(usb::UsbError{DFX_ERR_INVALID_ARGUMENT, "bulk transfer over 16 MiB"});
  auto r = call(kBulk, endpoint, 0, 0, 0, data, length, (endpoint & 0x80) == 0, timeout_ms);
  if (!r) return tl::unexpected(r.error());
  return r->transferred;
}

usb::UsbResult<uint32_t> BrokeredUsb::interrupt(uint8_t endpoint, uint8_t* data, uint32_t length,
                                                uint32_t timeout_ms) {
  if (length > 0 && data == nullptr)
    return tl::unexpected(
        usb::UsbError{DFX_ERR_INVALID_ARGUMENT, "interrupt transfer with no buffer"});
  if (length > (1u << 16))
    return tl::unexpected(
        usb::UsbError{DFX_ERR_INVALID_ARGUMENT, "interrupt transfer over 64 KiB"});
  auto r = call(kInterrupt, endpoint, 0, 0, 0, data, length, (endpoint & 0x80) == 0, timeout_ms);
  if (!r) return tl::unexpected(r.error());
  return r->transferred;
}

usb::UsbResult<std::string> BrokeredUsb::string_descriptor(uint8_t index, uint32_t timeout_ms) {
  auto r = call(kString, index, 0, 0, 0, nullptr, 0, false, timeout_ms);
  if (!r) return tl::unexpected(r.error());
  return std::move(r->text);
}

usb::UsbResult<uint8_t> BrokeredUsb::select_configuration(uint8_t value) {
  // The previous configuration comes back as the "transferred" count, bounded by the length.
  auto r = call(kConfigure, value, 0, 0, 0, nullptr, 0xFF, false, 0);
  if (!r) return tl::unexpected(r.error());
  return static_cast<uint8_t>(r->transferred);
}

bool serve_usb_request(int fd, usb::UsbPort& device, std::string& trace) {
  RequestHeader request{};
  if (!read_exact(fd, &request, sizeof request)) return false;
  if (request.op < kClaim || request.op > kConfigure || request.length > limit_of(request.op))
    return false;
  const bool out = is_out(request);
  std::vector<uint8_t> buffer(request.length);
  if (out && !buffer.empty() && !read_exact(fd, buffer.data(), buffer.size())) return false;

  trace.clear();
  usb::UsbResult<uint32_t> done = 0u;
  std::string text;
  switch (request.op) {
    case kClaim:
    case kRelease: {
      auto r = request.op == kClaim ? device.claim_interface(request.a)
                                    : device.release_interface(request.a);
      if (!r) done = tl::unexpected(r.error());
      break;
    }
    case kConfigure: {
      auto r = device.select_configuration(request.a);
      if (r)
        done = *r;
      else
        done = tl::unexpected(r.error());
      break;
    }
    case kControl:
      done = device.control(request.a, request.b, request.value, request.index, buffer.data(),
                            static_cast<uint16_t>(request.length), request.timeout_ms);
      break;
    case kBulk:
      done = device.bulk(request.a, buffer.data(), request.length, request.timeout_ms);
      break;
    case kInterrupt:
      done = device.interrupt(request.a, buffer.data(), request.length, request.timeout_ms);
      break;
    case kString: {
      auto r = device.string_descriptor(request.a, request.timeout_ms);
      if (r)
        text = r->substr(0, kMaxString);
      else
        done = tl::unexpected(r.error());
      break;
    }
  }

  ReplyHeader reply{};
  std::string message;
  const uint8_t* data = nullptr;
  if (done) {
    reply.status = DFX_OK;
    reply.transferred = std::min(*done, request.length);
    if (request.op == kString) {
      data = reinterpret_cast<const uint8_t*>(text.data());
      reply.data_length = static_cast<uint32_t>(text.size());
    } else if (!out && request.op != kConfigure) {
      data = buffer.data();
      reply.data_length = reply.transferred;
    }
  } else {
    reply.status = done.error().status;
    message = done.error().message.substr(0, kMaxText);
  }
  if (trace.size() > kMaxText) trace.resize(kMaxText);
  reply.message_length = static_cast<uint32_t>(message.size());
  reply.trace_length = static_cast<uint32_t>(trace.size());
  const bool sent = send_all(fd, &reply, sizeof reply) &&
                    send_all(fd, message.data(), message.size()) &&
                    send_all(fd, trace.data(), trace.size()) &&
                    (reply.data_length == 0 || send_all(fd, data, reply.data_length));
  trace.clear();
  return sent;
}

}  // namespace dfx::probe
