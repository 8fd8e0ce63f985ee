#include "text/csv_writer.hpp"

namespace dfx::text {

void write_csv_field(OutputBuffer& out, std::string_view v, bool last) {
  const bool formula = !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@');
  if (v.find_first_of(",\"\r\n") != std::string_view::npos || formula) {
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
