#include "serial_string.hpp"

#include <algorithm>

namespace dfx::apple {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || is_digit(c);
}
bool all_of(std::string_view s, bool (*pred)(char)) {
  return std::all_of(s.begin(), s.end(), pred);
}

// The value of a hex field of at most `digits` digits, or why not.
std::optional<uint64_t> hex_value(std::string_view v, std::size_t digits, std::string& why) {
  if (v.empty()) {
    why = "empty";
    return std::nullopt;
  }
  if (!all_of(v, is_hex)) {
    why = "not hexadecimal";
    return std::nullopt;
  }
  if (v.size() > digits) {
    why = "more than " + std::to_string(digits) + " hex digits";
    return std::nullopt;
  }
  uint64_t value = 0;
  for (const char c : v) {
    const int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    value = value << 4 | static_cast<uint64_t>(d);
  }
  return value;
}

// One KEY:value token.
struct Token {
  std::string key;
  std::string value;
  std::string text;  // as it appeared, for messages
  std::string why;   // non-empty when the token itself is malformed
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i == s.size()) break;
    const std::size_t start = i;
    Token t;
    while (i < s.size() && s[i] != ':' && !is_space(s[i])) ++i;
    t.key = std::string(s.substr(start, i - start));
    if (i == s.size() || s[i] != ':') {
      t.text = t.key;
      t.why = "not KEY:value";
      out.push_back(std::move(t));
      continue;
    }
    ++i;  // ':'
    if (i < s.size() && s[i] == '[') {
      const std::size_t close = s.find(']', i + 1);
      if (close == std::string_view::npos) {
        t.text = std::string(s.substr(start));
        t.why = "'[' without ']'";
        out.push_back(std::move(t));
        break;
      }
      t.value = std::string(s.substr(i + 1, close - i - 1));
      i = close + 1;
      if (i < s.size() && !is_space(s[i])) {
        while (i < s.size() && !is_space(s[i])) ++i;
        t.why = "text after ']'";
      }
    } else {
      const std::size_t begin = i;
      while (i < s.size() && !is_space(s[i])) ++i;
      t.value = std::string(s.substr(begin, i - begin));
    }
    t.text = std::string(s.substr(start, i - start));
    if (t.why.empty() && (t.key.empty() || t.key.size() > 8 || !all_of(t.key, is_key_char)))
      t.why = "not a field name (2 to 8 capital letters and digits)";
    out.push_back(std::move(t));
  }
  return out;
}

class Parser {
 public:
  explicit Parser(SerialString& out) : out_(out) {}

  void field(const Token& t) {
    if (!t.why.empty()) return error(t, t.why);
    std::string why;
    if (auto* f = hex32_field(t.key)) {
      if (auto v = hex_value(t.value, 8, why)) return set(t, *f, static_cast<uint32_t>(*v));
      return error(t, why);
    }
    if (t.key == "ECID") {
      auto v = hex_value(t.value, 16, why);
      if (v && *v == 0) why = "zero";
      if (!v || *v == 0) return error(t, why);
      return set(t, out_.ecid, *v);
    }
    if (t.key == "SRNM") {
      if (t.value.size() < 8 || t.value.size() > 20 || !all_of(t.value, is_key_char))
        return error(t, "not a serial number (8 to 20 capital letters and digits)");
      return set(t, out_.srnm, t.value);
    }
    if (t.key == "IMEI") {
      if (t.value.size() != 15 || !all_of(t.value, is_digit))
        return error(t, "not an IMEI (15 digits)");
      return set(t, out_.imei, t.value);
    }
    if (t.key == "SRTG") {
      if (t.value.empty() || t.value.size() > 64 ||
          !all_of(t.value, [](char c) { return c > ' ' && c < 0x7f; }))
        return error(t, "not a boot stage tag (printable, at most 64 characters)");
      return set(t, out_.srtg, t.value);
    }
    if (t.key == "NONC" || t.key == "SNON") {
      auto& slot = t.key == "NONC" ? out_.nonc : out_.snon;
      if (t.value.empty() || t.value.size() > 128 || t.value.size() % 2 != 0 ||
          !all_of(t.value, is_hex))
        return error(t, "not a nonce (an even number of hex digits, at most 128)");
      return set(t, slot, t.value);
    }
    out_.unknown.emplace_back(t.key, t.value);
  }

 private:
  std::optional<uint32_t>* hex32_field(const std::string& key) {
    if (key == "CPID") return &out_.cpid;
    if (key == "CPRV") return &out_.cprv;
    if (key == "CPFM") return &out_.cpfm;
    if (key == "SCEP") return &out_.scep;
    if (key == "BDID") return &out_.bdid;
    if (key == "IBFL") return &out_.ibfl;
    return nullptr;
  }

  // A key seen twice: the same value again is harmless; a different one makes the field
  // unknowable, so its value is withdrawn.
  template <typename T>
  void set(const Token& t, std::optional<T>& slot, T value) {
    if (failed(t.key)) return;
    if (seen(t.key)) {
      if (slot && *slot == value) return;
      slot.reset();
      return error(t, "given twice with different values");
    }
    keys_.push_back(t.key);
    slot = std::move(value);
  }

  // A field with a malformed occurrence has no value, even if another occurrence was good:
  // which one is the device's cannot be known.
  void error(const Token& t, const std::string& why) {
    if (!t.key.empty()) failed_.push_back(t.key);
    withdraw(t.key);
    out_.errors.push_back({t.key, t.text, why});
  }
  void withdraw(const std::string& key) {
    if (auto* f = hex32_field(key)) f->reset();
    if (key == "ECID") out_.ecid.reset();
    if (key == "SRNM") out_.srnm.reset();
    if (key == "IMEI") out_.imei.reset();
    if (key == "SRTG") out_.srtg.reset();
    if (key == "NONC") out_.nonc.reset();
    if (key == "SNON") out_.snon.reset();
  }
  bool seen(const std::string& key) const {
    return std::find(keys_.begin(), keys_.end(), key) != keys_.end();
  }
  bool failed(const std::string& key) const {
    return std::find(failed_.begin(), failed_.end(), key) != failed_.end();
  }

  SerialString& out_;
  std::vector<std::string> keys_;
  std::vector<std::string> failed_;
};

}  // namespace

SerialString parse_serial_string(std::string_view text) {
  SerialString out;
  if (text.size() > kMaxSerialString) {
    out.errors.push_back({"", "",
                          "longer than " + std::to_string(kMaxSerialString) +
                              " bytes: not a USB string descriptor"});
    return out;
  }
  Parser parser(out);
  for (const Token& t : tokenize(text)) parser.field(t);
  return out;
}

bool looks_like_serial_string(std::string_view text) {
  for (const std::string_view key : {"CPID:", "ECID:"}) {
    for (std::size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1))
      if (at == 0 || is_space(text[at - 1])) return true;
  }
  return false;
}

}  // namespace dfx::apple
