#include "hello_protocol.hpp"

namespace hello {

std::optional<Ident> parse_ident(std::string_view answer, std::string& why) {
  Ident id;
  while (!answer.empty()) {
    const auto end = answer.find(';');
    const std::string_view field = answer.substr(0, end);
    answer = end == std::string_view::npos ? std::string_view() : answer.substr(end + 1);
    const auto colon = field.find(':');
    if (colon == std::string_view::npos) {
      why = "field \"" + std::string(field) + "\" has no ':'";
      return std::nullopt;
    }
    const std::string_view key = field.substr(0, colon), value = field.substr(colon + 1);
    if (key == "SN")
      id.serial = value;
    else if (key == "IMEI")
      id.imei = value;
    // Other keys are for other tools: ignored, so that a newer firmware does not break us.
  }
  if (id.serial.empty()) {
    why = "no SN field";
    return std::nullopt;
  }
  return id;
}

}  // namespace hello
