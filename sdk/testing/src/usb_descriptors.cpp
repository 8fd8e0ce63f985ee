// Builds the binary descriptors of a UsbDeviceSpec (USB 2.0 chapter 9 layouts).
#include "dfx/testing/usb_descriptors.hpp"

#include <algorithm>
#include <set>

namespace dfx::testing {
namespace {

void put16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}

std::string hex2(unsigned v) {
  static const char* digits = "0123456789abcdef";
  std::string s = "0x";
  s += digits[(v >> 4) & 0xF];
  s += digits[v & 0xF];
  return s;
}

// Assigns automatic string indexes in a fixed order, skipping indexes pinned
// anywhere in the spec, so the same spec always yields the same descriptors.
tl::expected<void, std::string> resolve_strings(UsbDeviceSpec& spec,
                                                std::map<std::uint8_t, std::string>& table) {
  std::set<std::uint8_t> used;
  auto pin = [&](const UsbString& s, const std::string& where) -> tl::expected<void, std::string> {
    if (s.empty() || s.index == 0) return {};
    auto it = table.find(s.index);
    if (it != table.end() && it->second != s.text)
      return tl::unexpected(where + ": string index " + std::to_string(s.index) +
                            " is already used by \"" + it->second + "\"");
    table[s.index] = s.text;
    used.insert(s.index);
    return {};
  };
  for (const auto& [index, text] : spec.extra_strings) {
    if (index == 0)
      return tl::unexpected(std::string("extra_strings: index 0 is the language table"));
    table[index] = text;
    used.insert(index);
  }
  // Collect every string slot in the documented order.
  std::vector<std::pair<UsbString*, std::string>> slots{
      {&spec.manufacturer, "manufacturer"}, {&spec.product, "product"}, {&spec.serial, "serial"}};
  for (std::size_t c = 0; c < spec.configurations.size(); ++c) {
    auto& config = spec.configurations[c];
    const std::string cwhere = "configurations[" + std::to_string(c) + "]";
    slots.emplace_back(&config.name, cwhere + ".name");
    for (std::size_t i = 0; i < config.interfaces.size(); ++i)
      for (std::size_t a = 0; a < config.interfaces[i].alt_settings.size(); ++a)
        slots.emplace_back(&config.interfaces[i].alt_settings[a].name,
                           cwhere + ".interfaces[" + std::to_string(i) + "].alt_settings[" +
                               std::to_string(a) + "].name");
  }
  for (auto& [slot, where] : slots)
    if (auto r = pin(*slot, where); !r) return r;
  std::uint8_t next = 1;
  for (auto& [slot, where] : slots) {
    if (slot->empty() || slot->index != 0) continue;
    while (used.count(next) && next != 0) ++next;
    if (next == 0) return tl::unexpected(where + ": no free string index left");
    slot->index = next;
    used.insert(next);
    table[next] = slot->text;
  }
  return {};
}

tl::expected<void, std::string> check_strings(const std::map<std::uint8_t, std::string>& table) {
  for (const auto& [index, text] : table) {
    if (auto enc = encode_string_descriptor(text); !enc)
      return tl::unexpected("string " + std::to_string(index) + " (\"" + text +
                            "\"): " + enc.error());
  }
  return {};
}

tl::expected<Bytes, std::string> build_configuration(const ConfigurationSpec& config,
                                                     const std::string& where, bool superspeed) {
  Bytes body;
  std::set<std::uint8_t> numbers;
  std::uint8_t num_interfaces = 0;
  for (std::size_t i = 0; i < config.interfaces.size(); ++i) {
    const auto& iface = config.interfaces[i];
    const std::string iwhere = where + ".interfaces[" + std::to_string(i) + "]";
    if (!numbers.insert(iface.number).second)
      return tl::unexpected(iwhere + ".number: interface " + std::to_string(iface.number) +
                            " appears twice");
    if (iface.alt_settings.empty())
      return tl::unexpected(iwhere + ": an interface needs at least one alternate setting");
    ++num_interfaces;
    std::set<std::uint8_t> alts;
    for (std::size_t a = 0; a < iface.alt_settings.size(); ++a) {
      const auto& alt = iface.alt_settings[a];
      const std::string awhere = iwhere + ".alt_settings[" + std::to_string(a) + "]";
      if (!alts.insert(alt.alternate).second)
        return tl::unexpected(awhere + ".alternate: alternate setting " +
                              std::to_string(alt.alternate) + " appears twice");
      if (alt.endpoints.size() > 30) return tl::unexpected(awhere + ": more than 30 endpoints");
      body.insert(body.end(), {9, descriptor_type::interface, iface.number, alt.alternate,
                               static_cast<std::uint8_t>(alt.endpoints.size()), alt.interface_class,
                               alt.interface_subclass, alt.interface_protocol, alt.name.index});
      body.insert(body.end(), alt.extra.begin(), alt.extra.end());
      std::set<std::uint8_t> addresses;
      for (std::size_t e = 0; e < alt.endpoints.size(); ++e) {
        const auto& ep = alt.endpoints[e];
        const std::string ewhere = awhere + ".endpoints[" + std::to_string(e) + "]";
        if ((ep.address & 0x0F) == 0 || (ep.address & 0x70) != 0)
          return tl::unexpected(ewhere + ".address: " + hex2(ep.address) +
                                " is not an endpoint address (0x01..0x0F OUT, 0x81..0x8F IN)");
        if (!addresses.insert(ep.address).second)
          return tl::unexpected(ewhere + ".address: endpoint " + hex2(ep.address) +
                                " appears twice");
        if (ep.type == TransferType::control)
          return tl::unexpected(ewhere +
                                ".type: control endpoints other than endpoint 0 are not supported");
        if ((ep.max_packet_size & 0x7FF) == 0)
          return tl::unexpected(ewhere + ".max_packet_size: must not be 0");
        body.insert(body.end(), {7, descriptor_type::endpoint, ep.address, ep.bm_attributes()});
        put16(body, ep.max_packet_size);
        body.push_back(ep.interval);
        body.insert(body.end(), ep.extra.begin(), ep.extra.end());
      }
    }
  }
  if ((config.attributes & 0x80) == 0)
    return tl::unexpected(where + ".attributes: bit 7 (0x80) must be set");
  if (config.value == 0)
    return tl::unexpected(where + ".value: bConfigurationValue 0 means unconfigured");
  const unsigned unit = superspeed ? 8 : 2;
  const unsigned power = (config.max_power_ma + unit - 1) / unit;
  if (power > 255)
    return tl::unexpected(where + ".max_power_ma: " + std::to_string(config.max_power_ma) +
                          " mA does not fit bMaxPower");

  Bytes out;
  const std::size_t total = 9 + config.extra.size() + body.size();
  if (total > 0xFFFF)
    return tl::unexpected(where + ": configuration descriptor longer than 65535 bytes");
  out.insert(out.end(), {9, descriptor_type::configuration});
  put16(out, static_cast<std::uint16_t>(total));
  out.insert(out.end(), {num_interfaces, config.value, config.name.index, config.attributes,
                         static_cast<std::uint8_t>(power)});
  out.insert(out.end(), config.extra.begin(), config.extra.end());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace

tl::expected<std::u16string, std::string> utf8_to_utf16(std::string_view s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else {
      return tl::unexpected("invalid UTF-8 at byte " + std::to_string(i));
    }
    if (i + len > s.size()) return tl::unexpected("truncated UTF-8 at byte " + std::to_string(i));
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80)
        return tl::unexpected("invalid UTF-8 at byte " + std::to_string(i + k));
      cp = (cp << 6) | (cc & 0x3F);
    }
    static const std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return tl::unexpected("invalid UTF-8 at byte " + std::to_string(i));
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i += len;
  }
  return out;
}

tl::expected<Bytes, std::string> encode_string_descriptor(std::string_view utf8) {
  auto units = utf8_to_utf16(utf8);
  if (!units) return tl::unexpected(units.error());
  if (units->size() > 126)
    return tl::unexpected("too long for a string descriptor (" + std::to_string(units->size()) +
                          " UTF-16 units, at most 126)");
  Bytes out;
  out.push_back(static_cast<std::uint8_t>(2 + 2 * units->size()));
  out.push_back(descriptor_type::string);
  for (char16_t u : *units) put16(out, static_cast<std::uint16_t>(u));
  return out;
}

std::string to_hex(const Bytes& bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 0xF];
  }
  return s;
}

tl::expected<Bytes, std::string> from_hex(std::string_view hex) {
  Bytes out;
  int high = -1;
  for (std::size_t i = 0; i < hex.size(); ++i) {
    const char c = hex[i];
    int v;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      v = c - 'A' + 10;
    else if ((c == ' ' || c == ':' || c == '-') && high < 0)
      continue;
    else
      return tl::unexpected("not a hex digit at position " + std::to_string(i) + ": '" +
                            std::string(1, c) + "'");
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>((high << 4) | v));
      high = -1;
    }
  }
  if (high >= 0) return tl::unexpected(std::string("odd number of hex digits"));
  return out;
}

tl::expected<DescriptorSet, std::string> build_descriptors(const UsbDeviceSpec& input) {
  DescriptorSet set;
  set.spec = input;
  UsbDeviceSpec& spec = set.spec;

  if (spec.configurations.empty())
    return tl::unexpected(std::string("configurations: at least one configuration is needed"));
  if (spec.configurations.size() > 255)
    return tl::unexpected(std::string("configurations: more than 255"));
  const bool superspeed = spec.speed == UsbSpeed::super || spec.speed == UsbSpeed::super_plus;
  const auto mps0 = spec.max_packet_size0;
  if (!(mps0 == 8 || mps0 == 16 || mps0 == 32 || mps0 == 64 ||
        (mps0 == 9 && spec.bcd_usb >= 0x0300)))
    return tl::unexpected("max_packet_size0: " + std::to_string(mps0) +
                          " is not 8, 16, 32 or 64 (9 only for USB 3)");
  if (spec.languages.empty())
    return tl::unexpected(std::string("languages: at least one LANGID is needed"));
  if (spec.languages.size() > 126) return tl::unexpected(std::string("languages: too many"));

  if (auto r = resolve_strings(spec, set.strings); !r) return tl::unexpected(r.error());
  if (auto r = check_strings(set.strings); !r) return tl::unexpected(r.error());

  std::set<std::uint8_t> values;
  for (std::size_t c = 0; c < spec.configurations.size(); ++c) {
    const std::string where = "configurations[" + std::to_string(c) + "]";
    if (!values.insert(spec.configurations[c].value).second)
      return tl::unexpected(where + ".value: configuration value " +
                            std::to_string(spec.configurations[c].value) + " appears twice");
    auto config = build_configuration(spec.configurations[c], where, superspeed);
    if (!config) return tl::unexpected(config.error());
    set.configurations.push_back(std::move(*config));
  }

  Bytes& d = set.device;
  d.insert(d.end(), {18, descriptor_type::device});
  put16(d, spec.bcd_usb);
  d.insert(d.end(),
           {spec.device_class, spec.device_subclass, spec.device_protocol, spec.max_packet_size0});
  put16(d, spec.vendor_id);
  put16(d, spec.product_id);
  put16(d, spec.bcd_device);
  d.insert(d.end(), {spec.manufacturer.index, spec.product.index, spec.serial.index,
                     static_cast<std::uint8_t>(spec.configurations.size())});
  return set;
}

Bytes DescriptorSet::sysfs_descriptors() const {
  Bytes out = device;
  for (const auto& c : configurations) out.insert(out.end(), c.begin(), c.end());
  return out;
}

std::optional<Bytes> DescriptorSet::string_descriptor(std::uint8_t index) const {
  if (index == 0) {
    Bytes out{static_cast<std::uint8_t>(2 + 2 * spec.languages.size()), descriptor_type::string};
    for (auto lang : spec.languages) put16(out, lang);
    return out;
  }
  auto it = strings.find(index);
  if (it == strings.end()) return std::nullopt;
  auto enc = encode_string_descriptor(it->second);
  if (!enc) return std::nullopt;  // cannot happen: checked in build_descriptors
  return *enc;
}

std::optional<Bytes> DescriptorSet::configuration_by_index(std::uint8_t index) const {
  if (index >= configurations.size()) return std::nullopt;
  return configurations[index];
}

std::optional<std::size_t> DescriptorSet::configuration_position(std::uint8_t value) const {
  for (std::size_t i = 0; i < spec.configurations.size(); ++i)
    if (spec.configurations[i].value == value) return i;
  return std::nullopt;
}

std::optional<Bytes> DescriptorSet::device_qualifier() const {
  if (spec.bcd_usb < 0x0200 || spec.bcd_usb >= 0x0300 || spec.speed != UsbSpeed::high)
    return std::nullopt;
  Bytes q{10, descriptor_type::device_qualifier};
  put16(q, spec.bcd_usb);
  q.insert(q.end(), {spec.device_class, spec.device_subclass, spec.device_protocol, 64,
                     static_cast<std::uint8_t>(spec.configurations.size()), 0});
  return q;
}

}  // namespace dfx::testing
