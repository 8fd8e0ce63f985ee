// The JSON payloads carried by probe protocol frames (see protocol.hpp for the framing).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "plugin_host/manifest.hpp"
#include "usb/device_facts.hpp"

namespace dfx::probe {

/// What a worker is asked to do: run a device plugin on a device, only load a plugin and say
/// what it reports about itself (used by `dfx plugins list`, so that the host never loads code),
/// or serve a register plugin's queries until the host closes the socket.
enum class Mode { Probe, Inspect, Register };

struct Request {  // FrameType::Request
  Mode mode = Mode::Probe;
  std::filesystem::path manifest;          ///< the plugin's manifest file
  std::optional<usb::DeviceFacts> device;  ///< the device to probe (Mode::Probe)
  uint32_t deadline_ms = 0;                ///< the host kills the worker after this long
  bool network = false;                    ///< Mode::Register: the sandbox keeps the network
  std::string register_config{};           ///< Mode::Register: the register's configuration
                                           ///< (JSON, read by the registers module)
  /// Mode::Register: environment variables and read-only paths the register's configuration
  /// grants its plugin's sandbox, besides what the manifest declares
  std::vector<std::string> grant_environment{};
  std::vector<std::filesystem::path> grant_files{};
  bool transcript = false;  ///< Mode::Probe: send the USB transcript after Done
  /// Mode::Probe: answer the plugin from this transcript file instead of opening the device
  /// (a replay; `device` holds the recorded device's facts)
  std::filesystem::path replay{};
};

struct Hello {  // FrameType::Hello
  uint16_t protocol = 0;
  plugin_host::AbiVersion abi;
  int64_t pid = 0;
};

struct LogLine {      // FrameType::Log
  std::string level;  ///< debug, info, warn, error
  std::string message;
};

struct Claim {  // FrameType::Claim
  std::string kind;
  std::string value;
  std::string method;
};

/// Something the examiner must know about the device that is not an identifier.
struct Finding {     // FrameType::Finding
  std::string code;  ///< [a-z0-9_], e.g. "imei_withheld", "usb_configuration_changed"
  std::string message;
};

struct PluginIdentity {  // what a loaded library says about itself
  std::string id, version, name, kind;
  plugin_host::AbiVersion abi;
};

/// The end of a transcript: what the host must have received.
struct TranscriptEnd {  // FrameType::TranscriptEnd
  uint64_t bytes = 0;
  std::string sha256;  ///< of the whole transcript text, lower-case hex
};

struct Done {  // FrameType::Done
  bool ok = false;
  std::string code;                      ///< "ok", or the failure class: refused, plugin_error...
  std::string error;                     ///< the sentence for the technician
  std::optional<PluginIdentity> plugin;  ///< set once the plugin loaded
};

std::string to_payload(const Request&);
std::string to_payload(const Hello&);
std::string to_payload(const LogLine&);
std::string to_payload(const Claim&);
std::string to_payload(const Finding&);
std::string to_payload(const Done&);
std::string to_payload(const TranscriptEnd&);

/// Parsers: a payload that is not the expected JSON is an error naming the field.
Result<Request> parse_request(const std::string& payload);
Result<Hello> parse_hello(const std::string& payload);
Result<LogLine> parse_log(const std::string& payload);
Result<Claim> parse_claim(const std::string& payload);
Result<Finding> parse_finding(const std::string& payload);
Result<Done> parse_done(const std::string& payload);
Result<TranscriptEnd> parse_transcript_end(const std::string& payload);

}  // namespace dfx::probe
