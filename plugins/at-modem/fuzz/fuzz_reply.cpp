// Reply assembly: the first input byte picks the command (and so the echo and answer prefixes),
// the rest is what the modem sent, fed whole and then in pieces whose sizes come from the data;
// both must agree. Every value parser then reads the reply's lines.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "allow_list.hpp"
#include "devconinfo.hpp"
#include "reply.hpp"
#include "values.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace dfx::at;
  if (size == 0) return 0;
  const auto list = allow_list();
  const AllowedCommand& entry = list[data[0] % list.size()];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  auto whole = parse_reply(entry.command, entry.answer_prefixes, text);
  ReplyAssembler pieces(entry.command, entry.answer_prefixes);
  std::size_t at = 0, step = 1;
  bool failed = false;
  while (at < text.size() && !pieces.done() && !failed) {
    const std::size_t n = std::min(step, text.size() - at);
    auto taken = pieces.feed(text.substr(at, n));
    if (!taken) {
      failed = true;
      break;
    }
    if (*taken > n) __builtin_trap();
    at += *taken;
    step = step % 13 + 1;
  }
  // Fed in pieces or whole, the same bytes give the same reply or the same kind of failure.
  if (whole.has_value() != (pieces.done() && !failed)) __builtin_trap();
  if (whole) {
    if (whole->lines != pieces.reply().lines || whole->final != pieces.reply().final)
      __builtin_trap();
    if (whole->lines.size() + whole->unsolicited.size() > 64) __builtin_trap();
    for (const auto& line : whole->lines) {
      const auto v = line_value(line, entry.answer_prefixes);
      if (v.size() > line.size()) __builtin_trap();
      (void)parse_imei(v);
      (void)parse_text(v);
      (void)parse_iccid(v);
      (void)decode_crsm_iccid(v);
      (void)parse_devconinfo(line);
    }
  }
  return 0;
}
