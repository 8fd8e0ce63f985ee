#include "store/row_reader.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

#include "store/record.hpp"
#include "tac/csv.hpp"

namespace dfx::reg {
namespace {

constexpr std::array<std::string_view, kColumnCount> kNames = {
    "kind", "identifier", "status", "reported_at", "source", "reference", "notes"};
constexpr std::array<Column, 3> kRequired = {kColIdentifier, kColStatus, kColSource};
constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::optional<Column> column_of(std::string_view name) {
  std::string lower(trim(name));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i < kColumnCount; ++i)
    if (kNames[i] == lower) return static_cast<Column>(i);
  return std::nullopt;
}

std::string expected_columns() {
  return "expected identifier, status, source and optionally reported_at, reference, notes, kind";
}

bool blank(std::string_view line) { return trim(line).empty(); }

// Whether a CSV line ends inside a quoted field (RFC 4180: a quote opens a field only at its
// start; "" inside a quoted field is a quote). `inside` tells whether the line starts inside one.
bool ends_inside_quotes(std::string_view line, bool inside) {
  bool field_start = !inside;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (inside) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') ++i;
        else inside = false;
      }
    } else if (c == ',') {
      field_start = true;
    } else {
      if (c == '"' && field_start) inside = true;
      field_start = false;
    }
  }
  return inside;
}

tl::unexpected<RowError> fatal(std::size_t line, std::string reason) {
  return tl::unexpected<RowError>(RowError{line, std::move(reason), true});
}
tl::unexpected<RowError> bad_row(std::size_t line, std::string reason) {
  return tl::unexpected<RowError>(RowError{line, std::move(reason), false});
}

// An I/O or line-length error of the LineSource: its message already names file and line, so it
// is passed on as a fatal error about no particular line (line 0: the reason is used as is).
tl::unexpected<RowError> source_error(const Error& e) { return fatal(0, e.message); }

class CsvRows final : public RowReader {
 public:
  explicit CsvRows(LineSource lines) : lines_(std::move(lines)) {}

  tl::expected<bool, RowError> next(RawRow& row) override {
    if (!header_read_) {
      if (auto h = read_header(); !h) return tl::unexpected(std::move(h.error()));
      header_read_ = true;
    }
    std::string_view text;
    std::size_t first_line = 0;
    for (;;) {  // the next non-blank line
      auto l = lines_.next();
      if (!l) return source_error(l.error());
      if (!*l) return false;
      if (!blank(**l)) {
        text = **l;
        first_line = lines_.line();
        break;
      }
    }
    // A quoted field may span lines: join lines while one is open. A stray quote inside an
    // unquoted field opens nothing (CsvReader reports it), so it cannot swallow the next lines.
    if (ends_inside_quotes(text, false)) {
      record_.assign(text);
      bool open = true;
      while (open) {
        auto l = lines_.next();
        if (!l) return source_error(l.error());
        if (!*l)
          return fatal(first_line, "quoted field is not closed before the end of the file");
        record_.push_back('\n');
        record_.append(**l);
        if (record_.size() > kMaxLineBytes)
          return fatal(first_line, "record is longer than " + std::to_string(kMaxLineBytes) +
                                       " bytes (is a quote missing?)");
        open = ends_inside_quotes(**l, true);
      }
      text = record_;
    }
    tac::CsvReader reader(text, first_line);
    auto rec = reader.next();
    if (!rec) return bad_row(rec.error().line, rec.error().message);
    auto& fields = (*rec)->fields;
    if (fields.size() != columns_.size())
      return bad_row(first_line, std::to_string(fields.size()) + " fields, but the header has " +
                                     std::to_string(columns_.size()));
    row.line = first_line;
    row.present.fill(false);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const Column c = columns_[i];
      row.value[c].assign(trim(fields[i]));
      row.present[c] = true;
    }
    return true;
  }

  const LineSource& source() const override { return lines_; }

 private:
  tl::expected<void, RowError> read_header() {
    std::string_view text;
    for (;;) {
      auto l = lines_.next();
      if (!l) return source_error(l.error());
      if (!*l) return fatal(0, lines_.name() + ": the file is empty (no header line)");
      text = **l;
      if (lines_.line() == 1 && text.starts_with(kBom)) text.remove_prefix(kBom.size());
      if (!blank(text)) break;
    }
    const std::size_t line = lines_.line();
    tac::CsvReader reader(text, line);
    auto rec = reader.next();
    if (!rec) return fatal(line, "header: " + rec.error().message);
    std::array<bool, kColumnCount> seen{};
    for (const auto& name : (*rec)->fields) {
      const auto c = column_of(name);
      if (!c)
        return fatal(line, "unknown column \"" + std::string(trim(name)) + "\" in the header (" +
                               expected_columns() + ")");
      if (seen[*c]) return fatal(line, "column \"" + std::string(kNames[*c]) + "\" appears twice");
      seen[*c] = true;
      columns_.push_back(*c);
    }
    for (Column c : kRequired)
      if (!seen[c])
        return fatal(line, "the header has no \"" + std::string(kNames[c]) + "\" column (" +
                               expected_columns() + ")");
    return {};
  }

  LineSource lines_;
  bool header_read_ = false;
  std::vector<Column> columns_;  ///< column of each field, in file order
  std::string record_;           ///< a record joined from several lines
};

class JsonRows final : public RowReader {
 public:
  explicit JsonRows(LineSource lines) : lines_(std::move(lines)) {}

  tl::expected<bool, RowError> next(RawRow& row) override {
    std::string_view text;
    for (;;) {
      auto l = lines_.next();
      if (!l) return source_error(l.error());
      if (!*l) return false;
      text = **l;
      if (lines_.line() == 1 && text.starts_with(kBom)) text.remove_prefix(kBom.size());
      if (!blank(text)) break;
    }
    const std::size_t line = lines_.line();
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      std::string what = e.what();  // "[json.exception.parse_error.101] parse error at ..."
      if (auto p = what.find("] "); p != std::string::npos) what.erase(0, p + 2);
      return bad_row(line, "not JSON: " + what);
    }
    if (!j.is_object()) return bad_row(line, "expected a JSON object with the row's fields");
    row.line = line;
    row.present.fill(false);
    for (const auto& [key, value] : j.items()) {
      const auto c = column_of(key);
      if (!c || key != kNames[*c])
        return bad_row(line, "unknown key \"" + key + "\" (" + expected_columns() + ")");
      if (value.is_null()) continue;  // same as absent; required keys are checked later
      if (!value.is_string())
        return bad_row(line, "\"" + key + "\" must be a string, not " +
                                 std::string(value.type_name()) +
                                 (value.is_number() ? " (write identifiers in quotes)" : ""));
      row.value[*c].assign(trim(value.get_ref<const std::string&>()));
      row.present[*c] = true;
    }
    return true;
  }

  const LineSource& source() const override { return lines_; }

 private:
  LineSource lines_;
};

}  // namespace

std::string_view column_name(Column c) { return kNames[c]; }

std::string_view to_string(Format f) { return f == Format::Csv ? "csv" : "jsonl"; }

std::unique_ptr<RowReader> make_row_reader(Format format, LineSource lines) {
  if (format == Format::Csv) return std::make_unique<CsvRows>(std::move(lines));
  return std::make_unique<JsonRows>(std::move(lines));
}

}  // namespace dfx::reg
