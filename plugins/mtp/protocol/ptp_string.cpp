#include "ptp_string.hpp"

#include "container.hpp"  // hex16
#include "le.hpp"

namespace dfx::mtp {
namespace {

std::string at(std::string_view field, std::size_t offset) {
  return std::string(field) + " at offset " + std::to_string(offset);
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

/// Decodes one UTF-8 sequence at `i`, or returns false for invalid UTF-8.
bool next_code_point(std::string_view s, std::size_t& i, uint32_t& cp) {
  const auto b = static_cast<unsigned char>(s[i]);
  int extra = 0;
  if (b < 0x80) {
    cp = b;
  } else if ((b & 0xE0) == 0xC0) {
    cp = b & 0x1F, extra = 1;
  } else if ((b & 0xF0) == 0xE0) {
    cp = b & 0x0F, extra = 2;
  } else if ((b & 0xF8) == 0xF0) {
    cp = b & 0x07, extra = 3;
  } else {
    return false;
  }
  if (extra > 0 && i + static_cast<std::size_t>(extra) >= s.size()) return false;
  for (int k = 1; k <= extra; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += static_cast<std::size_t>(extra) + 1;
  return true;
}

}  // namespace

Result<std::string> read_ptp_string(std::span<const uint8_t> bytes, std::size_t& offset,
                                    std::string_view field) {
  if (offset >= bytes.size())
    return fail(Errc::truncated, at(field, offset) +
                                     ": the dataset ends before the string's "
                                     "count byte");
  const std::size_t count = bytes[offset];
  const std::size_t start = offset + 1;
  if (count == 0) {
    offset = start;
    return std::string();
  }
  if (2 * count > bytes.size() - start)
    return fail(Errc::truncated, at(field, offset) + ": string count " + std::to_string(count) +
                                     " needs " + std::to_string(2 * count) + " bytes but only " +
                                     std::to_string(bytes.size() - start) + " remain");
  std::string out;
  for (std::size_t i = 0; i + 1 < count; ++i) {
    const std::size_t pos = start + 2 * i;
    const uint16_t u = get_u16(bytes, pos);
    if (u == 0)
      return fail(Errc::malformed, at(field, offset) + ": NUL at byte offset " +
                                       std::to_string(pos) + ", before the end of its " +
                                       std::to_string(count) + " code units");
    if (u >= 0xDC00 && u <= 0xDFFF)
      return fail(Errc::malformed, at(field, offset) + ": unpaired low surrogate " + hex16(u) +
                                       " at byte offset " + std::to_string(pos));
    if (u >= 0xD800 && u <= 0xDBFF) {
      const uint16_t low = (i + 2 < count) ? get_u16(bytes, pos + 2) : 0;
      if (low < 0xDC00 || low > 0xDFFF)
        return fail(Errc::malformed, at(field, offset) + ": unpaired high surrogate " + hex16(u) +
                                         " at byte offset " + std::to_string(pos));
      append_utf8(out, 0x10000 + ((static_cast<uint32_t>(u - 0xD800) << 10) | (low - 0xDC00)));
      ++i;
      continue;
    }
    append_utf8(out, u);
  }
  const std::size_t nul = start + 2 * (count - 1);
  if (get_u16(bytes, nul) != 0)
    return fail(Errc::malformed, at(field, offset) + ": the last of its " + std::to_string(count) +
                                     " code units (byte offset " + std::to_string(nul) +
                                     ") is not the terminating NUL");
  offset = start + 2 * count;
  return out;
}

Status write_ptp_string(std::vector<uint8_t>& out, std::string_view utf8) {
  std::vector<uint16_t> units;
  for (std::size_t i = 0; i < utf8.size();) {
    uint32_t cp = 0;
    if (!next_code_point(utf8, i, cp))
      return fail(Errc::malformed, "string is not valid UTF-8 at byte " + std::to_string(i));
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push_back(static_cast<uint16_t>(0xD800 + (cp >> 10)));
      units.push_back(static_cast<uint16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      units.push_back(static_cast<uint16_t>(cp));
    }
  }
  if (units.empty()) {
    out.push_back(0);
    return {};
  }
  if (units.size() + 1 > kMaxStringUnits)
    return fail(Errc::too_large, "string of " + std::to_string(units.size()) +
                                     " UTF-16 code units: a PTP string holds at most 254");
  out.push_back(static_cast<uint8_t>(units.size() + 1));
  for (auto u : units) put_u16(out, u);
  put_u16(out, 0);
  return {};
}

}  // namespace dfx::mtp
