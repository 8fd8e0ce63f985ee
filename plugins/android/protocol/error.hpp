// Errors as values for the Android protocol code. Nothing in plugins/android throws across a
// function boundary that matters: every fallible function returns Result<T> or Status, whose
// error names what was wrong in a sentence a technician can read in the log.
#pragma once

#include <dfx/sdk/result.hpp>

#include <string>
#include <utility>

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

/// A value or the Error explaining why there is none. It is the SDK's Result, so the protocol code
/// and the plugin glue share one kind of Result, and reading a value that is not there (value(),
/// * or ->) throws dfx::sdk::BadResultAccess, which the probe trampoline turns into a plugin
/// error, rather than being undefined behaviour.
template <typename T>
using Result = dfx::sdk::Result<T, Error>;

/// Success (default-constructed: `return {};`) or an Error.
using Status = dfx::sdk::Result<void, Error>;

/// Passes an error on unchanged, e.g. into a Result of another type: `return fail(r.error());`.
inline dfx::sdk::Failure<Error> fail(Error error) {
  return dfx::sdk::Failure<Error>{std::move(error)};
}

/// Shorthand for returning a failure: `return fail(Errc::malformed, "no ':' in banner");`.
inline dfx::sdk::Failure<Error> fail(Errc code, std::string message) {
  return dfx::sdk::Failure<Error>{Error{code, std::move(message)}};
}

/// Prefixes context to an error's message, keeping its code: "OPEN shell:getprop x: timeout".
inline dfx::sdk::Failure<Error> fail(const Error& error, const std::string& context) {
  return dfx::sdk::Failure<Error>{Error{error.code, context + ": " + error.message}};
}

}  // namespace dfx::android
