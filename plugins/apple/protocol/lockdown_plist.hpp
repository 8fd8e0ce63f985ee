// lockdownd's messages: plists (XML from the host; XML or binary "bplist00" from the phone),
// read through Debian's libplist. Requests are built here; answers are parsed as hostile input
// into a small value tree, bounded in depth and size, and checked against the request they
// answer. Pure: no I/O (lockdown_client.hpp sends and receives).
#pragma once

#include <dfx/sdk/result.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dfx::apple::lockdown {

/// A plist value as dfx reads it. Scalars keep a text form: strings as they are, integers in
/// decimal, booleans as "true"/"false", data as its bytes (see `data`), dates as seconds.
struct Value {
  enum class Kind { String, Integer, Boolean, Data, Real, Date, Dict, Array, Other };
  struct Item;  // a Dict member or an Array element (below: Value is incomplete here)
  Kind kind = Kind::Other;
  std::string text;
  std::vector<Item> items;  ///< Dict: key and value; Array: "" and value
  /// The member `key` of a Dict, or nullptr.
  [[nodiscard]] const Value* find(std::string_view key) const;
};

struct Value::Item {
  std::string key;
  Value value;
};

/// Limits on an answer: a GetValue answer is a few KiB.
inline constexpr int kMaxDepth = 8;
inline constexpr std::size_t kMaxNodes = 20000;

/// Parses an XML or binary plist; anything else, a plist libplist cannot read, or one over the
/// limits is an error saying which.
dfx::sdk::Result<Value> parse(std::span<const uint8_t> bytes);

/// A request {Label: "dfx", Request: request, ...fields} as XML, with its 4-byte length prefix.
/// Fields are strings (Key, Domain, HostID, SystemBUID, SessionID, ProtocolVersion).
std::vector<uint8_t> request(std::string_view request,
                             const std::vector<std::pair<std::string, std::string>>& fields = {});

/// The answer to `request`: a Dict whose "Request" is `request`; an "Error" in it becomes an
/// error status whose message starts with the phone's error text (e.g. "MissingValue").
dfx::sdk::Result<Value> check_answer(Value answer, std::string_view request);

}  // namespace dfx::apple::lockdown
