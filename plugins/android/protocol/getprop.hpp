// Parsing what `getprop` prints: one value for `getprop <name>`, or the full listing
// "[name]: [value]" one per line for `getprop`. Pure and bounded: the text comes from the phone.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.hpp"

namespace dfx::android {

/// Longest value kept (ro.* properties may exceed the classic 92-byte PROP_VALUE_MAX).
inline constexpr std::size_t kMaxPropertyValue = 4096;

/// The value printed by `getprop <name>`: the output without its trailing line break(s).
/// Fails (not_found) when empty (the property is not set), (malformed) for a value of several
/// lines or with control characters, (too_large) beyond kMaxPropertyValue.
Result<std::string> parse_getprop_value(std::string_view output);

/// Entries of the `getprop` listing, in order. Lines that are not "[name]: [value]" are skipped
/// and counted; at most `max_entries` are kept.
struct PropertyListing {
  std::vector<std::pair<std::string, std::string>> entries;  ///< name, value
  std::size_t skipped = 0;                                   ///< junk lines dropped
};

/// Parses the full `getprop` listing.
PropertyListing parse_getprop_listing(std::string_view output, std::size_t max_entries = 8192);

}  // namespace dfx::android
