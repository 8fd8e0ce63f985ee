#include "text/csv_writer.hpp"

#include <string>

#include "text/terminal.hpp"

namespace dfx::text {

void write_csv_field(OutputBuffer& out, std::string_view value, bool last) {
  const bool starts_with_control = !value.empty() && (value[0] == '\t' || value[0] == '\r');
  const std::string safe = printable(value);
  const std::string_view v = safe;
  const bool formula = starts_with_control ||
                       (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@'));
  if (v.find_first_of(",\"") != std::string_view::npos || formula) {
    out.raw('"');
    if (formula) out.raw('\'');
    for (char c : v) {
      if (c == '"') out.raw('"');
      out.raw(c);
    }
    out.raw('"');
  } else {
    out.raw(v);
  }
  out.raw(last ? '\n' : ',');
}

}  // namespace dfx::text
