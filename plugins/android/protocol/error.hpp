// Errors as values for the Android protocol code. Nothing in plugins/android throws across a
// function boundary that matters: every fallible function returns Result<T> or Status, whose
// error names what was wrong in a sentence a technician can read in the log.
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace dfx::android {

/// What kind of failure an Error is; the plugin glue maps these to dfx_status codes.
enum class Errc {
  bad_magic,          ///< ADB header magic is not command ^ 0xFFFFFFFF
  checksum_mismatch,  ///< ADB payload byte sum differs from the header's data_check
  too_large,          ///< a length beyond a limit (payload, stream, banner, response)
  malformed,          ///< input that does not follow the expected format
  unexpected,         ///< a well-formed message that makes no sense at this point
  timeout,            ///< the peer did not answer in time
  disconnected,       ///< the device went away
  io,                 ///< any other transfer failure
  denied,             ///< refused locally: not on the allow-list (nothing was sent)
  refused,            ///< refused by the phone (permission, exception, FAIL, closed stream)
  unauthorized,       ///< the phone has not authorised this workstation's key
  not_found,          ///< the value does not exist (empty property, null string, no key)
  cancelled,          ///< the host asked us to stop (deadline near)
  crypto,             ///< an OpenSSL operation failed
  unsupported,        ///< something this client does not implement (e.g. ADB over TLS)
};

/// A short stable name for an Errc ("bad_magic"...), used in tests and logs.
const char* to_string(Errc code);

/// A failure: its kind and one sentence saying what was wrong.
struct Error {
  Errc code;            ///< the kind of failure
  std::string message;  ///< what was wrong, e.g. "bad magic 0x00000000 for command CNXN"
};

/// A value or the Error explaining why there is none.
template <typename T>
using Result = tl::expected<T, Error>;

/// Success or an Error.
using Status = tl::expected<void, Error>;

/// Shorthand for returning a failure: `return fail(Errc::malformed, "no ':' in banner");`.
inline tl::unexpected<Error> fail(Errc code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

/// Prefixes context to an error's message, keeping its code: "OPEN shell:getprop x: timeout".
inline tl::unexpected<Error> fail(const Error& error, const std::string& context) {
  return tl::unexpected<Error>(Error{error.code, context + ": " + error.message});
}

}  // namespace dfx::android
