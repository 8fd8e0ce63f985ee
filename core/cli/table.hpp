// Plain-text tables for people: aligned columns, no colour, nothing a script should parse. Cells
// are escaped by text::printable when printed (control characters, bidi overrides), so callers
// add raw text.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace dfx::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  [[nodiscard]] bool empty() const { return rows_.empty(); }
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace dfx::cli
