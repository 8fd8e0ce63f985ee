// Where a JSON document is wrong, in words a person can find in an editor. One rule for every
// JSON file dfx reads (configuration, manifests).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dfx {

/// "line L, column C" of byte offset `byte` (0-based) in `text`.
std::string line_column(std::string_view text, std::size_t byte);

/// "invalid JSON at line L, column C: <explanation>" for a nlohmann::json::parse_error with
/// byte position `byte` (1-based, as nlohmann reports it) and message `what`.
std::string describe_json_parse_error(std::string_view text, std::size_t byte,
                                      std::string_view what);

}  // namespace dfx
