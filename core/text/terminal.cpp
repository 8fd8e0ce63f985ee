#include "text/terminal.hpp"

#include "base/hex.hpp"
#include "text/utf8.hpp"

namespace dfx::text {

std::string printable(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = utf8_sequence_length(s, i);  // 0: not well-formed UTF-8
    // C1 controls (U+0080-U+009F, e.g. CSI U+009B) act on terminals too: escape their bytes.
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) n = 0;
    if (n == 0 || c < 0x20 || c == 0x7F) {
      out += "\\x";
      append_hex(out, c);
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace dfx::text
