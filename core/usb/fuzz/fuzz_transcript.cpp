// The transcript reader (usb/transcript.hpp) on arbitrary bytes. Invariants: what it accepts it
// writes back as the same text, which it accepts again with the same exchanges; a replay
// comparison of a transcript with itself finds no difference.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "usb/transcript.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto t = dfx::usb::parse_transcript(in);
  if (!t) return 0;
  const std::string text = dfx::usb::to_jsonl(*t);
  auto again = dfx::usb::parse_transcript(text);
  if (!again || again->exchanges.size() != t->exchanges.size()) __builtin_trap();
  if (dfx::usb::to_jsonl(*again) != text) __builtin_trap();
  if (dfx::usb::first_request_difference(*t, *again)) __builtin_trap();
  for (const auto& e : t->exchanges) (void)e.describe();
  return 0;
}
