#include "identity.hpp"

#include "serial_number.hpp"

namespace dfx::mtp {

Identity identity_from(const DeviceInfo& info) {
  Identity id;
  auto add = [&](const dfx::sdk::ClaimKind& kind, const std::string& value, const char* how,
                 const char* field) {
    if (value.empty())
      id.notes.push_back(std::string("DeviceInfo ") + field + " is empty: not claimed");
    else
      id.claims.push_back({kind, value, how});
  };
  add(dfx::sdk::claim::manufacturer, info.manufacturer, method::manufacturer, "Manufacturer");
  add(dfx::sdk::claim::model, info.model, method::model, "Model");
  add(kDeviceVersionKind, info.device_version, method::device_version, "DeviceVersion");

  switch (classify_serial(info.serial_number)) {
    case SerialKind::empty:
      id.notes.push_back("DeviceInfo SerialNumber is empty: no serial claimed");
      break;
    case SerialKind::unavailable:
      id.findings.push_back(
          {"mtp_serial_unavailable",
           "The phone's MTP SerialNumber is \"" + info.serial_number +
               "\", what Android's MTP server answers when it cannot read the serial number "
               "(Build.SERIAL unavailable), so no serial number was claimed from MTP."});
      break;
    case SerialKind::imei:
      id.claims.push_back({dfx::sdk::claim::serial, info.serial_number, method::serial});
      id.claims.push_back({dfx::sdk::claim::imei, info.serial_number, method::imei});
      id.findings.push_back(
          {"imei_from_mtp_serial",
           "The MTP SerialNumber " + info.serial_number +
               " is 15 digits with a valid Luhn check digit, so it is also reported as the IMEI, "
               "as older Samsung phones (own MTP stack) report their IMEI there; it is an "
               "inference from the format, not a value the phone labelled as an IMEI."});
      break;
    case SerialKind::serial:
      id.claims.push_back({dfx::sdk::claim::serial, info.serial_number, method::serial});
      break;
  }
  if (info.trailing_bytes > 0)
    id.notes.push_back("DeviceInfo has " + std::to_string(info.trailing_bytes) +
                       " bytes after SerialNumber (ignored, as libmtp does)");
  return id;
}

}  // namespace dfx::mtp
