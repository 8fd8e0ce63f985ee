// A USB transcript: every call a plugin made through the host API on one device (setup packet or
// endpoint, bytes out, bytes in, status, timing), in order. It is the record of exactly what was
// asked of a phone: the probe worker records it outside the plugin's sandbox (recording_port.hpp),
// a case keeps it beside the reading's record, and a replay answers the plugin from it instead of
// the phone (replay_port.hpp) so that a third party can repeat the reading.
//
// On disk it is JSON lines: a header object ({"dfx_transcript":1, ...}), one object per exchange,
// and an end object ({"end":true, counts}). Bytes are lower-case hex. The format is documented in
// docs/evidence.md.
#pragma once

#include <dfx/plugin.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace dfx::usb {

/// The host API call an exchange records.
enum class UsbOp { claim, release, control, bulk, interrupt, string, configure };

/// "control", "bulk"...
std::string_view to_string(UsbOp op);

struct Exchange {
  uint32_t n = 0;  ///< position in the transcript, from 0
  UsbOp op = UsbOp::control;
  int64_t at_us = 0;  ///< when the call started, in microseconds after the transcript's start
  int64_t us = 0;     ///< how long it took
  /// claim/release: the interface; bulk/interrupt: the endpoint; string: the descriptor index;
  /// configure: the configuration asked for; control: bmRequestType.
  uint8_t target = 0;
  uint8_t request = 0;       ///< control: bRequest
  uint16_t value = 0;        ///< control: wValue
  uint16_t index = 0;        ///< control: wIndex
  uint32_t length = 0;       ///< the caller's buffer (control: wLength)
  uint32_t transferred = 0;  ///< control, bulk, interrupt: the bytes moved
  std::string out;           ///< bytes sent (control, bulk, interrupt OUT)
  std::string in;            ///< bytes received (IN transfers)
  std::string text;          ///< string: the descriptor's text
  uint8_t previous = 0;      ///< configure: the configuration active before
  dfx_status status = DFX_OK;
  std::string message;  ///< the error's sentence when status is not DFX_OK

  /// The call left the workstation: dfx's policy did not refuse it before sending (DENIED), nor
  /// its argument checks (INVALID_ARGUMENT). Claims and releases count: the kernel acts on them.
  [[nodiscard]] bool reached_device() const;
  /// An IN transfer (control with bmRequestType bit 7, bulk/interrupt to an IN endpoint).
  [[nodiscard]] bool is_in() const;
  /// "control 0x80/0x06 wValue 0x0300 wIndex 0x0000 wLength 255", "bulk OUT 0x01 24 bytes"...
  [[nodiscard]] std::string describe() const;
};

struct Transcript {
  /// Who made the calls and on what: {"dfx_transcript":1, "plugin":{id, version,
  /// library_sha256}, "device":{facts}, "started":"UTC"}. Filled by whoever records.
  nlohmann::json header = nlohmann::json::object();
  std::vector<Exchange> exchanges;
  /// Recording stopped keeping exchanges once the size limit was reached; `dropped` were not
  /// kept. A truncated transcript still counts what reached the device but cannot be replayed.
  bool truncated = false;
  uint64_t dropped = 0;

  [[nodiscard]] uint64_t reached_device() const;
  [[nodiscard]] uint64_t refused() const;
};

/// The transcript as JSON lines (header, exchanges, end), each line ending in '\n'.
std::string to_jsonl(const Transcript& t);

/// One exchange as the JSON object of its line.
nlohmann::json exchange_json(const Exchange& e);

/// Reads JSON lines written by to_jsonl. Hostile input: at most `max_bytes`, every member
/// checked (types, ranges, hex), exchanges numbered 0, 1, 2... and the end line's counts equal to
/// what precedes it; the error names the line.
Result<Transcript> parse_transcript(std::string_view text, std::size_t max_bytes = 64u << 20);

/// The first difference between what a plugin asked in `expected` (a recorded reading) and in
/// `actual` (its replay), or nullopt when it asked the same things in the same order. Compares
/// the requests (op, setup packet or endpoint, length, bytes out), not the answers, which the
/// replay took from `expected`. Names the exchange and what differs.
std::optional<std::string> first_request_difference(const Transcript& expected,
                                                    const Transcript& actual);

}  // namespace dfx::usb
