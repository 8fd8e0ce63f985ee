// Where the plugin looks for a phone's pair record: the folders of $DFX_APPLE_PAIR_RECORDS
// (colon-separated; `dfx scan --apple-pair-records DIR` sets it), then usbmuxd's
// /var/lib/lockdown. Files are <UDID>.plist, the UDID as the USB descriptor shows it or with
// usbmuxd's hyphen. Read-only: dfx never writes a pair record.
#pragma once

#include <string>

#include "lockdown_reader.hpp"

namespace dfx::apple {

/// Fills input.pair_record (and its origin), or input.pair_record_problem when a record exists
/// but cannot be used.
void find_pair_record(const std::string& udid, LockdownInput& input);

}  // namespace dfx::apple
