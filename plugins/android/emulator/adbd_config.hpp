// The "adbd" module's parameters, read from the handset JSON (private).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "adb_keys.hpp"
#include "dfx/testing/behavior_registry.hpp"
#include "phone_shell.hpp"

namespace dfx::testing::android {

/// Misbehaviours for robustness tests of ADB hosts.
enum class AdbHostile {
  none,
  bad_magic,              ///< Every message the phone sends has a wrong magic.
  bad_checksum,           ///< Announces version 0x01000000 and sends wrong payload checksums.
  oversize_length,        ///< CNXN header claims data_length = max payload + 1.
  endless_write,          ///< An opened stream sends WRTE forever, ignoring flow control.
  disconnect_mid_stream,  ///< The cable is pulled after the first WRTE of a stream.
  huge_banner,            ///< The CNXN banner is 1 MiB.
};

struct AdbdConfig {
  std::uint8_t in_endpoint = 0;
  std::uint8_t out_endpoint = 0;
  std::string state = "device";                   ///< Banner state.
  bool auth_required = true;                      ///< false: ro.adb.secure=0.
  std::vector<adb::PublicKey> authorized_keys;    ///< Inline keys.
  std::vector<std::string> authorized_key_files;  ///< Expanded paths, read at each signature.
  std::uint32_t version = 0x01000001;
  std::uint32_t max_payload = 1024 * 1024;
  std::vector<std::string> features;
  PhoneIdentity phone;
  AdbHostile hostile = AdbHostile::none;

  bool shell_v2() const;
  std::string banner() const;
};

tl::expected<AdbdConfig, std::string> read_adbd_config(const BehaviorContext& context);

/// The bulk IN and OUT endpoints of the first interface with this class triple
/// in the active (first) configuration.
tl::expected<std::pair<std::uint8_t, std::uint8_t>, std::string> find_bulk_pair(
    const UsbDeviceSpec& device, std::uint8_t cls, std::uint8_t sub, std::uint8_t proto);

}  // namespace dfx::testing::android
