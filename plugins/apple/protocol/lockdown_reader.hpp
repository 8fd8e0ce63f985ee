// The reading of an iPhone in normal mode through lockdownd, over a usbmux connection to port
// 62078: what an unpaired host may ask (QueryType, GetValue of the values lockdownd gives
// anyone: UDID, ECID, ProductType...), and with a pair record a TLS session in which the phone
// also gives its serial number, IMEI, MEID and SIM identifiers. Nothing else is ever sent: no
// SetValue, no Pair, no StartService (lockdown_reader.cpp lists every request).
#pragma once

#include <optional>
#include <string>

#include "byte_stream.hpp"
#include "identity.hpp"
#include "pair_record.hpp"

namespace dfx::apple {

struct LockdownInput {
  std::string usb_udid;                   ///< the iSerialNumber, to hold the answers against
  std::optional<PairRecord> pair_record;  ///< the record for this UDID, when the host has one
  std::string pair_record_origin;         ///< where it was found, for the methods
  std::string pair_record_problem;        ///< why a record that exists could not be used
};

/// Runs the reading on an open connection to lockdownd. Facts are what the phone answered;
/// problems are what makes the reading unsound (an answer that contradicts the USB UDID, a
/// broken protocol); findings say what limited it (no pairing, IMEI withheld).
Reading read_lockdown(ByteStream& lockdownd, const LockdownInput& input);

}  // namespace dfx::apple
