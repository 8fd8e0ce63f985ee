#include "identity_reader.hpp"

#include <array>
#include <charconv>
#include <vector>

#include "getprop.hpp"
#include "iphonesubinfo.hpp"
#include "parcel.hpp"

namespace dfx::android {
namespace {

using Level = Sink::Level;

// A claim and where it is read from. The kinds are dfx::sdk::ClaimKind so that a misspelt kind
// in the tables below stops the build instead of being refused by the host in a scan.
struct PropertyRead {
  dfx::sdk::ClaimKind kind;
  std::string_view property;
};

struct VariableRead {
  dfx::sdk::ClaimKind kind;
  std::string_view variable;
};

// The properties read over ADB, in order; each is one allow-listed "shell:getprop <name>".
constexpr std::array<PropertyRead, 7> kProperties{{
    {"serial", "ro.serialno"},
    {"manufacturer", "ro.product.manufacturer"},
    {"brand", "ro.product.brand"},
    {"model", "ro.product.model"},
    {"device", "ro.product.device"},
    {"build_fingerprint", "ro.build.fingerprint"},
    {"sdk_level", "ro.build.version.sdk"},
}};

int parse_sdk(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return (ec == std::errc{} && p == s.data() + s.size() && v > 0 && v < 1000) ? v : 0;
}

// States where adbd offers no shell service: reading properties would only fail.
bool has_shell(adb::DeviceState s) {
  return s == adb::DeviceState::device || s == adb::DeviceState::recovery;
}

// A failure that shows the phone does not speak ADB properly (not merely refusing one read):
// the probe ends with it, keeping what was read, rather than carry on with a peer that cannot be
// trusted and may only waste the deadline.
bool breaks_protocol(Errc code) {
  switch (code) {
    case Errc::bad_magic:
    case Errc::checksum_mismatch:
    case Errc::too_large:
    case Errc::malformed:
    case Errc::unexpected:
    case Errc::timeout:
    case Errc::disconnected:
    case Errc::io:
      return true;
    default:
      return false;
  }
}

Status read_device_ids(adb::Session& session, int sdk, int max_slots, Sink& sink) {
  bool imei_claimed = false;
  std::vector<std::string> seen;
  for (int slot = 0; slot < max_slots; ++slot) {
    bool found = false;
    for (const auto& call : subinfo_calls_for_slot(sdk, slot)) {
      const std::string cmd = subinfo_command(call, slot);
      auto out = session.shell("shell:" + cmd);
      if (!out) {
        if (!session.connected() || breaks_protocol(out.error().code))
          return fail(out.error(), "adb: shell:" + cmd);
        sink.log(Level::debug, "adb: " + cmd + ": " + out.error().message);
        continue;
      }
      auto value = parse_service_call_string(*out);
      if (!value) {
        if (value.error().code == Errc::refused) {
          // A permission or exception answer applies to every code: stop asking.
          sink.log(Level::warn, "IMEI/MEID not readable, the phone refused '" + cmd +
                                    "': " + value.error().message);
          return {};
        }
        sink.log(Level::debug,
                 "adb: " + cmd + " (" + std::string(call.method) + "): " + value.error().message);
        continue;
      }
      if (!looks_like_device_id(*value)) {
        sink.log(Level::debug, "adb: " + cmd + " replied '" + value->substr(0, 40) +
                                   "', not a device identifier; trying the next code");
        continue;
      }
      found = true;
      bool duplicate = false;
      for (const auto& s : seen) duplicate = duplicate || s == *value;
      if (duplicate) break;  // e.g. a single-SIM phone answering slot 2 with slot 1's IMEI
      seen.push_back(*value);
      dfx::sdk::ClaimKind kind = device_id_kind(*value, slot);
      // IMEIs are numbered in the order found, not by slot: a phone whose slot 1 gives nothing
      // still has an "imei".
      if (kind.text() != "meid") {
        kind = imei_claimed ? dfx::sdk::ClaimKind("imei2") : dfx::sdk::ClaimKind("imei");
        imei_claimed = true;
      }
      sink.claim(kind, *value, "adb: shell:" + cmd);
      break;
    }
    if (!found && slot == 0)
      sink.log(Level::info,
               "no IMEI/MEID from iphonesubinfo for SIM slot 1 (SDK " + std::to_string(sdk) + ")");
  }
  return {};
}

}  // namespace

Status read_adb(Transport& transport, const adb::AuthKeys& keys, const AdbReadOptions& options,
                Sink& sink) {
  adb::Session session(transport, keys, options.limits);
  auto conn = session.connect();
  if (!conn) return fail(conn.error(), "adb");

  if (!conn->authorized) {
    sink.claim("adb_state", "unauthorized",
               "adb: AUTH; the phone accepted none of " + std::to_string(conn->signatures_sent) +
                   " key(s)" + (conn->public_key_offered ? ", public key offered" : ""));
    if (!options.usb_serial.empty())
      sink.claim("serial", options.usb_serial, "usb: iSerialNumber (phone not authorised)");
    std::string hint =
        "the phone has not authorised this workstation: unlock the phone and "
        "accept 'Allow USB debugging?'";
    if (!options.key_fingerprint.empty())
      hint += " for the RSA key fingerprint " + options.key_fingerprint + " shown";
    hint += " (tick 'Always allow from this computer'), then scan again";
    if (!options.key_location.empty())
      hint += "; this workstation's key is " + options.key_location;
    if (!conn->public_key_offered)
      hint += ". No public key could be offered (no usable adb key): see the earlier log lines";
    sink.log(Level::warn, hint);
    return {};
  }

  const auto& banner = conn->banner;
  sink.claim("adb_state", banner.state_text, "adb: CNXN banner");
  if (!has_shell(banner.state)) {
    // sideload, rescue, bootloader...: no shell, only what the banner says.
    static constexpr std::array<PropertyRead, 2> kBannerProps{
        {{"model", "ro.product.model"}, {"device", "ro.product.device"}}};
    for (const auto& p : kBannerProps)
      if (auto v = banner.property(p.property); v && !v->empty())
        sink.claim(p.kind, *v, "adb: CNXN banner (" + std::string(p.property) + ")");
    sink.log(Level::info, "adb state '" + banner.state_text +
                              "' offers no shell: only the "
                              "banner was read");
    return {};
  }

  int sdk = 0;
  for (const auto& p : kProperties) {
    const std::string service = "shell:getprop " + std::string(p.property);
    auto out = session.shell(service);
    if (!out) {
      if (!session.connected() || breaks_protocol(out.error().code))
        return fail(out.error(), "adb: " + service);
      sink.log(Level::warn, "adb: " + service + ": " + out.error().message);
      continue;
    }
    auto value = parse_getprop_value(*out);
    if (!value) {
      sink.log(value.error().code == Errc::not_found ? Level::debug : Level::warn,
               "adb: " + service + ": " + value.error().message);
      if (p.property == "ro.product.model")
        if (auto v = banner.property("ro.product.model"); v && !v->empty())
          sink.claim("model", *v, "adb: CNXN banner (ro.product.model)");
      continue;
    }
    if (p.property == "ro.build.version.sdk") sdk = parse_sdk(*value);
    sink.claim(p.kind, *value, "adb: " + service);
  }

  if (auto ids = read_device_ids(session, sdk, options.max_slots, sink); !ids) return ids;
  if (!session.connected())
    return fail(Errc::disconnected, "adb: connection lost while reading the IMEI");
  return {};
}

Status read_fastboot(Transport& transport, const fastboot::SessionLimits& limits, Sink& sink) {
  fastboot::Session session(transport, limits);
  // Errors that leave the bootloader usable: a FAIL or an empty answer. Anything else (timeout,
  // malformed response, disconnect) ends the read, keeping what was claimed.
  auto fatal = [](const Error& e) { return e.code != Errc::refused && e.code != Errc::not_found; };

  std::string state = "bootloader";
  std::string state_method = "fastboot: interface 0xFF/0x42/0x03";
  if (auto u = session.getvar("is-userspace"); u) {
    if (*u == "yes") state = "fastbootd";
    state_method = "fastboot: getvar:is-userspace";
  } else if (fatal(u.error())) {
    return fail(u.error(), "fastboot");
  }
  sink.claim("fastboot_state", state, state_method);

  static constexpr std::array<VariableRead, 6> kVars{{
      {"serial", "serialno"},
      {"product", "product"},
      {"version_bootloader", "version-bootloader"},
      {"version_baseband", "version-baseband"},
      {"secure", "secure"},
      {"unlocked", "unlocked"},
  }};
  for (const auto& [kind, var] : kVars) {
    auto v = session.getvar(var);
    if (!v) {
      if (fatal(v.error())) return fail(v.error(), "fastboot");
      sink.log(Level::debug, "fastboot: getvar:" + std::string(var) + ": " + v.error().message);
      continue;
    }
    sink.claim(kind, *v, "fastboot: getvar:" + std::string(var));
  }

  // OEM bootloaders (HTC, Motorola...) list imei/imei2/meid only in getvar:all.
  std::array<bool, 3> have{};
  static constexpr std::array<dfx::sdk::ClaimKind, 3> kIds{"imei", "imei2", "meid"};
  if (auto all = session.getvar_all(); all) {
    for (const auto& var : *all)
      for (std::size_t i = 0; i < kIds.size(); ++i)
        if (!have[i] && var.name == kIds[i].text() && !var.value.empty()) {
          sink.claim(kIds[i], var.value, "fastboot: getvar:all (" + var.name + ")");
          have[i] = true;
        }
  } else if (fatal(all.error())) {
    return fail(all.error(), "fastboot");
  } else {
    sink.log(Level::debug, "fastboot: getvar:all: " + all.error().message);
  }
  for (std::size_t i = 0; i < kIds.size(); ++i) {
    if (have[i]) continue;
    auto v = session.getvar(kIds[i].text());
    if (!v) {
      if (fatal(v.error())) return fail(v.error(), "fastboot");
      continue;
    }
    sink.claim(kIds[i], *v, "fastboot: getvar:" + std::string(kIds[i].text()));
  }
  return {};
}

}  // namespace dfx::android
