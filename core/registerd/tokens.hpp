// The bearer tokens dfx-registerd accepts, stored hashed: a file of lines "<name> <sha256 of the
// token in hex>" ('#' starts a comment), readable by its owner only. A stolen tokens file gives no
// token; a request names the token it used only by its name in the log.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace dfx::registerd {

class Tokens {
 public:
  /// Reads `path`. Refused: a file others may read or write, a line that is not "<name> <64 hex>",
  /// a name given twice, no token at all.
  static Result<Tokens> load(const std::filesystem::path& path);
  /// From lines already read (for tests), with `origin` naming them in errors.
  static Result<Tokens> parse(std::string_view text, std::string_view origin);

  /// The name of the token `token` (an Authorization header's bearer value), or nullopt. Every
  /// stored hash is compared, in constant time, whatever matches.
  [[nodiscard]] std::optional<std::string> name_of(std::string_view token) const;

  /// A new random token (32 bytes, hex) and the line that stores it under `name`.
  static std::pair<std::string, std::string> make(const std::string& name);

 private:
  struct Entry {
    std::string name, sha256;
  };
  std::vector<Entry> entries_;
};

}  // namespace dfx::registerd
