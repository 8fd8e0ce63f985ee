#include "identity.hpp"

#include <cstdio>

#include "models.hpp"
#include "serial_string.hpp"

namespace dfx::apple {
namespace {

std::string hex(uint64_t value, int digits) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%0*llX", digits, static_cast<unsigned long long>(value));
  return text;
}

}  // namespace

Reading read_usb_identity(Mode mode, std::string_view text, uint8_t index) {
  Reading r;
  const std::string where = "apple: iSerialNumber (string descriptor " + std::to_string(index) +
                            ", " + std::string(mode_words(mode)) + ")";
  r.facts.push_back({"x_apple_mode", std::string(mode_name(mode)),
                     "apple: USB product id (" + std::string(mode_words(mode)) + ")"});
  if (mode == Mode::Normal) {
    // The UDID as the device shows it; the host normalizes it (24 hex digits get their hyphen).
    if (text.empty())
      r.problems.push_back("the iSerialNumber (UDID) is empty");
    else
      r.facts.push_back({"udid", std::string(text), where});
    return r;
  }
  if (mode == Mode::Other) return r;
  if (!looks_like_serial_string(text)) {
    r.problems.push_back("the iSerialNumber is not a " + std::string(mode_words(mode)) +
                         " identity string (no CPID or ECID field): \"" +
                         std::string(text.substr(0, 128)) + "\"");
    return r;
  }
  const SerialString s = parse_serial_string(text);
  const auto field = [&](const char* key) { return where + ", " + key + " field"; };
  if (s.ecid) r.facts.push_back({"ecid", hex(*s.ecid, 16), field("ECID")});
  if (s.srnm) r.facts.push_back({"serial", *s.srnm, field("SRNM")});
  if (s.imei) r.facts.push_back({"imei", *s.imei, field("IMEI")});
  const struct {
    const char* key;
    const char* kind;
    const std::optional<uint32_t>& value;
    int digits;
  } numbers[] = {{"CPID", "x_apple_cpid", s.cpid, 4}, {"CPRV", "x_apple_cprv", s.cprv, 2},
                 {"CPFM", "x_apple_cpfm", s.cpfm, 2}, {"SCEP", "x_apple_scep", s.scep, 2},
                 {"BDID", "x_apple_bdid", s.bdid, 2}, {"IBFL", "x_apple_ibfl", s.ibfl, 2}};
  for (const auto& n : numbers)
    if (n.value) r.facts.push_back({n.kind, hex(*n.value, n.digits), field(n.key)});
  if (s.cpid && s.bdid) {
    // The chip and the board together name the model (data/iphone_models.tsv).
    if (const Model* m = model_by_chip(*s.cpid, *s.bdid)) {
      const std::string how = where + ", CPID and BDID fields, in the plugin's table of iPhones";
      std::string name(m->name);
      if (!m->variant.empty()) name += " (" + std::string(m->variant) + ")";
      r.facts.push_back({"model", name, how});
      r.facts.push_back({"x_apple_product_type", std::string(m->product_type), how});
    }
  }
  if (s.srtg) r.facts.push_back({"x_apple_srtg", *s.srtg, field("SRTG")});
  if (s.nonc) r.facts.push_back({"x_apple_nonc", *s.nonc, field("NONC")});
  if (s.snon) r.facts.push_back({"x_apple_snon", *s.snon, field("SNON")});
  for (const auto& e : s.errors)
    r.problems.push_back("iSerialNumber field " + (e.key.empty() ? std::string("?") : e.key) +
                         (e.text.empty() ? "" : " (\"" + e.text + "\")") + ": " + e.why);
  return r;
}

}  // namespace dfx::apple
