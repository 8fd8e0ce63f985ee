// Handset JSON format -> HandsetSpec (format documented in README.md).
//
// Parsing is strict: unknown keys are errors, since in hand-written files they
// are nearly always typos that would otherwise silently fall back to a default.
// JsonReader (json_reader.hpp) throws a JsonReadError naming the JSON pointer of
// the bad value; parse_handset turns it into an error value, so nothing escapes the API.
#include <algorithm>
#include <initializer_list>

#include "dfx/testing/handset.hpp"
#include "dfx/testing/json_reader.hpp"

namespace dfx::testing {
namespace {

using json = nlohmann::json;

using Node = JsonReader;

UsbString parse_usb_string(const Node& n) {
  if (n.value().is_string()) return UsbString(n.str());
  n.expect_object({"text", "index"});
  UsbString s(n.at("text").str());
  if (auto i = n.opt("index")) {
    s.index = i->u8();
    if (s.index == 0) i->fail("index 0 is the language table; omit \"index\" for automatic");
  }
  return s;
}

std::uint16_t default_max_packet(TransferType type, UsbSpeed speed) {
  switch (type) {
    case TransferType::bulk:
      return speed == UsbSpeed::high                                       ? 512
             : (speed == UsbSpeed::super || speed == UsbSpeed::super_plus) ? 1024
                                                                           : 64;
    case TransferType::interrupt:
      return speed == UsbSpeed::low ? 8 : 64;
    default:
      return 1023;
  }
}

EndpointSpec parse_endpoint(const Node& n, UsbSpeed speed) {
  n.expect_object({"address", "type", "max_packet_size", "interval", "attribute_bits", "extra"});
  EndpointSpec ep;
  ep.address = n.at("address").u8();
  ep.type = n.at("type").one_of<TransferType>({{"bulk", TransferType::bulk},
                                               {"interrupt", TransferType::interrupt},
                                               {"isochronous", TransferType::isochronous}});
  ep.max_packet_size =
      n.opt("max_packet_size") ? n.at("max_packet_size").u16() : default_max_packet(ep.type, speed);
  const std::uint8_t default_interval = ep.type == TransferType::bulk        ? 0
                                        : ep.type == TransferType::interrupt ? 4
                                                                             : 1;
  ep.interval = n.opt("interval") ? n.at("interval").u8() : default_interval;
  if (auto a = n.opt("attribute_bits")) ep.attribute_bits = a->u8();
  if (auto e = n.opt("extra")) ep.extra = e->hex();
  return ep;
}

AltSettingSpec parse_alt_fields(const Node& n, UsbSpeed speed) {
  AltSettingSpec alt;
  alt.interface_class = n.at("class").u8();
  if (auto v = n.opt("subclass")) alt.interface_subclass = v->u8();
  if (auto v = n.opt("protocol")) alt.interface_protocol = v->u8();
  if (auto v = n.opt("name")) alt.name = parse_usb_string(*v);
  if (auto v = n.opt("extra")) alt.extra = v->hex();
  if (auto v = n.opt("endpoints"))
    for (const auto& e : v->array()) alt.endpoints.push_back(parse_endpoint(e, speed));
  return alt;
}

InterfaceSpec parse_interface(const Node& n, UsbSpeed speed) {
  InterfaceSpec iface;
  if (n.has("alt_settings")) {
    n.expect_object({"number", "alt_settings"});
    iface.number = n.at("number").u8();
    const auto alts = n.at("alt_settings").array();
    if (alts.empty()) n.at("alt_settings").fail("needs at least one alternate setting");
    for (const auto& a : alts) {
      a.expect_object({"alternate", "class", "subclass", "protocol", "name", "endpoints", "extra"});
      AltSettingSpec alt = parse_alt_fields(a, speed);
      if (auto v = a.opt("alternate")) alt.alternate = v->u8();
      iface.alt_settings.push_back(std::move(alt));
    }
  } else {
    // Shorthand: the fields of a single alternate setting 0 inline.
    n.expect_object({"number", "class", "subclass", "protocol", "name", "endpoints", "extra"});
    iface.number = n.at("number").u8();
    iface.alt_settings.push_back(parse_alt_fields(n, speed));
  }
  return iface;
}

ConfigurationSpec parse_configuration(const Node& n, std::size_t position, UsbSpeed speed) {
  n.expect_object({"value", "name", "attributes", "max_power_ma", "extra", "interfaces"});
  ConfigurationSpec c;
  c.value = n.opt("value") ? n.at("value").u8() : static_cast<std::uint8_t>(position + 1);
  if (auto v = n.opt("name")) c.name = parse_usb_string(*v);
  if (auto v = n.opt("attributes")) c.attributes = v->u8();
  if (auto v = n.opt("max_power_ma")) c.max_power_ma = v->u16();
  if (auto v = n.opt("extra")) c.extra = v->hex();
  for (const auto& i : n.at("interfaces").array())
    c.interfaces.push_back(parse_interface(i, speed));
  return c;
}

UsbDeviceSpec parse_usb(const Node& n) {
  n.expect_object({"vendor_id", "product_id", "bcd_usb", "bcd_device", "class", "subclass",
                   "protocol", "max_packet_size0", "speed", "manufacturer", "product", "serial",
                   "languages", "extra_strings", "configurations", "bos"});
  UsbDeviceSpec s;
  s.vendor_id = n.at("vendor_id").u16();
  s.product_id = n.at("product_id").u16();
  if (auto v = n.opt("bcd_usb")) s.bcd_usb = v->u16();
  if (auto v = n.opt("bcd_device")) s.bcd_device = v->u16();
  if (auto v = n.opt("class")) s.device_class = v->u8();
  if (auto v = n.opt("subclass")) s.device_subclass = v->u8();
  if (auto v = n.opt("protocol")) s.device_protocol = v->u8();
  if (auto v = n.opt("max_packet_size0")) s.max_packet_size0 = v->u8();
  if (auto v = n.opt("speed"))
    s.speed = v->one_of<UsbSpeed>({{"low", UsbSpeed::low},
                                   {"full", UsbSpeed::full},
                                   {"high", UsbSpeed::high},
                                   {"super", UsbSpeed::super},
                                   {"super_plus", UsbSpeed::super_plus}});
  if (auto v = n.opt("manufacturer")) s.manufacturer = parse_usb_string(*v);
  if (auto v = n.opt("product")) s.product = parse_usb_string(*v);
  if (auto v = n.opt("serial")) s.serial = parse_usb_string(*v);
  if (auto v = n.opt("languages")) {
    s.languages.clear();
    for (const auto& l : v->array()) s.languages.push_back(l.u16());
  }
  if (auto v = n.opt("extra_strings")) {
    if (!v->value().is_object()) v->fail("expected an object mapping string index to text");
    for (const auto& [key, text] : v->value().items()) {
      const Node entry(text, v->path() + "/" + json_pointer_escape(key));
      const json key_json = (key.rfind("0x", 0) == 0 || key.rfind("0X", 0) == 0)
                                ? json(key)
                                : json::parse(key, nullptr, false);
      if (key_json.is_discarded())
        entry.fail("the key must be a string index (decimal or \"0x..\")");
      const auto index = Node(key_json, entry.path()).u8();
      if (index == 0) entry.fail("index 0 is the language table");
      s.extra_strings[index] = entry.str();
    }
  }
  if (auto v = n.opt("bos")) s.bos = v->hex();
  const auto configs = n.at("configurations").array();
  if (configs.empty()) n.at("configurations").fail("needs at least one configuration");
  for (std::size_t i = 0; i < configs.size(); ++i)
    s.configurations.push_back(parse_configuration(configs[i], i, s.speed));
  return s;
}

TtySpec parse_tty(const Node& n) {
  n.expect_object(
      {"interface", "name", "isatty", "echo", "case_insensitive", "dialogue", "unknown_reply"});
  TtySpec t;
  t.interface = n.at("interface").u8();
  if (auto v = n.opt("name")) t.name = v->nonempty_str();
  if (auto v = n.opt("isatty"))
    t.mode = v->boolean() ? TtyNodeMode::isatty : TtyNodeMode::char_device;
  LineDialogue d;
  if (auto v = n.opt("echo")) d.echo = v->boolean();
  if (auto v = n.opt("case_insensitive")) d.case_insensitive = v->boolean();
  auto lines = [](const Node& r) {
    std::vector<std::string> out;
    if (r.value().is_string())
      out.push_back(r.str());
    else
      for (const auto& l : r.array()) out.push_back(l.str());
    return out;
  };
  if (auto v = n.opt("unknown_reply")) d.unknown_reply = lines(*v);
  if (auto v = n.opt("dialogue")) {
    for (const auto& e : v->array()) {
      e.expect_object({"command", "reply"});
      d.entries.push_back({e.at("command").nonempty_str(), lines(e.at("reply"))});
    }
  }
  t.dialogue = std::move(d);
  return t;
}

// build_descriptors names fields like "configurations[0].interfaces[1].name";
// turn that into a JSON pointer into the document.
std::string descriptor_error_path(const std::string& message, const json& doc) {
  const auto colon = message.find(": ");
  if (colon == std::string::npos) return "/usb";
  std::string field = message.substr(0, colon);
  std::string p = "/usb";
  std::string token;
  for (char c : field) {
    if (c == '.' || c == '[') {
      if (!token.empty()) p += "/" + token;
      token.clear();
    } else if (c != ']') {
      token += c;
    }
  }
  if (!token.empty()) p += "/" + token;
  if (p.find(' ') != std::string::npos) return "/usb";
  for (std::string candidate : {p, [&] {
                                  auto q = p;
                                  auto k = q.find("/alt_settings/0");
                                  if (k != std::string::npos) q.erase(k, 15);  // inline shorthand
                                  return q;
                                }()}) {
    if (doc.contains(json::json_pointer(candidate))) return candidate;
  }
  return "/usb";
}

}  // namespace

// One fault rule (usb_faults.hpp) as JSON:
//   {"action": "disconnect", "endpoint": "0x00", "control": {"request": 6, "value": "0x0303"},
//    "skip": 1, "times": 1, "delay_ms": 0, "extra_bytes": 16, "bytes": "DE AD"}
static Fault parse_fault(const Node& n) {
  n.expect_object(
      {"action", "endpoint", "control", "skip", "times", "delay_ms", "extra_bytes", "bytes"});
  Fault f;
  f.action = n.at("action").one_of<FaultAction>({{"stall", FaultAction::stall},
                                                 {"delay", FaultAction::delay},
                                                 {"never_answer", FaultAction::never_answer},
                                                 {"oversize", FaultAction::oversize},
                                                 {"garbage", FaultAction::garbage},
                                                 {"disconnect", FaultAction::disconnect}});
  if (auto v = n.opt("endpoint")) f.endpoint = v->u8();
  if (auto c = n.opt("control")) {
    c->expect_object({"request_type", "request", "value", "index"});
    if (auto v = c->opt("request_type")) f.control.request_type = v->u8();
    if (auto v = c->opt("request")) f.control.request = v->u8();
    if (auto v = c->opt("value")) f.control.value = v->u16();
    if (auto v = c->opt("index")) f.control.index = v->u16();
  }
  if (auto v = n.opt("skip")) f.skip = static_cast<int>(v->uint(1000000));
  if (auto v = n.opt("times")) f.times = static_cast<int>(v->uint(1000000));
  if (auto v = n.opt("delay_ms")) f.delay = std::chrono::milliseconds(v->uint(600000));
  if (auto v = n.opt("extra_bytes")) f.extra_bytes = v->uint(65536);
  if (auto v = n.opt("bytes")) f.bytes = v->hex();
  return f;
}

tl::expected<HandsetSpec, std::string> parse_handset(const json& document, std::string_view source,
                                                     std::string id) {
  const std::string where = source.empty() ? std::string("<handset>") : std::string(source);
  HandsetSpec h;
  h.id = std::move(id);
  try {
    const Node root(document, "");
    root.expect_object({"format", "name", "description", "usb", "ttys", "behavior", "faults"});
    const auto format = root.at("format").str();
    if (format != handset_format)
      root.at("format").fail("expected \"" + std::string(handset_format) + "\", got \"" + format +
                             "\"");
    h.name = root.at("name").nonempty_str();
    if (auto v = root.opt("description")) h.description = v->str();
    h.usb = parse_usb(root.at("usb"));
    if (auto v = root.opt("ttys"))
      for (const auto& t : v->array()) h.ttys.push_back(parse_tty(t));
    if (auto v = root.opt("faults"))
      for (const auto& f : v->array()) h.faults.push_back(parse_fault(f));
    const Node behavior = root.at("behavior");
    behavior.expect_object({"module", "params"});
    h.behavior.module = behavior.at("module").nonempty_str();
    if (auto p = behavior.opt("params")) {
      if (!p->value().is_object()) p->fail("expected an object");
      h.behavior.params = p->value();
    }
  } catch (const JsonReadError& e) {
    return tl::unexpected(where + ": " + e.path + ": " + e.message);
  } catch (const std::exception& e) {
    return tl::unexpected(where + ": " + e.what());
  }
  if (auto built = build_descriptors(h.usb); !built)
    return tl::unexpected(where + ": " + descriptor_error_path(built.error(), document) + ": " +
                          built.error());
  for (std::size_t i = 0; i < h.ttys.size(); ++i) {
    const auto& config = h.usb.configurations.front();
    const bool found =
        std::any_of(config.interfaces.begin(), config.interfaces.end(),
                    [&](const auto& iface) { return iface.number == h.ttys[i].interface; });
    if (!found)
      return tl::unexpected(where + ": /ttys/" + std::to_string(i) +
                            "/interface: the first configuration has no interface " +
                            std::to_string(h.ttys[i].interface));
  }
  return h;
}

}  // namespace dfx::testing
