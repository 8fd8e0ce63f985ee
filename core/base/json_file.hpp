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

/// The first `limit` bytes of the regular file open as `fd` (fewer when it is shorter), read
/// from offset 0 whatever the descriptor's position. The buffer grows with what is read, not
/// with the limit: a caller passing its maximum plus one (to tell a file over it) pays for the
/// file's size only. On error, the system's reason.
Result<std::string> read_at_most(int fd, std::size_t limit);

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
