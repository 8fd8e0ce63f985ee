// libFuzzer target: the response phase reader fed an arbitrary sequence of bulk IN transfers.
// The input is split into transfers at each byte pair 0xFF 0xFE (so the fuzzer controls where
// transfers end, empty ones included). The reader must end in an error, ask for more, or finish
// with a data phase no larger than its bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "container.hpp"
#include "response_phase.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  constexpr std::size_t kBound = 4096;
  dfx::mtp::ResponsePhase phase(dfx::mtp::op::get_device_info, 0, kBound);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= size; ++i) {
    const bool cut = i == size || (i + 1 < size && data[i] == 0xFF && data[i + 1] == 0xFE);
    if (!cut) continue;
    auto r = phase.feed(std::span<const uint8_t>(data + start, i - start));
    if (!r) return 0;
    if (*r) {
      if (phase.data().size() > kBound || !phase.data_complete()) std::abort();
      if (phase.response().header.code != dfx::mtp::rc::ok) std::abort();
      return 0;
    }
    start = i + 2;
    ++i;
  }
  if (phase.data().size() > kBound) std::abort();
  return 0;
}
