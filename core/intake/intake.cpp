#include "intake/intake.hpp"

#include <array>
#include <vector>

#include "text/csv_reader.hpp"
#include "text/terminal.hpp"

namespace dfx::intake {
namespace {

using ident::Kind;

// The columns a header may name, and the kind each one means.
struct ColumnName {
  std::string_view name;
  Kind kind;
};
constexpr std::array<ColumnName, 11> kColumns = {{{"identifier", Kind::Auto},
                                                  {"value", Kind::Auto},
                                                  {"imei", Kind::Imei},
                                                  {"meid", Kind::Meid},
                                                  {"esn", Kind::Esn},
                                                  {"iccid", Kind::Iccid},
                                                  {"eid", Kind::Eid},
                                                  {"ecid", Kind::Ecid},
                                                  {"udid", Kind::Udid},
                                                  {"imsi", Kind::Imsi},
                                                  {"serial", Kind::Serial}}};
constexpr std::array<char, 3> kDelimiters = {',', ';', '\t'};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool blank(std::string_view s) {
  return trim(s).empty();
}

std::optional<ColumnName> column_named(std::string_view field) {
  std::string lower(trim(field));
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  for (const auto& c : kColumns)
    if (c.name == lower) return c;
  return std::nullopt;
}

// A header: the delimiter under which the line names an identifier column (the one giving the
// most fields when several do), the column's position and what it means.
struct Header {
  char delimiter;
  std::size_t column;
  ColumnName name;
};

std::optional<Header> find_header(std::string_view line) {
  std::optional<Header> best;
  std::size_t best_fields = 0;
  for (char d : kDelimiters) {
    auto one = text::LineReader::from_text(line, "header");
    auto rec = text::CsvReader(one, {d, 1 << 16}).next();
    if (!rec || !*rec) continue;
    const auto& fields = (*rec)->fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto name = column_named(fields[i]);
      if (name && fields.size() > best_fields) {
        best = Header{d, i, *name};
        best_fields = fields.size();
        break;
      }
    }
  }
  return best;
}

std::string delimiter_name(char d) {
  return d == '\t' ? "tab" : d == ';' ? "';'" : "','";
}

// Values wait here until enough are seen to trust where they come from: a table's column, or
// the lines of a list.
class Sample {
 public:
  /// `where` names the source for the error, `hint` what to do; `line` is where the error points
  /// (the header, or the first line). An unjudged sample passes values on at once.
  Sample(const text::LineReader& lines, std::size_t line, std::string where, std::string hint,
         bool judge)
      : lines_(lines),
        line_(line),
        where_(std::move(where)),
        hint_(std::move(hint)),
        trusted_(!judge) {}

  /// Takes a value; false when on_value asked to stop.
  Result<bool> add(Value v, const std::function<bool(Value)>& on_value) {
    if (trusted_) return on_value(std::move(v));
    held_.push_back(std::move(v));
    if (held_.size() < kColumnSample) return true;
    return release(on_value);
  }

  /// At the end of the input: judges what was held and hands it on.
  Result<bool> finish(const std::function<bool(Value)>& on_value) {
    return trusted_ ? Result<bool>(true) : release(on_value);
  }

 private:
  Result<bool> release(const std::function<bool(Value)>& on_value) {
    std::size_t valid = 0;
    std::string example;  // the first refusal, to say what the values are instead
    for (const auto& v : held_) {
      const auto r = ident::normalize(v.text, v.kind);
      if (r)
        ++valid;
      else if (example.empty())
        example = "line " + std::to_string(v.line) + ": " + text::printable(v.text) + ": " +
                  r.error().reason;
    }
    // A handful of typos in a real list is normal; values that are mostly not identifiers mean
    // a wrong column or delimiter, a table whose header is not recognised, or a spreadsheet's
    // number format, and checking them would only produce noise.
    if (held_.size() >= 4 && valid * 2 < held_.size())
      return fail(lines_.where(
          line_, where_ + ": mostly not identifiers (" + std::to_string(valid) + " of the first " +
                     std::to_string(held_.size()) + " are; " + example + "): " + hint_));
    trusted_ = true;
    for (auto& v : held_)
      if (!on_value(std::move(v))) return false;
    held_.clear();
    return true;
  }

  const text::LineReader& lines_;
  std::size_t line_;
  std::string where_, hint_;
  bool trusted_;
  std::vector<Value> held_;
};

Result<void> forward(Result<bool> r) {
  if (!r) return tl::unexpected(std::move(r.error()));
  return {};
}

}  // namespace

Result<void> read(text::LineReader& lines, const Options& options,
                  const std::function<bool(Value)>& on_value, Shape* shape) {
  const Kind kind = options.kind;
  Shape found;
  // The first non-blank line decides what the file is.
  std::string first;
  std::size_t first_line = 0;
  for (;;) {
    auto l = lines.next();
    if (!l) return fail(lines.where(l.error().line, l.error().message));
    if (!*l) {
      if (shape) *shape = found;
      return {};  // nothing at all
    }
    if (blank(**l)) continue;
    first = std::string(**l);
    first_line = lines.line();
    break;
  }
  if (first.starts_with("PK\x03\x04") || first.starts_with("\xD0\xCF\x11\xE0"))
    return fail(lines.where(first_line,
                            "a spreadsheet file (.xlsx, .ods or .xls), not text: save the sheet "
                            "as CSV (comma or semicolon separated), with the identifier column "
                            "formatted as text"));

  const auto header = find_header(first);
  if (!header) {
    // A list: the first line is a value too. Lines with a delimiter in them are most likely a
    // table whose header is not recognised; the sample says so rather than checking them.
    if (shape) *shape = found;
    Sample sample(lines, first_line,
                  "no header names an identifier column, so each line is one value",
                  "name the column in a header line (identifier, imei, meid, esn, iccid, eid, "
                  "ecid, udid, imsi, serial or value) or give one value per line",
                  options.judge_lists);
    auto more = sample.add({first, first_line, kind}, on_value);
    for (;;) {
      if (!more || !*more) return forward(std::move(more));
      auto l = lines.next();
      if (!l) return fail(lines.where(l.error().line, l.error().message));
      if (!*l) break;
      if (blank(**l)) continue;
      more = sample.add({std::string(**l), lines.line(), kind}, on_value);
    }
    return forward(sample.finish(on_value));
  }

  found = {true, header->delimiter, std::string(header->name.name), first_line};
  if (shape) *shape = found;
  const Kind column_kind = kind != Kind::Auto ? kind : header->name.kind;
  Sample sample(
      lines, first_line,
      "column \"" + std::string(header->name.name) + "\" (delimiter " +
          delimiter_name(header->delimiter) + ")",
      std::string("check the column and the delimiter, and export identifiers as text") +
          (column_kind == Kind::Serial ? "" : ", or give --kind serial for serial numbers"),
      true);
  text::CsvReader reader(lines, {header->delimiter, 1 << 16});
  for (;;) {
    auto rec = reader.next();
    if (!rec) return fail(lines.where(rec.error().line, rec.error().message));
    if (!*rec) break;
    auto& fields = (*rec)->fields;
    if (header->column >= fields.size() || blank(fields[header->column])) continue;
    auto more =
        sample.add({std::move(fields[header->column]), (*rec)->line, column_kind}, on_value);
    if (!more || !*more) return forward(std::move(more));
  }
  return forward(sample.finish(on_value));
}

}  // namespace dfx::intake
