// The emulated phone's shell commands (see phone_shell.hpp).
#include "phone_shell.hpp"

#include <charconv>

namespace dfx::testing::android {
namespace {

void put32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_string16(Bytes& out, const std::optional<std::string>& s) {
  if (!s) {
    put32(out, 0xFFFFFFFFu);
    return;
  }
  put32(out, static_cast<std::uint32_t>(s->size()));  // identifiers and messages are ASCII
  for (char c : *s) {
    out.push_back(static_cast<std::uint8_t>(c));
    out.push_back(0);
  }
  out.push_back(0);  // NUL unit
  out.push_back(0);
  while (out.size() % 4) out.push_back(0);
}

/// Splits a command line on blanks; quotes group words (no escapes: the
/// host's read commands never need them).
std::vector<std::string> words_of(std::string_view line) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        cur += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(cur));
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(cur));
  return words;
}

std::optional<long long> integer(const std::string& s) {
  long long v = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end) return std::nullopt;
  return v;
}

std::optional<std::string> slot_imei(const PhoneIdentity& phone, long long slot) {
  if (slot < 0 || static_cast<std::size_t>(slot) >= phone.imei.size()) return std::nullopt;
  return phone.imei[static_cast<std::size_t>(slot)];
}

ShellResult service_call(const PhoneIdentity& phone, const std::vector<std::string>& w) {
  // w = service call <name> <code> [type value]...
  if (w.size() < 4) return {"service: No code specified for call\n", 1};
  if (w[2] != "iphonesubinfo") return {"service: Service " + w[2] + " does not exist\n", 1};
  const auto code = integer(w[3]);
  if (!code || *code < 0) return {"service: invalid code " + w[3] + "\n", 1};
  std::optional<long long> first_i32;
  for (std::size_t i = 4; i < w.size(); ++i) {
    const std::string& type = w[i];
    if (type == "null") continue;
    if (i + 1 >= w.size()) return {"service: no value given for " + type + "\n", 1};
    if (type == "i32" && !first_i32) first_i32 = integer(w[i + 1]);
    ++i;
  }
  SubInfoAnswer answer;
  if (auto it = phone.iphonesubinfo.find(static_cast<std::uint32_t>(*code));
      it != phone.iphonesubinfo.end())
    answer = it->second;
  Bytes reply;
  using K = SubInfoAnswer::Kind;
  switch (answer.kind) {
    case K::imei:
      reply = parcel_string_reply(slot_imei(phone, 0));
      break;
    case K::imei_for_slot:
      reply = parcel_string_reply(slot_imei(phone, first_i32.value_or(0)));
      break;
    case K::imei_for_subscription:
      reply = parcel_string_reply(slot_imei(phone, first_i32.value_or(1) - 1));
      break;
    case K::meid:
      reply = parcel_string_reply(phone.meid.empty() ? std::nullopt
                                                     : std::optional<std::string>(phone.meid));
      break;
    case K::null_string:
      reply = parcel_string_reply(std::nullopt);
      break;
    case K::permission_denied:
      reply = parcel_exception_reply(
          -1, answer.message.empty() ? phone.permission_message : answer.message);
      break;
    case K::no_such_transaction:
      break;
  }
  return {"Result: " + parcel_dump(reply) + "\n", 0};
}

ShellResult getprop(const PhoneIdentity& phone, const std::vector<std::string>& w) {
  if (w.size() == 1) {
    std::string out;
    for (const auto& [k, v] : phone.properties) out += "[" + k + "]: [" + v + "]\n";
    return {out, 0};
  }
  auto it = phone.properties.find(w[1]);
  if (it != phone.properties.end()) return {it->second + "\n", 0};
  return {(w.size() > 2 ? w[2] : std::string()) + "\n", 0};
}

}  // namespace

Bytes parcel_string_reply(const std::optional<std::string>& value) {
  Bytes out;
  put32(out, 0);  // no exception
  put_string16(out, value);
  return out;
}

Bytes parcel_exception_reply(std::int32_t code, std::string_view message) {
  Bytes out;
  put32(out, static_cast<std::uint32_t>(code));
  put_string16(out, std::string(message));
  put32(out, 0);  // empty remote stack trace header
  return out;
}

std::string parcel_dump(std::span<const std::uint8_t> data) {
  if (data.empty()) return "Parcel(NULL)";
  static constexpr char hex[] = "0123456789abcdef";
  constexpr std::size_t per_line = 16;
  const std::size_t total = data.size();
  const bool one_line = total <= per_line;
  std::string out = "Parcel(";
  if (!one_line) out += "\n";
  for (std::size_t offset = 0;; offset += per_line) {
    const std::size_t left = total - offset;
    if (!one_line) {
      char prefix[24];
      std::snprintf(prefix, sizeof prefix, "  0x%08zx: ", offset);
      out += prefix;
    }
    long remain = static_cast<long>(left);
    for (std::size_t word = 0; word < per_line; word += 4) {
      if (word > 0) out += ' ';
      // A word is shown as a little-endian number; a last partial word
      // shows only the bytes it has, still most significant first.
      const std::size_t shown = remain > 0 && remain < 4 ? static_cast<std::size_t>(remain) : 4;
      for (std::size_t i = 0; i < 4; ++i) {
        if (remain-- > 0) {
          const std::uint8_t v = data[offset + word + shown - 1 - i];
          out += hex[v >> 4];
          out += hex[v & 0xF];
        } else if (!one_line) {
          out += "  ";
        }
      }
    }
    out += " '";
    remain = static_cast<long>(left);
    for (std::size_t i = 0; i < per_line; ++i) {
      if (remain-- > 0) {
        const std::uint8_t v = data[offset + i];
        out += (v >= ' ' && v < 127) ? static_cast<char>(v) : '.';
      } else if (!one_line) {
        out += ' ';
      }
    }
    out += '\'';
    if (left > per_line)
      out += '\n';
    else
      break;
  }
  return out + ")";
}

ShellResult run_shell_command(const PhoneIdentity& phone, std::string_view command_line) {
  const auto w = words_of(command_line);
  if (w.empty()) return {"", 0};
  if (w[0] == "getprop") return getprop(phone, w);
  if (w[0] == "service" && w.size() >= 2 && w[1] == "call") return service_call(phone, w);
  return {"/system/bin/sh: " + w[0] + ": inaccessible or not found\n", 127};
}

}  // namespace dfx::testing::android
