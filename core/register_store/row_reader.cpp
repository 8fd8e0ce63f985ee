#include "register_store/row_reader.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

#include "base/json_file.hpp"

#include "register_store/record.hpp"
#include "text/csv_reader.hpp"

namespace dfx::register_store {
namespace {

constexpr std::array<std::string_view, kColumnCount> kNames = {
    "kind", "identifier", "status", "reported_at", "source", "reference", "notes"};
constexpr std::array<Column, 3> kRequired = {kColIdentifier, kColStatus, kColSource};

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

bool blank(std::string_view line) {
  return trim(line).empty();
}

tl::unexpected<RowError> fatal(std::size_t line, std::string reason) {
  return tl::unexpected<RowError>(RowError{line, std::move(reason), true});
}
tl::unexpected<RowError> bad_row(std::size_t line, std::string reason) {
  return tl::unexpected<RowError>(RowError{line, std::move(reason), false});
}

// A record the CSV reader refused: a fault inside one record (a stray quote) is that row's; a
// quoted field left open, a line too long or a read error end the file.
tl::unexpected<RowError> csv_error(const text::CsvError& e) {
  return e.recoverable ? bad_row(e.line, e.message) : fatal(e.line, e.message);
}

class CsvRows final : public RowReader {
 public:
  explicit CsvRows(text::LineReader lines)
      : lines_(std::move(lines)), csv_(lines_, {',', kMaxRecordBytes}) {}

  tl::expected<bool, RowError> next(RawRow& row) override {
    if (!header_read_) {
      if (auto h = read_header(); !h) return tl::unexpected(std::move(h.error()));
      header_read_ = true;
    }
    for (;;) {
      auto rec = csv_.next();
      if (!rec) return csv_error(rec.error());
      if (!*rec) return false;
      auto& fields = (*rec)->fields;
      if (fields.size() == 1 && blank(fields[0])) continue;
      if (fields.size() != columns_.size())
        return bad_row((*rec)->line, std::to_string(fields.size()) +
                                         " fields, but the header has " +
                                         std::to_string(columns_.size()));
      row.line = (*rec)->line;
      row.present.fill(false);
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const Column c = columns_[i];
        row.value[c].assign(trim(fields[i]));
        row.present[c] = true;
      }
      return true;
    }
  }

  const text::LineReader& source() const override { return lines_; }

 private:
  // Register rows are a few hundred bytes; a record this long means a quote is missing.
  static constexpr std::size_t kMaxRecordBytes = 64 * 1024;

  tl::expected<void, RowError> read_header() {
    std::optional<text::CsvRecord> header;
    while (!header) {
      auto rec = csv_.next();
      if (!rec) return fatal(rec.error().line, "header: " + rec.error().message);
      if (!*rec) return fatal(0, lines_.name() + ": the file is empty (no header line)");
      if ((*rec)->fields.size() == 1 && blank((*rec)->fields[0])) continue;
      header = std::move(**rec);
    }
    const std::size_t line = header->line;
    std::array<bool, kColumnCount> seen{};
    for (const auto& name : header->fields) {
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

  text::LineReader lines_;
  text::CsvReader csv_;  ///< reads lines_
  bool header_read_ = false;
  std::vector<Column> columns_;  ///< column of each field, in file order
};

class JsonRows final : public RowReader {
 public:
  explicit JsonRows(text::LineReader lines) : lines_(std::move(lines)) {}

  tl::expected<bool, RowError> next(RawRow& row) override {
    std::string_view text;
    for (;;) {
      auto l = lines_.next();
      if (!l) return fatal(l.error().line, l.error().message);
      if (!*l) return false;
      text = **l;
      if (!blank(text)) break;
    }
    const std::size_t line = lines_.line();
    // Bounded nesting and no key twice (a second "status" must not silently win).
    auto parsed = parse_json(text, "JSON row", {.max_depth = 4});
    if (!parsed) return bad_row(line, parsed.error().message);
    nlohmann::json j = std::move(*parsed);
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

  const text::LineReader& source() const override { return lines_; }

 private:
  text::LineReader lines_;
};

}  // namespace

std::string_view column_name(Column c) {
  return kNames[c];
}

std::string_view to_string(Format f) {
  return f == Format::Csv ? "csv" : "jsonl";
}

std::unique_ptr<RowReader> make_row_reader(Format format, text::LineReader lines) {
  if (format == Format::Csv) return std::make_unique<CsvRows>(std::move(lines));
  return std::make_unique<JsonRows>(std::move(lines));
}

}  // namespace dfx::register_store
