#include "base/json_error.hpp"

namespace dfx {

std::string line_column(std::string_view text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

std::string describe_json_parse_error(std::string_view text, std::size_t byte,
                                      std::string_view what) {
  // nlohmann's message repeats the byte offset; its explanation follows the last ": ".
  const auto pos = what.rfind(": ");
  const std::string_view why = pos == std::string_view::npos ? what : what.substr(pos + 2);
  return "invalid JSON at " + line_column(text, byte == 0 ? 0 : byte - 1) + ": " + std::string(why);
}

}  // namespace dfx
