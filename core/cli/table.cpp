#include "cli/table.hpp"

#include <algorithm>

#include "text/terminal.hpp"

namespace dfx::cli {
namespace {

// Display width of UTF-8 text: count code points, not bytes (good enough for names and ids).
std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

void Table::print(std::ostream& out) const {
  // Every cell goes through the one escaping rule (text::printable): a device's descriptor
  // string, a plugin's claim or a register's note may hold escape sequences or bidi overrides,
  // and no table may pass them to a terminal.
  std::vector<std::vector<std::string>> rows;
  rows.reserve(rows_.size());
  for (const auto& r : rows_) {
    auto& safe = rows.emplace_back();
    for (const auto& cell : r) safe.push_back(text::printable(cell));
  }
  std::vector<std::size_t> w(headers_.size());
  for (std::size_t i = 0; i < headers_.size(); ++i) w[i] = width(headers_[i]);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], width(r[i]));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (std::size_t i = 0; i < w.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      s += cell;
      if (i + 1 < w.size()) s += std::string(w[i] - width(cell) + 2, ' ');
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out << s << '\n';
  };
  line(headers_);
  for (const auto& r : rows) line(r);
}

}  // namespace dfx::cli
