#include "usb/replay_port.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

namespace dfx::usb {
namespace {

Exchange asked(UsbOp op, uint8_t target) {
  Exchange e;
  e.op = op;
  e.target = target;
  return e;
}

bool same_request(const Exchange& a, const Exchange& b) {
  return a.op == b.op && a.target == b.target && a.request == b.request && a.value == b.value &&
         a.index == b.index && a.length == b.length && a.out == b.out;
}

// A recorded call that took longer than this is answered after this long.
constexpr int64_t kMaxPace = 60'000'000;

template <typename T>
UsbResult<T> recorded_failure(const Exchange& e) {
  return tl::unexpected(UsbError{e.status, e.message});
}

}  // namespace

UsbResult<const Exchange*> ReplayPort::next(const Exchange& call) {
  const std::lock_guard lock(mutex_);
  if (!departure_) {
    if (transcript_.truncated && next_ >= transcript_.exchanges.size())
      departure_ = "exchange " + std::to_string(next_) + ": " + call.describe() +
                   " is past the part of the transcript that was kept (it was truncated)";
    else if (next_ >= transcript_.exchanges.size())
      departure_ = "exchange " + std::to_string(next_) + ": " + call.describe() +
                   " is past the transcript's end";
    else if (!same_request(transcript_.exchanges[next_], call))
      departure_ = "exchange " + std::to_string(next_) + ": the plugin asked " + call.describe() +
                   ", the transcript has " + transcript_.exchanges[next_].describe();
  }
  if (departure_) return tl::unexpected(UsbError{DFX_ERR_IO, "replay: " + *departure_});
  return &transcript_.exchanges[next_++];
}

UsbResult<const Exchange*> ReplayPort::next_in_recorded_time(const Exchange& call) {
  auto e = next(call);
  // The answer comes after as long as it took the phone: a plugin that budgets its time (an
  // Android phone showing its authorisation prompt, a read that timed out) decides as it did.
  if (e)
    std::this_thread::sleep_for(std::chrono::microseconds(std::min<int64_t>((*e)->us, kMaxPace)));
  return e;
}

std::optional<std::string> ReplayPort::departure() const {
  const std::lock_guard lock(mutex_);
  return departure_;
}

std::size_t ReplayPort::answered() const {
  const std::lock_guard lock(mutex_);
  return next_;
}

UsbResult<void> ReplayPort::claim_interface(uint8_t number) {
  auto e = next_in_recorded_time(asked(UsbOp::claim, number));
  if (!e) return tl::unexpected(e.error());
  if ((*e)->status != DFX_OK) return recorded_failure<void>(**e);
  return {};
}

UsbResult<void> ReplayPort::release_interface(uint8_t number) {
  auto e = next_in_recorded_time(asked(UsbOp::release, number));
  if (!e) return tl::unexpected(e.error());
  if ((*e)->status != DFX_OK) return recorded_failure<void>(**e);
  return {};
}

UsbResult<uint32_t> ReplayPort::play(Exchange call, uint8_t* data, uint32_t limit) {
  // bit 7 of the endpoint or of bmRequestType: OUT carries the caller's bytes, which must match.
  if ((call.target & 0x80) == 0 && data != nullptr && call.length <= limit)
    call.out.assign(reinterpret_cast<const char*>(data), call.length);
  auto e = next_in_recorded_time(call);
  if (!e) return tl::unexpected(e.error());
  if ((*e)->status != DFX_OK) return recorded_failure<uint32_t>(**e);
  const std::string& in = (*e)->in;
  if (!in.empty()) std::memcpy(data, in.data(), std::min<std::size_t>(in.size(), call.length));
  return (*e)->transferred;
}

UsbResult<uint32_t> ReplayPort::control(uint8_t request_type, uint8_t request, uint16_t value,
                                        uint16_t index, uint8_t* data, uint16_t length, uint32_t) {
  Exchange call = asked(UsbOp::control, request_type);
  call.request = request;
  call.value = value;
  call.index = index;
  call.length = length;
  return play(std::move(call), data, 0xFFFF);
}

UsbResult<uint32_t> ReplayPort::bulk(uint8_t endpoint, uint8_t* data, uint32_t length, uint32_t) {
  Exchange call = asked(UsbOp::bulk, endpoint);
  call.length = length;
  return play(std::move(call), data, 1u << 24);
}

UsbResult<uint32_t> ReplayPort::interrupt(uint8_t endpoint, uint8_t* data, uint32_t length,
                                          uint32_t) {
  Exchange call = asked(UsbOp::interrupt, endpoint);
  call.length = length;
  return play(std::move(call), data, 1u << 16);
}

UsbResult<std::string> ReplayPort::string_descriptor(uint8_t index, uint32_t) {
  auto e = next_in_recorded_time(asked(UsbOp::string, index));
  if (!e) return tl::unexpected(e.error());
  if ((*e)->status != DFX_OK) return recorded_failure<std::string>(**e);
  return (*e)->text;
}

UsbResult<uint8_t> ReplayPort::select_configuration(uint8_t value) {
  auto e = next_in_recorded_time(asked(UsbOp::configure, value));
  if (!e) return tl::unexpected(e.error());
  if ((*e)->status != DFX_OK) return recorded_failure<uint8_t>(**e);
  return (*e)->previous;
}

}  // namespace dfx::usb
