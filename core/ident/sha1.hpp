// Internal: SHA-1 through OpenSSL's EVP interface, used only for the MEID pseudo-ESN.
// (SHA-1 is not used for security here: the pESN definition simply specifies it.)
#pragma once

#include <array>
#include <cstddef>
#include <optional>

namespace dfx::ident::detail {

/// SHA-1 digest of `size` bytes at `data`; nullopt if OpenSSL cannot provide SHA-1 (e.g. a
/// provider configuration without it).
std::optional<std::array<unsigned char, 20>> sha1(const unsigned char* data, std::size_t size);

}  // namespace dfx::ident::detail
