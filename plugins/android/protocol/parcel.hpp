// Decoding what `service call <service> <code> ...` prints: a dump of the reply Parcel,
//   Result: Parcel(
//     0x00000000: 00000000 0000000f 00350033 00300032 '........3.5.2.0.'
//     0x00000010: ...                                 '...')
// (short replies fit on the "Result: Parcel(" line without the offset column). Each group of 8
// hex digits is one 32-bit word as the phone's little-endian CPU holds it. For a method returning
// a String the words are: status (0 = no exception), the length in UTF-16 units (-1 = null),
// then the characters two per word, low half first. A non-zero status is an exception code
// followed by the exception's message string.
// Pure and bounded: the text comes from the phone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace dfx::android {

/// The most words read from one dump (16 KiB of reply; an IMEI reply has about 10).
inline constexpr std::size_t kMaxParcelWords = 4096;

/// The 32-bit words of a `Result: Parcel(...)` dump. Fails (refused) for "Parcel(Error: ...)"
/// and for shell errors such as "service: Service iphonesubinfo does not exist" or a
/// "Permission Denial"; (malformed) when no "Result: Parcel(" is found; (too_large) beyond
/// kMaxParcelWords.
Result<std::vector<uint32_t>> parse_parcel_words(std::string_view text);

/// Name of a Binder exception code: -1 "SecurityException", -3 "IllegalArgumentException"...
std::string exception_name(int32_t code);

/// The reply of a String-returning Binder method, decoded.
struct ParcelString {
  int32_t status = 0;                ///< 0: no exception
  std::optional<std::string> value;  ///< UTF-8; nullopt for a null String
};

/// Decodes a String reply from parcel words. Fails (refused) when status is an exception
/// ("SecurityException: <message>" with the message decoded when present), (malformed) when the
/// words are too few for the announced length or the length is negative and not -1.
Result<ParcelString> decode_parcel_string(const std::vector<uint32_t>& words);

/// parse_parcel_words then decode_parcel_string: the usual path for `service call` output.
/// A null String fails with not_found.
Result<std::string> parse_service_call_string(std::string_view text);

}  // namespace dfx::android
