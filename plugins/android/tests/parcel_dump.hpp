// Builds `service call` output the way the shell prints a reply Parcel, for tests and the fake
// phone: "Result: Parcel(" then lines of up to four 8-hex-digit words with an offset column and
// an ASCII column.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace dfx::android::testing {

/// Words of a String reply: status, length, UTF-16 units two per word (low half first).
inline std::vector<uint32_t> string_reply_words(int32_t status, const std::u16string& s,
                                                bool null_string = false) {
  std::vector<uint32_t> w{static_cast<uint32_t>(status)};
  if (null_string) {
    w.push_back(0xFFFFFFFFu);
    return w;
  }
  w.push_back(static_cast<uint32_t>(s.size()));
  for (std::size_t i = 0; i <= s.size(); i += 2) {  // includes the NUL terminator
    const uint32_t lo = i < s.size() ? s[i] : 0;
    const uint32_t hi = i + 1 < s.size() ? s[i + 1] : 0;
    w.push_back(lo | (hi << 16));
  }
  return w;
}

/// The shell's dump of `words`.
inline std::string parcel_dump(const std::vector<uint32_t>& words) {
  std::string out = "Result: Parcel(\n";
  for (std::size_t i = 0; i < words.size(); i += 4) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "  0x%08zx: ", i * 4);
    out += buf;
    std::string ascii;
    for (std::size_t k = 0; k < 4; ++k) {
      if (i + k < words.size()) {
        std::snprintf(buf, sizeof buf, "%08x ", words[i + k]);
        out += buf;
        for (int b = 0; b < 4; ++b) {
          const char c = static_cast<char>((words[i + k] >> (8 * b)) & 0xFF);
          ascii += (c >= 0x20 && c < 0x7f) ? c : '.';
        }
      } else {
        out += "         ";
        ascii += "    ";
      }
    }
    out += "'" + ascii + "'";
    if (i + 4 >= words.size()) out += ")";
    out += "\n";
  }
  return out;
}

}  // namespace dfx::android::testing
