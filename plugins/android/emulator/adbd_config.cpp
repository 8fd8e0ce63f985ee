// The "adbd" module's parameters (see README.md, "adbd").
#include "adbd_config.hpp"

#include <cctype>

#include "dfx/testing/json_reader.hpp"

namespace dfx::testing::android {
namespace {

using Reader = JsonReader;

// Luhn check of a digit string (IMEI: 15 digits).
bool luhn_valid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return false;
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

// What a recent phone advertises, without shell_v2: without it the host uses
// plain "shell:" streams, which every adb client supports (README explains).
const std::vector<std::string> default_features = {"cmd",
                                                   "stat_v2",
                                                   "ls_v2",
                                                   "fixed_push_mkdir",
                                                   "apex",
                                                   "abb",
                                                   "fixed_push_symlink_timestamp",
                                                   "abb_exec",
                                                   "remount_shell",
                                                   "track_app",
                                                   "sendrecv_v2"};

SubInfoAnswer::Kind answer_kind(const Reader& r) {
  using K = SubInfoAnswer::Kind;
  return r.one_of<K>({{"imei", K::imei},
                      {"imei_for_slot", K::imei_for_slot},
                      {"imei_for_subscription", K::imei_for_subscription},
                      {"meid", K::meid},
                      {"null", K::null_string},
                      {"permission_denied", K::permission_denied},
                      {"no_such_transaction", K::no_such_transaction}});
}

void read_identity(const Reader& p, const UsbDeviceSpec& device, PhoneIdentity& phone) {
  if (auto props = p.opt("properties"))
    for (const auto& [key, value] : props->members()) phone.properties[key] = value.str();
  // A phone's iSerialNumber is ro.serialno: default one from the other.
  if (!phone.properties.count("ro.serialno") && !device.serial.empty())
    phone.properties["ro.serialno"] = device.serial.text;
  if (auto imei = p.opt("imei")) {
    const auto list = imei->strings();
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Reader at = imei->value().is_array() ? imei->array()[i] : *imei;
      if (list[i].size() != 15 || !luhn_valid(list[i]))
        at.fail("\"" + list[i] + "\" is not a 15-digit IMEI with a valid Luhn check digit");
    }
    phone.imei = list;
  }
  if (auto meid = p.opt("meid")) {
    phone.meid = meid->str();
    bool hex = phone.meid.size() == 14;
    for (char c : phone.meid) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
    if (!hex) meid->fail("\"" + phone.meid + "\" is not a 14-hex-digit MEID");
  }
  phone.permission_message =
      "getDeviceId: The user 2000 does not meet the requirements to access device identifiers.";
  if (auto m = p.opt("permission_message")) phone.permission_message = m->str();
  if (auto table = p.opt("iphonesubinfo")) {
    for (const auto& [code_text, entry] : table->members()) {
      std::uint32_t code = 0;
      try {
        std::size_t used = 0;
        const unsigned long v = std::stoul(code_text, &used, 10);
        if (used != code_text.size() || v == 0 || v > 0x00FFFFFF)
          throw std::invalid_argument("range");
        code = static_cast<std::uint32_t>(v);
      } catch (const std::logic_error&) {
        entry.fail("key \"" + code_text + "\" is not a transaction code (1..16777215)");
      }
      SubInfoAnswer answer;
      if (entry.value().is_string()) {
        answer.kind = answer_kind(entry);
      } else {
        entry.expect_object({"answer", "message"});
        auto kind = entry.opt("answer");
        if (!kind) entry.fail("missing required key \"answer\"");
        answer.kind = answer_kind(*kind);
        if (auto m = entry.opt("message")) answer.message = m->str();
      }
      phone.iphonesubinfo[code] = answer;
    }
  }
}

}  // namespace

bool AdbdConfig::shell_v2() const {
  for (const auto& f : features)
    if (f == "shell_v2") return true;
  return false;
}

std::string AdbdConfig::banner() const {
  auto prop = [&](const char* k) {
    auto it = phone.properties.find(k);
    return it == phone.properties.end() ? std::string() : it->second;
  };
  std::string b = state + "::ro.product.name=" + prop("ro.product.name") +
                  ";ro.product.model=" + prop("ro.product.model") +
                  ";ro.product.device=" + prop("ro.product.device") + ";features=";
  for (std::size_t i = 0; i < features.size(); ++i) b += (i ? "," : "") + features[i];
  return b;
}

tl::expected<std::pair<std::uint8_t, std::uint8_t>, std::string> find_bulk_pair(
    const UsbDeviceSpec& device, std::uint8_t cls, std::uint8_t sub, std::uint8_t proto) {
  char triple[16];
  std::snprintf(triple, sizeof triple, "%02x/%02x/%02x", cls, sub, proto);
  if (!device.configurations.empty()) {
    for (const auto& itf : device.configurations.front().interfaces) {
      for (const auto& alt : itf.alt_settings) {
        if (alt.interface_class != cls || alt.interface_subclass != sub ||
            alt.interface_protocol != proto)
          continue;
        std::uint8_t in = 0, out = 0;
        for (const auto& ep : alt.endpoints) {
          if (ep.type != TransferType::bulk) continue;
          if (ep.is_in() && !in) in = ep.address;
          if (!ep.is_in() && !out) out = ep.address;
        }
        if (in && out) return std::make_pair(in, out);
        return tl::unexpected("/usb: interface " + std::to_string(itf.number) + " (" + triple +
                              ") needs a bulk IN and a bulk OUT endpoint");
      }
    }
  }
  return tl::unexpected(std::string("/usb: the first configuration has no interface ") + triple);
}

tl::expected<AdbdConfig, std::string> read_adbd_config(const BehaviorContext& context) {
  AdbdConfig c;
  auto eps = find_bulk_pair(context.device, 0xFF, 0x42, 0x01);
  if (!eps) return tl::unexpected(eps.error() + " (the adbd module plays ADB on ff/42/01)");
  c.in_endpoint = eps->first;
  c.out_endpoint = eps->second;
  try {
    const Reader p(context.params, "/behavior/params");
    p.expect_object({"state", "auth", "authorized_keys", "authorized_keys_file", "version",
                     "max_payload", "features", "properties", "imei", "meid", "iphonesubinfo",
                     "permission_message", "hostile"});
    if (auto s = p.opt("state"))
      c.state = s->one_of<std::string>({{"device", "device"},
                                        {"recovery", "recovery"},
                                        {"sideload", "sideload"},
                                        {"rescue", "rescue"},
                                        {"bootloader", "bootloader"},
                                        {"host", "host"}});
    if (auto a = p.opt("auth")) c.auth_required = a->one_of<bool>({{"rsa", true}, {"none", false}});
    if (auto keys = p.opt("authorized_keys")) {
      for (const auto& k : keys->array()) {
        auto key = adb::parse_public_key(k.str());
        if (!key) k.fail(key.error());
        c.authorized_keys.push_back(std::move(*key));
      }
    }
    if (auto files = p.opt("authorized_keys_file")) {
      for (const auto& f : files->strings()) {
        auto path = adb::expand_path(f);
        if (!path) files->fail(path.error());
        c.authorized_key_files.push_back(*path);
      }
    }
    if (auto v = p.opt("version")) c.version = static_cast<std::uint32_t>(v->uint(0xFFFFFFFF));
    if (auto m = p.opt("max_payload")) {
      c.max_payload = static_cast<std::uint32_t>(m->uint(1024 * 1024));
      if (c.max_payload < 4096) m->fail("must be at least 4096 (the legacy maximum payload)");
    }
    c.features = default_features;
    if (auto f = p.opt("features")) c.features = f->strings();
    read_identity(p, context.device, c.phone);
    if (auto h = p.opt("hostile"))
      c.hostile =
          h->one_of<AdbHostile>({{"bad_magic", AdbHostile::bad_magic},
                                 {"bad_checksum", AdbHostile::bad_checksum},
                                 {"oversize_length", AdbHostile::oversize_length},
                                 {"endless_write", AdbHostile::endless_write},
                                 {"disconnect_mid_stream", AdbHostile::disconnect_mid_stream},
                                 {"huge_banner", AdbHostile::huge_banner}});
  } catch (const JsonReadError& e) {
    return tl::unexpected(e.path + ": " + e.message);
  }
  return c;
}

}  // namespace dfx::testing::android
