#include "text/output_buffer.hpp"

#include <algorithm>

namespace dfx::text {

OutputBuffer::OutputBuffer(std::size_t capacity)
    : buf_(new char[std::max<std::size_t>(capacity, 64)]),
      pos_(buf_.get()),
      end_(buf_.get() + std::max<std::size_t>(capacity, 64)) {}

void OutputBuffer::grow(std::size_t n) {
  const std::size_t used = size();
  const std::size_t cap = static_cast<std::size_t>(end_ - buf_.get());
  const std::size_t want = std::max(cap * 2, used + n);
  std::unique_ptr<char[]> bigger(new char[want]);
  std::memcpy(bigger.get(), buf_.get(), used);
  buf_ = std::move(bigger);
  pos_ = buf_.get() + used;
  end_ = buf_.get() + want;
}

}  // namespace dfx::text
