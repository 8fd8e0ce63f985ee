// The "usbmux" module's parameters (see README.md, "Emulation in the lab").
#include "usbmux_config.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "dfx/testing/json_reader.hpp"

namespace dfx::testing::apple {
namespace {

// Keys a phone withholds when its SIM is PIN-locked, even in a paired session (libimobiledevice
// issues 197 and 618 report IMEI missing then).
const char* const sim_withheld[] = {"InternationalMobileEquipmentIdentity",
                                    "InternationalMobileEquipmentIdentity2",
                                    "MobileEquipmentIdentifier"};

Plist read_values(const JsonReader& r) {
  if (!r.value().is_object()) r.fail("expected an object of lockdown keys and values");
  Plist dict = Plist::dict();
  for (const auto& [key, value] : r.members()) dict.set(key, json_to_plist(value));
  return dict;
}

tl::expected<std::string, std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::unexpected("cannot read \"" + path + "\"");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A 24-character UDID (2018 and later) is written with a hyphen after 8 characters by lockdownd
// and usbmuxd; the USB iSerialNumber carries it without.
std::string udid_from_serial(const std::string& serial) {
  if (serial.size() == 24) return serial.substr(0, 8) + "-" + serial.substr(8);
  return serial;
}

}  // namespace

tl::expected<std::string, std::string> resolve_path(const std::string& path,
                                                    std::string_view source) {
  std::string out;
  std::size_t i = 0;
  if (!path.empty() && path[0] == '~' && (path.size() == 1 || path[1] == '/')) {
    const char* home = std::getenv("HOME");
    if (!home) return tl::unexpected("\"" + path + "\": ~ needs HOME, which is not set");
    out = home;
    i = 1;
  }
  while (i < path.size()) {
    if (path[i] == '$' && i + 1 < path.size() && path[i + 1] == '{') {
      const auto close = path.find('}', i + 2);
      if (close == std::string::npos) return tl::unexpected("\"" + path + "\": unterminated ${");
      const std::string name = path.substr(i + 2, close - i - 2);
      const char* value = std::getenv(name.c_str());
      if (!value)
        return tl::unexpected("\"" + path + "\": environment variable " + name + " is not set");
      out += value;
      i = close + 1;
    } else {
      out += path[i++];
    }
  }
  namespace fs = std::filesystem;
  const fs::path p(out);
  std::error_code ec;
  if (p.is_relative() && !source.empty() && fs::is_regular_file(fs::path(source), ec))
    return (fs::path(source).parent_path() / p).lexically_normal().string();
  return out;
}

std::optional<MuxInterface> find_mux_interface(const UsbDeviceSpec& device, std::uint8_t value) {
  for (const auto& config : device.configurations) {
    if (config.value != value) continue;
    for (const auto& itf : config.interfaces) {
      if (itf.alt_settings.empty()) continue;
      // usbmuxd looks at alternate setting 0 only (usb.c), and so does the phone's host.
      const auto& alt = itf.alt_settings.front();
      if (alt.interface_class != 0xFF || alt.interface_subclass != 0xFE ||
          alt.interface_protocol != 0x02)
        continue;
      MuxInterface m{value, itf.number, 0, 0};
      for (const auto& ep : alt.endpoints) {
        if (ep.type != TransferType::bulk) continue;
        if (ep.is_in() && !m.in) m.in = ep.address;
        if (!ep.is_in() && !m.out) m.out = ep.address;
      }
      if (m.in && m.out) return m;
    }
  }
  return std::nullopt;
}

tl::expected<UsbmuxConfig, std::string> read_usbmux_config(const BehaviorContext& context) {
  bool any_mux = false;
  for (const auto& config : context.device.configurations)
    any_mux = any_mux || find_mux_interface(context.device, config.value).has_value();
  if (!any_mux)
    return tl::unexpected(std::string(
        "/usb: no configuration has an interface ff/fe/02 with a bulk IN and a bulk OUT endpoint "
        "(the usbmux module plays usbmux there)"));

  UsbmuxConfig c;
  std::string pair_record_path, device_key_path;
  const std::string source(context.source);
  try {
    const JsonReader p(context.params, "/behavior/params");
    p.expect_object({"unpaired_values", "session_values", "domains", "pair_record", "device_key",
                     "sim_locked", "hostile"});
    if (auto v = p.opt("unpaired_values")) c.unpaired_values = read_values(*v);
    if (auto v = p.opt("session_values")) c.session_values = read_values(*v);
    if (auto d = p.opt("domains"))
      for (const auto& [name, values] : d->members()) c.domains[name] = read_values(values);
    if (auto s = p.opt("sim_locked")) c.sim_locked = s->boolean();
    if (auto h = p.opt("hostile"))
      c.hostile = h->one_of<Hostile>({{"lockdown_length_4gib", Hostile::lockdown_length_4gib},
                                      {"bplist_garbage", Hostile::bplist_garbage},
                                      {"reset_mid_session", Hostile::reset_mid_session},
                                      {"never_answers", Hostile::never_answers},
                                      {"broken_tcp_seq", Hostile::broken_tcp_seq}});
    auto path_of = [&](const char* key) -> std::string {
      auto r = p.opt(key);
      if (!r) return {};
      auto resolved = resolve_path(r->nonempty_str(), source);
      if (!resolved) r->fail(resolved.error());
      return *resolved;
    };
    pair_record_path = path_of("pair_record");
    device_key_path = path_of("device_key");
    if (pair_record_path.empty() != device_key_path.empty())
      p.fail("\"pair_record\" and \"device_key\" go together: the phone needs both");
    if (!pair_record_path.empty()) {
      auto record = read_file(pair_record_path);
      if (!record) p.at("pair_record").fail(record.error());
      // The plugin's reader: the phone trusts exactly the records the plugin can use.
      auto parsed = dfx::apple::parse_pair_record(
          std::span(reinterpret_cast<const std::uint8_t*>(record->data()), record->size()));
      if (!parsed) p.at("pair_record").fail(pair_record_path + ": " + parsed.status().message());
      c.pairing = std::move(*parsed);
      auto key = read_file(device_key_path);
      if (!key) p.at("device_key").fail(key.error());
      c.device_key_pem = std::move(*key);
    }
  } catch (const JsonReadError& e) {
    return tl::unexpected(e.path + ": " + e.message);
  }

  if (!c.unpaired_values.find("UniqueDeviceID") && !context.device.serial.empty())
    c.unpaired_values.set("UniqueDeviceID",
                          Plist::string(udid_from_serial(context.device.serial.text)));
  if (c.sim_locked) {
    for (const char* key : sim_withheld) c.session_values.erase(key);
    c.session_values.set("SIMStatus", Plist::string("kCTSIMSupportSIMStatusPINLocked"));
  }
  return c;
}

}  // namespace dfx::testing::apple
