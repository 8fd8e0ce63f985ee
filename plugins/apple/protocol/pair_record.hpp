// A pair record: what a host keeps after an iPhone's owner trusted it (usbmuxd stores them as
// /var/lib/lockdown/<UDID>.plist). dfx only reads them: it never pairs on its own. Pure parsing
// of the plist; finding the file is the plugin's (folders from DFX_APPLE_PAIR_RECORDS, then
// /var/lib/lockdown).
#pragma once

#include <dfx/sdk/result.hpp>

#include <span>
#include <string>

namespace dfx::apple {

struct PairRecord {
  std::string host_id;             ///< HostID, sent in StartSession
  std::string system_buid;         ///< SystemBUID, sent in StartSession
  std::string host_certificate;    ///< PEM: the TLS client certificate
  std::string host_private_key;    ///< PEM: its key
  std::string device_certificate;  ///< PEM: the phone's certificate issued at pairing
  std::string root_certificate;    ///< PEM: the host's root, which issued both
};

/// Reads a pair record (XML or binary plist). Each of the fields above is required; a missing
/// or mistyped one is an error naming it.
dfx::sdk::Result<PairRecord> parse_pair_record(std::span<const uint8_t> bytes);

/// True when `udid` is safe as a file name: 24 or 40 hex digits, or 8 hex, '-', 16 hex.
bool valid_udid(std::string_view udid);

}  // namespace dfx::apple
