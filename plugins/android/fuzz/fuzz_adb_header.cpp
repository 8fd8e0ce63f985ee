// ADB framing: header decode/validate/verify on the raw input, and the Channel reading the input
// as a stream of USB transfers of varying sizes (what a hostile phone controls completely).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "adb_channel.hpp"
#include "adb_message.hpp"

namespace {

using namespace dfx::android;

class BytesTransport final : public Transport {
 public:
  BytesTransport(const uint8_t* data, std::size_t size, std::size_t chunk)
      : data_(data), size_(size), chunk_(chunk) {}
  Status write(std::span<const uint8_t>, std::chrono::milliseconds) override { return {}; }
  Result<std::vector<uint8_t>> read(std::size_t max, std::chrono::milliseconds) override {
    if (pos_ >= size_) return fail(Errc::disconnected, "end of input");
    const std::size_t n = std::min({max, chunk_, size_ - pos_});
    std::vector<uint8_t> out(data_ + pos_, data_ + pos_ + n);
    pos_ += n;
    return out;
  }

 private:
  const uint8_t* data_;
  std::size_t size_;
  std::size_t chunk_;
  std::size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::span<const uint8_t> in(data, size);
  if (auto h = adb::decode_header(in)) {
    (void)adb::validate_header(*h, 4096);
    (void)adb::verify_payload(*h, in.subspan(adb::kHeaderSize), true);
    (void)adb::verify_payload(*h, in.subspan(adb::kHeaderSize), false);
    (void)adb::command_name(h->command);
    auto again = adb::decode_header(adb::encode_header(*h));
    if (!again || again->magic != h->magic || again->data_check != h->data_check) __builtin_trap();
  }
  if (size == 0) return 0;
  // First byte: transfer size (1..256) and receive limit, so splits and limits vary.
  const std::size_t chunk = static_cast<std::size_t>(data[0]) + 1;
  BytesTransport t(data + 1, size - 1, chunk);
  adb::Channel channel(t, (data[0] & 1) ? 4096 : 64);
  for (int i = 0; i < 64; ++i)
    if (!channel.receive(std::chrono::milliseconds{1000})) break;
  return 0;
}
