// The only exchange the plugin has with a phone's MTP interface: one GetDeviceInfo (0x1001)
// command outside a session, then its data and response phases, over a Transport. Nothing else
// can be sent through this code: it builds the one command itself (no OpenSession, no storage
// operation, no reset; see docs/plugins/mtp.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "device_info.hpp"
#include "error.hpp"
#include "response_phase.hpp"
#include "transport.hpp"

namespace dfx::mtp {

/// The transaction id GetDeviceInfo carries outside a session: PIMA 15740 asks for SessionID and
/// TransactionID 0 for operations sent before OpenSession.
inline constexpr uint32_t kOutOfSessionTransactionId = 0;

/// Bounds of one reading.
struct ReadOptions {
  std::chrono::milliseconds transfer_timeout{2000};  ///< each bulk transfer
  std::chrono::milliseconds overall_timeout{5000};   ///< the whole exchange
  std::size_t max_data = kDefaultMaxData;            ///< largest DeviceInfo accepted
  std::size_t read_size = 16384;  ///< bytes asked per IN transfer (a multiple of 512)
};

/// What GetDeviceInfo returned.
struct DeviceInfoReading {
  DeviceInfo info;               ///< the parsed dataset
  std::vector<uint8_t> dataset;  ///< the raw data phase payload, for the record
  std::size_t in_transfers = 0;  ///< bulk IN transfers it took
};

/// The bytes of the one command this code sends: GetDeviceInfo, transaction 0, no parameters.
std::vector<uint8_t> get_device_info_command();

/// Sends GetDeviceInfo and reads its answer within `options`' bounds, checking
/// Transport::should_stop() before every transfer. Errors: those of the transport (with what
/// was being waited for), of ResponsePhase, of parse_device_info (prefixed "DeviceInfo"), and
/// timeout when the overall bound passes.
Result<DeviceInfoReading> read_device_info(Transport& transport, const ReadOptions& options = {});

}  // namespace dfx::mtp
