#include "lockdown_reader.hpp"

#include <cctype>
#include <cstdio>

#include "lockdown_plist.hpp"
#include "models.hpp"
#include "tls_stream.hpp"
#include "usbmux.hpp"

namespace dfx::apple {
namespace {

using dfx::sdk::Result;
using dfx::sdk::Status;
using lockdown::Value;

// The only requests this reader sends. Each is a read, or the session handshake.
constexpr const char* kQueryType = "QueryType";
constexpr const char* kGetValue = "GetValue";
constexpr const char* kStartSession = "StartSession";
constexpr const char* kStopSession = "StopSession";

Result<Value> call(ByteStream& stream, std::string_view name,
                   const std::vector<std::pair<std::string, std::string>>& fields = {}) {
  const std::string what = "lockdown " + std::string(name);
  if (auto st = stream.send(lockdown::request(name, fields)); !st)
    return Status::error(st.code(), what + ": " + st.message());
  std::vector<uint8_t> prefix;
  if (auto st = stream.receive_exact(4, prefix); !st)
    return Status::error(st.code(), what + ": " + st.message());
  auto length = usbmux::lockdown_length(prefix);
  if (!length)
    return Status::error(length.status().code(), what + ": " + length.status().message());
  std::vector<uint8_t> body;
  if (auto st = stream.receive_exact(*length, body); !st)
    return Status::error(st.code(), what + ": " + st.message());
  auto v = lockdown::parse(body);
  if (!v) return Status::error(v.status().code(), what + ": " + v.status().message());
  return lockdown::check_answer(std::move(*v), name);
}

std::string hex_ecid(const std::string& decimal) {
  unsigned long long v = 0;
  for (const char c : decimal) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || v > (~0ull - 9) / 10) return {};
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (decimal.empty() || v == 0) return {};
  char text[24];
  std::snprintf(text, sizeof text, "0x%016llX", v);
  return text;
}

// A UDID as the USB descriptor shows it: upper case, and without the hyphen lockdownd writes
// after the 8-digit chip id of a 25-character UDID (00008020-001D2CD90128002E). A hyphen anywhere
// else is kept, so that it makes the comparison fail (found by fuzz_lockdown_session).
std::string udid_as_on_usb(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!(s.size() == 25 && i == 8 && s[i] == '-'))
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s[i]))));
  return out;
}

std::string bytes_hex(const std::string& bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

// A scalar's text for a fact ("" for dictionaries and arrays); data as hex.
std::string text_of(const Value& v) {
  switch (v.kind) {
    case Value::Kind::String:
    case Value::Kind::Integer:
    case Value::Kind::Boolean:
      return v.text;
    case Value::Kind::Data:
      return bytes_hex(v.text);
    default:
      return {};
  }
}

struct Target {
  const char* key;
  const char* kind;
};

// What an unpaired host is given (the notes' captures), and the claim each one becomes.
constexpr Target kUnpaired[] = {
    {"UniqueDeviceID", "udid"},
    {"ProductType", "x_apple_product_type"},
    {"HardwareModel", "x_apple_hardware_model"},
    {"ProductVersion", "x_apple_ios_version"},
    {"BuildVersion", "x_apple_build"},
    {"DeviceClass", "x_apple_device_class"},
    {"DeviceColor", "x_apple_device_color"},
    {"BasebandSerialNumber", "x_apple_baseband_serial"},
    {"WiFiAddress", "x_apple_wifi_address"},
    {"TelephonyCapability", "x_apple_telephony"},
    {"PasswordProtected", "x_apple_password_protected"},
};
// What a paired session adds.
constexpr Target kPaired[] = {
    {"SerialNumber", "serial"},
    {"InternationalMobileEquipmentIdentity", "imei"},
    {"InternationalMobileEquipmentIdentity2", "imei2"},
    {"MobileEquipmentIdentifier", "meid"},
    {"IntegratedCircuitCardIdentity", "iccid"},
    {"InternationalMobileSubscriberIdentity", "imsi"},
    {"SIMStatus", "x_apple_sim_status"},
};

class Reader {
 public:
  Reader(ByteStream& s, const LockdownInput& in) : stream_(s), in_(in) {}

  Reading run() {
    auto type = call(stream_, kQueryType);
    if (!type) return fail(type.status().message());
    const Value* t = type->find("Type");
    if (t == nullptr || t->text != "com.apple.mobile.lockdown")
      return fail("lockdown QueryType: the service is \"" + (t ? t->text : std::string()) +
                  "\", not com.apple.mobile.lockdown");
    auto all = call(stream_, kGetValue);
    if (!all) return fail(all.status().message());
    const Value* values = all->find("Value");
    if (values == nullptr || values->kind != Value::Kind::Dict)
      return fail("lockdown GetValue: the answer has no dictionary of values");
    const std::string unpaired = "apple: lockdown GetValue (all values), unpaired, over usbmux";
    take_unpaired(*values, unpaired);
    if (!r_.problems.empty()) return std::move(r_);
    paired_or_say_why(*values);
    return std::move(r_);
  }

 private:
  Reading fail(std::string why) {
    r_.problems.push_back(std::move(why));
    return std::move(r_);
  }

  void take_unpaired(const Value& values, const std::string& method) {
    for (const auto& t : kUnpaired)
      if (const Value* v = values.find(t.key))
        if (auto text = text_of(*v); !text.empty())
          r_.facts.push_back({t.kind, text, method + ", " + t.key});
    if (const Value* chip = values.find("ChipID"); chip && chip->kind == Value::Kind::Integer) {
      char text[16];
      std::snprintf(text, sizeof text, "0x%04lX", std::stoul(chip->text));
      r_.facts.push_back({"x_apple_cpid", text, method + ", ChipID"});
    }
    // The ECID: decimal in lockdown, 0x + 16 hex digits as Recovery mode shows it.
    if (const Value* ecid = values.find("UniqueChipID")) {
      const std::string hex = ecid->kind == Value::Kind::Integer ? hex_ecid(ecid->text) : "";
      if (hex.empty())
        r_.problems.push_back("lockdown UniqueChipID \"" + ecid->text + "\" is not an ECID");
      else
        r_.facts.push_back({"ecid", hex, method + ", UniqueChipID"});
    }
    if (const Value* type = values.find("ProductType"); type && !type->text.empty()) {
      if (const Model* m = model_by_product_type(type->text)) {
        std::string name(m->name);
        if (!m->variant.empty()) name += " (" + std::string(m->variant) + ")";
        r_.facts.push_back(
            {"model", name, method + ", ProductType, in the plugin's table of iPhones"});
      }
    }
    r_.facts.push_back({"manufacturer", "Apple", method + " (lockdownd answered)"});
    check_udid(values);
  }

  // The UDID lockdownd gives must be the one on the USB descriptor, and on phones whose UDID is
  // CPID-ECID, its ECID part must be the ECID lockdownd gives: otherwise the answers are not
  // this device's, or not all of one device's.
  void check_udid(const Value& values) {
    const Value* udid = values.find("UniqueDeviceID");
    if (udid == nullptr || udid->text.empty()) {
      r_.problems.push_back("lockdown gave no UniqueDeviceID to hold against the USB serial");
      return;
    }
    if (udid_as_on_usb(udid->text) != udid_as_on_usb(in_.usb_udid))
      r_.problems.push_back("lockdown UniqueDeviceID " + udid->text +
                            " differs from the USB iSerialNumber " + in_.usb_udid);
    const std::string u = udid_as_on_usb(udid->text);
    const Value* ecid = values.find("UniqueChipID");
    if (u.size() == 24 && ecid) {
      const std::string hex = hex_ecid(ecid->text);
      if (!hex.empty() && hex.substr(2) != u.substr(8))
        r_.problems.push_back("lockdown UniqueChipID " + hex + " is not the ECID in the UDID " +
                              udid->text);
    }
  }

  void paired_or_say_why(const Value& unpaired) {
    const Value* locked = unpaired.find("PasswordProtected");
    const bool is_locked = locked && locked->text == "true";
    if (!in_.pair_record) {
      std::string why = in_.pair_record_problem.empty()
                            ? "no pair record for this phone on this workstation"
                            : in_.pair_record_problem;
      r_.findings.push_back(
          {"identifiers_withheld",
           why +
               ": an unpaired host is not given the serial number, IMEI, MEID or SIM "
               "identifiers, so they were not read" +
               std::string(is_locked ? " (the phone is locked; it still answered the unpaired "
                                       "values)"
                                     : "") +
               ". Pairing needs the phone unlocked, its owner's Trust and passcode, and writes a "
               "record to the phone; pair records expire (dfx never pairs on its own)"});
      return;
    }
    const PairRecord& rec = *in_.pair_record;
    auto session =
        call(stream_, kStartSession,
             {{"HostID", rec.host_id}, {"SystemBUID", rec.system_buid}, {"ProtocolVersion", "2"}});
    if (!session) {
      r_.findings.push_back(
          {"identifiers_withheld",
           "the phone refused a session with the pair record " + in_.pair_record_origin + " (" +
               session.status().message() +
               "): it was unpaired, or the record expired; serial number, IMEI and SIM "
               "identifiers were not read"});
      return;
    }
    const Value* id = session->find("SessionID");
    const Value* ssl = session->find("EnableSessionSSL");
    if (id == nullptr || id->text.empty() || ssl == nullptr || ssl->text != "true") {
      r_.problems.push_back(
          "lockdown StartSession: the answer has no SessionID or does not enable TLS; the "
          "session is not read");
      return;
    }
    auto tls = TlsStream::handshake(stream_, rec);
    if (!tls) {
      r_.problems.push_back("lockdown session: " + tls.status().message());
      return;
    }
    ByteStream& secure = **tls;
    const std::string method = "apple: lockdown GetValue (all values) in a paired " +
                               (*tls)->protocol() + " session (pair record " +
                               in_.pair_record_origin + ")";
    auto all = call(secure, kGetValue);
    if (!all) {
      r_.problems.push_back(all.status().message());
      return;
    }
    const Value* values = all->find("Value");
    if (values == nullptr || values->kind != Value::Kind::Dict) {
      r_.problems.push_back("lockdown GetValue in the session: no dictionary of values");
      return;
    }
    if (const Value* u = values->find("UniqueDeviceID");
        u && udid_as_on_usb(u->text) != udid_as_on_usb(in_.usb_udid)) {
      r_.problems.push_back("the paired session's UniqueDeviceID " + u->text +
                            " differs from the USB iSerialNumber");
      return;
    }
    take_paired(*values, unpaired, method);
    (void)call(secure, kStopSession, {{"SessionID", id->text}});
  }

  void take_paired(const Value& values, const Value& unpaired, const std::string& method) {
    for (const auto& t : kPaired)
      if (const Value* v = values.find(t.key))
        if (auto text = text_of(*v); !text.empty())
          r_.facts.push_back({t.kind, text, method + ", " + t.key});
    // Newer iOS keeps the SIM's identifiers per SIM in CarrierBundleInfoArray.
    if (const Value* bundles = values.find("CarrierBundleInfoArray");
        bundles && bundles->kind == Value::Kind::Array)
      for (const auto& [unused, b] : bundles->items)
        for (const auto& t : {Target{"IntegratedCircuitCardIdentity", "iccid"},
                              Target{"InternationalMobileSubscriberIdentity", "imsi"}})
          if (const Value* v = b.find(t.key); v && values.find(t.key) == nullptr)
            if (auto text = text_of(*v); !text.empty())
              r_.facts.push_back({t.kind, text, method + ", CarrierBundleInfoArray " + t.key});
    const Value* phone = values.find("TelephonyCapability");
    if (phone == nullptr) phone = unpaired.find("TelephonyCapability");
    const bool telephony = phone && phone->text == "true";
    if (telephony && values.find("InternationalMobileEquipmentIdentity") == nullptr) {
      const Value* sim = values.find("SIMStatus");
      r_.findings.push_back(
          {"imei_withheld",
           "the phone has telephony but withheld its IMEI in a paired session" +
               (sim && !sim->text.empty() ? " (SIMStatus " + sim->text + ")" : std::string()) +
               "; iPhones do this with a SIM-locked (PIN) SIM inserted: remove the SIM or "
               "unlock it and read again"});
    }
  }

  ByteStream& stream_;
  const LockdownInput& in_;
  Reading r_;
};

}  // namespace

Reading read_lockdown(ByteStream& lockdownd, const LockdownInput& input) {
  return Reader(lockdownd, input).run();
}

}  // namespace dfx::apple
