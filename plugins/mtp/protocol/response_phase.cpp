#include "response_phase.hpp"

#include <algorithm>

namespace dfx::mtp {
namespace {

// A response carries at most five parameters: 12 + 5 * 4 bytes.
constexpr std::size_t kMaxResponse = kHeaderSize + 4 * kMaxParams;
// Zero-length packets tolerated: one may end a data phase that fills whole packets; a device
// that sends nothing else is not answering.
constexpr std::size_t kMaxEmptyTransfers = 4;

std::string tid_text(uint32_t tid) {
  return std::to_string(tid);
}

}  // namespace

ResponsePhase::ResponsePhase(uint16_t code, uint32_t transaction_id, std::size_t max_data)
    : code_(code), tid_(transaction_id), max_data_(max_data) {}

Result<bool> ResponsePhase::feed(std::span<const uint8_t> transfer) {
  if (transfer.empty()) {
    if (++empty_transfers_ > kMaxEmptyTransfers)
      return fail(Errc::unexpected, std::to_string(empty_transfers_) +
                                        " zero-length transfers in a row instead of an answer");
    return false;
  }
  empty_transfers_ = 0;
  pending_.insert(pending_.end(), transfer.begin(), transfer.end());
  for (;;) {
    if (in_data_) {
      const std::size_t take = std::min(data_expected_ - data_.size(), pending_.size());
      data_.insert(data_.end(), pending_.begin(), pending_.begin() + static_cast<long>(take));
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(take));
      if (data_.size() < data_expected_) return false;
      in_data_ = false;
      data_done_ = true;
    }
    if (pending_.size() < kHeaderSize) return false;
    auto done = take_container_start();
    if (!done || *done) return done;
    if (!in_data_) return false;  // the rest of a response container is still to come
  }
}

Result<bool> ResponsePhase::take_container_start() {
  auto h = decode_header(pending_);
  if (!h) return fail(h.error());
  const auto what = operation_name(code_);
  switch (static_cast<ContainerType>(h->type)) {
    case ContainerType::data: {
      if (data_done_)
        return fail(Errc::unexpected, "a second data container after the data phase of " + what);
      if (h->code != code_ || h->transaction_id != tid_)
        return fail(Errc::unexpected, "data container for " + operation_name(h->code) +
                                          " transaction " + tid_text(h->transaction_id) +
                                          " while waiting for " + what + " transaction " +
                                          tid_text(tid_));
      const std::size_t payload = h->length - kHeaderSize;
      if (payload > max_data_)
        return fail(Errc::too_large, "data container of " + what + " announces " +
                                         std::to_string(payload) + " bytes, the limit is " +
                                         std::to_string(max_data_));
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(kHeaderSize));
      data_expected_ = payload;
      data_.reserve(payload);
      in_data_ = true;
      return false;
    }
    case ContainerType::response: {
      if (h->length > kMaxResponse)
        return fail(Errc::malformed, "response container length " + std::to_string(h->length) +
                                         " at offset 0: a response has at most 32 bytes");
      if (pending_.size() < h->length) return false;
      if (pending_.size() > h->length)
        return fail(Errc::unexpected, std::to_string(pending_.size() - h->length) +
                                          " bytes after the response container of " + what);
      auto c = decode_container(pending_);
      if (!c) return fail(c.error());
      pending_.clear();
      return check_response(*c);
    }
    case ContainerType::command:
    case ContainerType::event:
      return fail(Errc::unexpected, std::string(h->type == 1 ? "a command" : "an event") +
                                        " container (code " + hex16(h->code) +
                                        ") on the bulk IN pipe while waiting for " + what);
  }
  return fail(Errc::malformed, "container type " + std::to_string(h->type) +
                                   " at offset 4 is not 1, 2, 3 or 4 (waiting for " + what + ")");
}

Result<bool> ResponsePhase::check_response(const Container& c) {
  const auto what = operation_name(code_);
  if (c.header.transaction_id != tid_)
    return fail(Errc::unexpected, "response " + response_code_name(c.header.code) +
                                      " carries transaction id " +
                                      tid_text(c.header.transaction_id) + ", " + what +
                                      " was sent with " + tid_text(tid_));
  if (c.header.code != rc::ok)
    return fail(Errc::device_error,
                "the device answered " + what + " with " + response_code_name(c.header.code));
  if (!data_done_)
    return fail(Errc::unexpected, "the device answered " + what + " OK without a data phase");
  response_ = c;
  return true;
}

}  // namespace dfx::mtp
