// Errors as values for the MTP protocol code. Every fallible function returns Result<T> or
// Status; the Error names what was wrong and where (the dataset field and its byte offset, the
// response code), in a sentence a technician can read in the log.
#pragma once

#include <dfx/sdk/result.hpp>

#include <string>
#include <utility>

namespace dfx::mtp {

/// What kind of failure an Error is; the plugin glue maps these to dfx_status codes.
enum class Errc {
  truncated,     ///< the input ends before a field it announces
  malformed,     ///< input that does not follow the format (odd count, missing NUL, bad UTF-16)
  too_large,     ///< a length beyond a limit (container, data phase, array count)
  unexpected,    ///< a well-formed container that makes no sense here (wrong type, code, tid)
  device_error,  ///< the device answered with a response code other than OK
  timeout,       ///< the device did not answer in time
  disconnected,  ///< the device went away
  io,            ///< any other transfer failure
  cancelled,     ///< the host asked us to stop (deadline near)
  unsupported,   ///< the interface lacks what PTP needs (bulk endpoints)
};

/// A short stable name for an Errc ("truncated"...), used in tests and logs.
const char* to_string(Errc code);

/// A failure: its kind and one sentence saying what was wrong.
struct Error {
  Errc code;            ///< the kind of failure
  std::string message;  ///< e.g. "Manufacturer at offset 41: string count 200 runs past the end"
};

/// A value or the Error explaining why there is none (the SDK's Result: reading a value that is
/// not there throws dfx::sdk::BadResultAccess rather than being undefined behaviour).
template <typename T>
using Result = dfx::sdk::Result<T, Error>;

/// Success (`return {};`) or an Error.
using Status = dfx::sdk::Result<void, Error>;

/// Passes an error on unchanged: `return fail(r.error());`.
inline dfx::sdk::Failure<Error> fail(Error error) {
  return dfx::sdk::Failure<Error>{std::move(error)};
}

/// Shorthand for returning a failure: `return fail(Errc::truncated, "...");`.
inline dfx::sdk::Failure<Error> fail(Errc code, std::string message) {
  return dfx::sdk::Failure<Error>{Error{code, std::move(message)}};
}

/// Prefixes context to an error's message, keeping its code: "GetDeviceInfo: timeout".
inline dfx::sdk::Failure<Error> fail(const Error& error, const std::string& context) {
  return dfx::sdk::Failure<Error>{Error{error.code, context + ": " + error.message}};
}

}  // namespace dfx::mtp
