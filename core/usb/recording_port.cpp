#include "usb/recording_port.hpp"

namespace dfx::usb {
namespace {

int64_t micros(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

// What an exchange costs in the transcript's text: hex doubles the bytes; the rest of a line is
// under 300 bytes.
std::size_t cost_of(const Exchange& e) {
  return 300 + 2 * (e.out.size() + e.in.size()) + e.text.size() * 6 + e.message.size() * 6;
}

}  // namespace

RecordingPort::RecordingPort(UsbPort& inner, Transcript& transcript, std::size_t max_bytes)
    : inner_(inner), transcript_(transcript), max_bytes_(max_bytes) {}

Exchange RecordingPort::begin(UsbOp op, uint8_t target) const {
  Exchange e;
  e.op = op;
  e.target = target;
  e.at_us = micros(std::chrono::steady_clock::now() - start_);
  return e;
}

void RecordingPort::keep(Exchange e, const UsbError* error) {
  e.us = micros(std::chrono::steady_clock::now() - start_) - e.at_us;
  if (error != nullptr) {
    e.status = error->status;
    e.message = error->message;
  }
  e.n = next_++;
  const std::size_t cost = cost_of(e);
  if (transcript_.truncated || bytes_ + cost > max_bytes_) {
    transcript_.truncated = true;
    ++transcript_.dropped;
    return;
  }
  bytes_ += cost;
  transcript_.exchanges.push_back(std::move(e));
}

UsbResult<void> RecordingPort::claim_interface(uint8_t number) {
  Exchange e = begin(UsbOp::claim, number);
  auto r = inner_.claim_interface(number);
  keep(std::move(e), r ? nullptr : &r.error());
  return r;
}

UsbResult<void> RecordingPort::release_interface(uint8_t number) {
  Exchange e = begin(UsbOp::release, number);
  auto r = inner_.release_interface(number);
  keep(std::move(e), r ? nullptr : &r.error());
  return r;
}

UsbResult<uint32_t> RecordingPort::control(uint8_t request_type, uint8_t request, uint16_t value,
                                           uint16_t index, uint8_t* data, uint16_t length,
                                           uint32_t timeout_ms) {
  Exchange e = begin(UsbOp::control, request_type);
  e.request = request;
  e.value = value;
  e.index = index;
  e.length = length;
  const bool in = (request_type & 0x80) != 0;
  if (!in && data != nullptr) e.out.assign(reinterpret_cast<const char*>(data), length);
  auto r = inner_.control(request_type, request, value, index, data, length, timeout_ms);
  if (r) e.transferred = std::min<uint32_t>(*r, length);
  if (r && in && data != nullptr) e.in.assign(reinterpret_cast<const char*>(data), e.transferred);
  keep(std::move(e), r ? nullptr : &r.error());
  return r;
}

UsbResult<uint32_t> RecordingPort::transfer(UsbOp op, uint8_t endpoint, uint8_t* data,
                                            uint32_t length, uint32_t timeout_ms) {
  Exchange e = begin(op, endpoint);
  e.length = length;
  const bool in = (endpoint & 0x80) != 0;
  // Lengths the session refuses (over its limits) are recorded without their bytes.
  const bool plausible = data != nullptr && length <= (1u << 24);
  if (!in && plausible) e.out.assign(reinterpret_cast<const char*>(data), length);
  auto r = op == UsbOp::bulk ? inner_.bulk(endpoint, data, length, timeout_ms)
                             : inner_.interrupt(endpoint, data, length, timeout_ms);
  if (r) e.transferred = std::min<uint32_t>(*r, length);
  if (r && in && plausible) e.in.assign(reinterpret_cast<const char*>(data), e.transferred);
  keep(std::move(e), r ? nullptr : &r.error());
  return r;
}

UsbResult<uint32_t> RecordingPort::bulk(uint8_t endpoint, uint8_t* data, uint32_t length,
                                        uint32_t timeout_ms) {
  return transfer(UsbOp::bulk, endpoint, data, length, timeout_ms);
}

UsbResult<uint32_t> RecordingPort::interrupt(uint8_t endpoint, uint8_t* data, uint32_t length,
                                             uint32_t timeout_ms) {
  return transfer(UsbOp::interrupt, endpoint, data, length, timeout_ms);
}

UsbResult<std::string> RecordingPort::string_descriptor(uint8_t index, uint32_t timeout_ms) {
  Exchange e = begin(UsbOp::string, index);
  auto r = inner_.string_descriptor(index, timeout_ms);
  if (r) e.text = *r;
  keep(std::move(e), r ? nullptr : &r.error());
  return r;
}

UsbResult<uint8_t> RecordingPort::select_configuration(uint8_t value) {
  Exchange e = begin(UsbOp::configure, value);
  auto r = inner_.select_configuration(value);
  if (r) e.previous = *r;
  keep(std::move(e), r ? nullptr : &r.error());
  return r;
}

}  // namespace dfx::usb
