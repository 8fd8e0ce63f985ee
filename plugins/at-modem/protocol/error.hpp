// Errors as values for the AT-modem protocol code: every fallible function returns Result<T> or
// Status, whose error says in one sentence what was wrong and where (which command, which
// value), so a technician can read it in the log. Nothing here throws.
#pragma once

#include <dfx/sdk/result.hpp>

#include <string>
#include <utility>

namespace dfx::at {

/// What kind of failure an Error is; the plugin glue maps these to dfx_status codes.
enum class Errc {
  malformed,        ///< a reply or value that does not follow the expected format
  too_large,        ///< a reply beyond a limit (bytes, lines, fields)
  timeout,          ///< the modem did not finish its reply in time
  disconnected,     ///< the device went away
  io,               ///< any other transfer failure
  denied,           ///< refused locally: not on the allow-list (nothing was sent)
  refused,          ///< the modem answered ERROR / +CME ERROR / +CMS ERROR, or a SIM error status
  not_found,        ///< the modem answered but gave no identifier
  cancelled,        ///< the host asked us to stop (deadline near)
  invalid_setting,  ///< an examiner's setting with a value the plugin does not accept
};

/// A short stable name for an Errc ("malformed"...), used in tests and logs.
const char* to_string(Errc code);

/// A failure: its kind and one sentence saying what was wrong.
struct Error {
  Errc code;            ///< the kind of failure
  std::string message;  ///< what was wrong, e.g. "AT+CGSN: no final result within 5000 ms"
};

/// A value or the Error explaining why there is none (the SDK's Result, shared with the glue).
template <typename T>
using Result = dfx::sdk::Result<T, Error>;

/// Success (default-constructed: `return {};`) or an Error.
using Status = dfx::sdk::Result<void, Error>;

/// Passes an error on unchanged, e.g. into a Result of another type.
inline dfx::sdk::Failure<Error> fail(Error error) {
  return dfx::sdk::Failure<Error>{std::move(error)};
}

/// Shorthand for returning a failure: `return fail(Errc::malformed, "no digits");`.
inline dfx::sdk::Failure<Error> fail(Errc code, std::string message) {
  return dfx::sdk::Failure<Error>{Error{code, std::move(message)}};
}

/// Prefixes context to an error's message, keeping its code: "AT+CGSN: timeout ...".
inline dfx::sdk::Failure<Error> fail(const Error& error, const std::string& context) {
  return dfx::sdk::Failure<Error>{Error{error.code, context + ": " + error.message}};
}

}  // namespace dfx::at
