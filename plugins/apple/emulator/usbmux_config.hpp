// The "usbmux" module's parameters, read from the handset JSON (private; the schema is in
// plugins/apple/README.md, "Emulation in the lab").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "dfx/testing/behavior_registry.hpp"
#include "pair_record.hpp"
#include "plist_value.hpp"

namespace dfx::testing::apple {

/// Misbehaviours for robustness tests of usbmux/lockdown hosts.
enum class Hostile {
  none,
  lockdown_length_4gib,  ///< Every lockdown answer announces 0xFFFFFFFF bytes.
  bplist_garbage,        ///< Every lockdown answer is "bplist00" followed by garbage.
  reset_mid_session,     ///< The cable goes at the first request after QueryType's answer.
  never_answers,         ///< The VERSION request is never answered (everything is accepted).
  broken_tcp_seq,        ///< Lockdown data segments skip 64 KiB of sequence space each.
};

struct UsbmuxConfig {
  Plist unpaired_values = Plist::dict();          ///< GetValue without a session (no domain).
  Plist session_values = Plist::dict();           ///< Added inside a paired session (no domain).
  std::map<std::string, Plist> domains;           ///< Domain → dict, readable in a session only.
  std::optional<dfx::apple::PairRecord> pairing;  ///< The host the phone trusts, if any.
  std::string device_key_pem;                     ///< The phone's private key (with a pairing).
  bool sim_locked = false;
  Hostile hostile = Hostile::none;
};

tl::expected<UsbmuxConfig, std::string> read_usbmux_config(const BehaviorContext& context);

/// The usbmux interface (ff/fe/02) of one configuration, with its bulk endpoints.
struct MuxInterface {
  std::uint8_t configuration = 0;
  std::uint8_t interface = 0;
  std::uint8_t in = 0;   ///< Bulk IN endpoint (device → host).
  std::uint8_t out = 0;  ///< Bulk OUT endpoint (host → device).
};

/// The usbmux interface of configuration `value`, if it has one with bulk IN and OUT endpoints.
std::optional<MuxInterface> find_mux_interface(const UsbDeviceSpec& device, std::uint8_t value);

/// `path` with ~ and ${VAR} expanded; a relative result is taken relative to the folder of
/// `source` when `source` names an existing file (a handset file), else to the current folder.
tl::expected<std::string, std::string> resolve_path(const std::string& path,
                                                    std::string_view source);

}  // namespace dfx::testing::apple
