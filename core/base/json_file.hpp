// The small JSON files dfx reads (configuration, plugin manifests): read with a size bound from
// a regular file only, parsed with errors that say where the document is wrong in words a person
// can find in an editor. One rule for every such file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.hpp"

namespace dfx {

/// "line L, column C" of byte offset `byte` (0-based) in `text`.
std::string line_column(std::string_view text, std::size_t byte);

/// The whole of `path`, a regular file of at most `max_bytes` (a FIFO or a device is refused:
/// it could block or never end). Errors name the file and say why; `what` names what the file
/// should have been ("not a manifest").
Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes,
                                    std::string_view what);

/// Bounds on what a small JSON file may be.
struct JsonLimits {
  /// Deepest nesting of objects and arrays (a recursive reader must not overflow its stack).
  std::size_t max_depth = 32;
};

/// `text` parsed as JSON. Refused, with "<origin>: <why>": a syntax error ("invalid JSON at line
/// L, column C: ..."), a key given twice in one object (the second would silently replace the
/// first: a register dropped from a configuration without a word), nesting deeper than the limit.
Result<nlohmann::json> parse_json(std::string_view text, const std::filesystem::path& origin,
                                  JsonLimits limits = {});

}  // namespace dfx
