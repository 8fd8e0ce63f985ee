// Reads a modem's identity over an AT session: the sequence of allow-listed commands, what each
// answer becomes (claims), and what is logged. Pure protocol code over a Transport and a Sink;
// at_modem_plugin.cpp connects both to the host.
//
// Sequence: AT first (no OK within the probe timeout: stop with a clear error, nothing else is
// sent), then manufacturer, model, revision, IMEI, IMEISV, Samsung's DEVCONINFO (Samsung modems
// only), ICCID, and the IMSI only when the examiner asked. A command answered ERROR / +CME ERROR
// is "not supported" (logged) and its fallback is tried; a transport failure (silence, endless or
// binary output, repeated echo, unplug) ends the read with that error, keeping the claims made.
// The read succeeds only when at least one identifier was claimed.
#pragma once

#include <dfx/sdk/claim_kind.hpp>

#include <chrono>
#include <string_view>

#include "error.hpp"
#include "session.hpp"
#include "transport.hpp"

namespace dfx::at {

/// Where claims, findings and log lines go (the host in the plugin, a recorder in tests).
class Sink {
 public:
  /// Log levels, as the host's.
  enum class Level { debug, info, warn, error };
  virtual ~Sink() = default;
  /// One identifier or fact read: kind, value as read, and the exact command ("at: AT+CGSN").
  virtual void claim(const dfx::sdk::ClaimKind& kind, std::string_view value,
                     std::string_view method) = 0;
  /// Something the examiner must know that is not an identifier (code [a-z0-9_]).
  virtual void finding(std::string_view code, std::string_view message) = 0;
  /// A line for the host's log.
  virtual void log(Level level, std::string_view message) = 0;
};

/// What to read and how patiently.
struct ReadOptions {
  /// The examiner asked for the IMSI (--at-modem-read-imsi yes): AT+CIMI is sent.
  bool read_imsi = false;
  /// The device is Samsung's (VID 0x04e8): AT+DEVCONINFO is sent even if AT+CGMI fails.
  bool samsung = false;
  /// How long the first AT may take to answer OK.
  std::chrono::milliseconds probe_timeout{2000};
  /// How long any other command may take (SIM file reads can be slow).
  std::chrono::milliseconds command_timeout{5000};
  /// Reply bounds and transfer sizes (read_imsi above sets its imsi_opted_in).
  SessionOptions session;
};

/// Reads the identity of the modem behind `transport`. Errors: those of Session::command for the
/// command that failed (its name in the message), refused when AT is not answered OK, not_found
/// when the modem answered but gave no identifier.
Status read_identity(Transport& transport, const ReadOptions& options, Sink& sink);

}  // namespace dfx::at
