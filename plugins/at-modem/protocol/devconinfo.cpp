#include "devconinfo.hpp"

#include "reply.hpp"  // trim

namespace dfx::at {
namespace {

bool name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string near(std::string_view text, std::size_t at) {
  return " at offset " + std::to_string(at) + " (\"" + std::string(text.substr(at, 24)) + "\")";
}

}  // namespace

std::optional<std::string_view> DevConInfo::get(std::string_view name) const {
  for (const auto& [n, v] : fields)
    if (n == name) return std::string_view(v);
  return std::nullopt;
}

Result<DevConInfo> parse_devconinfo(std::string_view text) {
  text = trim(text);
  if (constexpr std::string_view p = "+DEVCONINFO:"; text.size() >= p.size()) {
    bool match = true;
    for (std::size_t i = 0; i < p.size(); ++i) match = match && upper(text[i]) == p[i];
    if (match) text = trim(text.substr(p.size()));
  }
  DevConInfo info;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ';' || c == ' ' || c == '\t') {  // separators; ";;" is an empty segment
      ++i;
      continue;
    }
    const std::size_t name_start = i;
    while (i < text.size() && name_char(text[i])) ++i;
    if (i == name_start)
      return fail(Errc::malformed, "DEVCONINFO: expected a field name" + near(text, name_start));
    std::string name;
    for (char n : text.substr(name_start, i - name_start)) name.push_back(upper(n));
    if (i >= text.size() || text[i] != '(')
      return fail(Errc::malformed,
                  "DEVCONINFO: field " + name + " has no '('" + near(text, name_start));
    // The value runs to the matching ')': values such as HVID(Data:1,Cache:2) or a model name
    // with parentheses stay whole.
    const std::size_t value_start = ++i;
    int depth = 1;
    while (i < text.size() && depth > 0) {
      if (text[i] == '(') ++depth;
      if (text[i] == ')') --depth;
      ++i;
    }
    if (depth != 0)
      return fail(Errc::malformed,
                  "DEVCONINFO: field " + name + " is not closed" + near(text, name_start));
    if (info.fields.size() >= kMaxDevConInfoFields)
      return fail(Errc::too_large,
                  "DEVCONINFO: more than " + std::to_string(kMaxDevConInfoFields) + " fields");
    info.fields.emplace_back(std::move(name),
                             std::string(trim(text.substr(value_start, i - 1 - value_start))));
    if (i < text.size() && text[i] != ';' && text[i] != ' ' && text[i] != '\t')
      return fail(Errc::malformed, "DEVCONINFO: expected ';' after field " +
                                       info.fields.back().first + near(text, i));
  }
  if (info.fields.empty()) return fail(Errc::malformed, "DEVCONINFO: no fields");
  return info;
}

}  // namespace dfx::at
