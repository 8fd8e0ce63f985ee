// The "mtp" behaviour's parameters, read strictly from a handset file (README.md, "mtp").
#pragma once

#include <cstdint>
#include <string>

#include <tl/expected.hpp>

#include "device_info.hpp"
#include "dfx/testing/behavior_registry.hpp"

namespace dfx::testing::mtp_emu {

/// How a hostile handset misbehaves (README.md).
enum class Hostile {
  none,
  endless,               ///< a data container announcing ~4 GiB, then data for ever
  garbage,               ///< bytes that are no container, for ever
  bad_dataset,           ///< a well-framed DeviceInfo whose contents are hostile
  silent,                ///< never answers: IN transfers stay pending
  wrong_transaction_id,  ///< the response carries another transaction id
  error_response,        ///< GetDeviceInfo answered by a non-OK response, no data
};

/// Which field of the DeviceInfo bad_dataset breaks.
enum class BadField {
  string_past_end,  ///< Manufacturer's count runs past the end of the dataset
  huge_array,       ///< OperationsSupported announces 0x40000000 items
};

/// Everything the behaviour needs.
struct MtpConfig {
  std::uint8_t in_endpoint = 0;
  std::uint8_t out_endpoint = 0;
  std::uint16_t max_packet = 512;  ///< wMaxPacketSize of the bulk IN endpoint
  dfx::mtp::DeviceInfo info;       ///< what GetDeviceInfo answers
  Hostile hostile = Hostile::none;
  BadField bad_field = BadField::string_past_end;
  std::uint16_t response_code = 0x2019;  ///< error_response: DeviceBusy by default
};

/// Reads the configuration for `context.device` from `context.params`.
tl::expected<MtpConfig, std::string> read_mtp_config(const BehaviorContext& context);

}  // namespace dfx::testing::mtp_emu
