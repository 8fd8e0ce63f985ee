// Errors as values for the host: every fallible function returns dfx::Result<T>, and callers add
// context as the error travels up ("loading plugin android: manifest.json: ...").
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace dfx {

/// A failure explained in one sentence a technician can act on.
struct Error {
  std::string message;

  /// Prefixes `what` to the message: Error{"no such file"}.context("reading x.json").
  Error context(const std::string& what) && {
    message = what + ": " + message;
    return std::move(*this);
  }
  Error context(const std::string& what) const& { return Error{what + ": " + message}; }
};

template <typename T>
using Result = tl::expected<T, Error>;

/// Shorthand for returning a failure: `return fail("bad magic");`.
inline tl::unexpected<Error> fail(std::string message) {
  return tl::unexpected<Error>(Error{std::move(message)});
}

}  // namespace dfx
