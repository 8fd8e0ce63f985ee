// The service's credential: read once when the register opens, from an environment variable or
// from a file only its owner can read, and never logged, echoed or written into a case.
#pragma once

#include <string>

#include <dfx/sdk/result.hpp>

#include "service_config.hpp"

namespace dfx::register_http {

/// The secret `auth` names ("" for AuthType::None). A file readable by its group or by others,
/// an unset variable, an empty value or one with a line break is an error naming where it was
/// looked for, never its value.
dfx::sdk::Result<std::string> read_secret(const Auth& auth);

/// Base64 of "username:secret", as HTTP basic authentication sends it: what a service echoing
/// the Authorization header would show, redacted like the secret itself.
std::string basic_credential(const std::string& username, const std::string& secret);

/// `text` with every occurrence of `secret` replaced by "[secret]": for any text that came back
/// from the service, which might echo the credential.
std::string redact(std::string text, const std::string& secret);

}  // namespace dfx::register_http
