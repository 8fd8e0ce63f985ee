#include "tac/osmocom.hpp"

#include <optional>
#include <unordered_map>

#include "text/csv_reader.hpp"
#include "text/utf8.hpp"

namespace dfx::tac {
namespace {

using text::CsvReader;
using text::CsvRecord;
using text::is_valid_utf8;
using text::LineReader;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// A value for a message: quoted, shortened, control characters shown as '?'.
std::string quote_for_message(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < 40; ++i)
    out.push_back(static_cast<unsigned char>(s[i]) < 0x20 ? '?' : s[i]);
  if (s.size() > 40) out += "...";
  return out + "\"";
}

// Fields as the line had them (for a message).
std::string joined(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

bool starts_with_header(std::string_view line) {
  return lower(line.substr(0, 14)).starts_with("tac,name,name");
}

bool is_header(const CsvRecord& r) {
  return r.fields.size() >= 3 && lower(trim(r.fields[0])) == "tac" &&
         lower(trim(r.fields[1])) == "name" && lower(trim(r.fields[2])) == "name";
}

bool is_blank(const CsvRecord& r) {
  return r.fields.size() == 1 && trim(r.fields[0]).empty();
}

bool is_tac(std::string_view s) {
  if (s.size() != 8) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Checks one data row; on success fills `row`, else returns why it is malformed.
std::optional<std::string> read_row(const CsvRecord& rec, std::size_t columns, TacRow& row) {
  if (rec.fields.size() != columns)
    return std::to_string(rec.fields.size()) + " fields, but the header has " +
           std::to_string(columns);
  for (std::size_t i = 0; i < rec.fields.size(); ++i)
    if (!is_valid_utf8(rec.fields[i]))
      return "field " + std::to_string(i + 1) + " is not valid UTF-8 text";
  const std::string_view tac = trim(rec.fields[0]);
  if (!is_tac(tac)) return "TAC " + quote_for_message(tac) + " is not 8 digits";
  const std::string_view brand = trim(rec.fields[1]);
  if (brand.empty()) return "TAC " + std::string(tac) + " has no brand (column 2)";
  row.tac = tac;
  row.brand = brand;
  row.model = trim(rec.fields[2]);
  // `aka` is the last column of the Osmocom header; other lists may not have it.
  row.aka = columns >= 8 ? trim(rec.fields[7]) : std::string_view();
  row.line = rec.line;
  return std::nullopt;
}

std::string brand_model(const TacRow& r) {
  return quote_for_message(r.brand + " " + r.model);
}

}  // namespace

Result<TacList> parse_osmocom_tac_list(LineReader& lines, const OsmocomOptions& options) {
  const auto at = [&](std::size_t line, std::string_view why) {
    return fail(lines.where(line, why));
  };

  TacList list;
  auto first = lines.next();
  if (!first) return at(first.error().line, first.error().message);
  if (!*first)
    return at(1, "the file is empty (expected a licence line or the header tac,name,name,...)");
  const std::string line1(trim(**first));
  // Line 1 is the licence banner, unless the list starts with its header.
  std::optional<CsvRecord> header;
  if (starts_with_header(line1)) {
    auto one = LineReader::from_text(line1, lines.name());
    auto rec = CsvReader(one).next();
    if (!rec || !*rec) return at(1, rec ? "no header" : rec.error().message);
    header = std::move(**rec);
  } else {
    if (!is_valid_utf8(line1)) return at(1, "the licence line is not valid UTF-8 text");
    list.banner = line1;
  }

  CsvReader reader(lines);
  if (!header) {
    auto rec = reader.next();
    if (!rec) return at(rec.error().line, rec.error().message);
    if (!*rec) return at(1, "no header line (expected tac,name,name,... after the licence line)");
    header = std::move(**rec);
  }
  if (!is_header(*header))
    return at(header->line,
              "expected the header tac,name,name,... (columns: TAC, brand, model), found " +
                  quote_for_message(joined(header->fields)));
  const std::size_t columns = header->fields.size();

  std::unordered_map<std::string, std::size_t> seen;  // TAC -> index in list.rows
  for (;;) {
    auto rec = reader.next();
    if (!rec) {
      if (!options.skip_invalid || !rec.error().recoverable)
        return at(rec.error().line, rec.error().message);
      list.skipped.push_back({rec.error().line, rec.error().message});
      continue;
    }
    if (!*rec) break;
    if (is_blank(**rec)) continue;
    TacRow row;
    auto why = read_row(**rec, columns, row);
    if (!why) {
      const auto [it, fresh] = seen.emplace(row.tac, list.rows.size());
      if (fresh) {
        list.rows.push_back(std::move(row));
        continue;
      }
      const TacRow& first_row = list.rows[it->second];
      if (first_row.brand == row.brand && first_row.model == row.model) {
        ++list.repeated;
        continue;
      }
      why = "TAC " + row.tac + " is listed again as " + brand_model(row) + "; line " +
            std::to_string(first_row.line) + " says " + brand_model(first_row);
    }
    if (!options.skip_invalid) return at((*rec)->line, *why);
    list.skipped.push_back({(*rec)->line, std::move(*why)});
  }
  if (list.rows.empty())
    return fail(lines.name() + ": no valid TAC row" +
                (list.skipped.empty() ? std::string()
                                      : " (" + std::to_string(list.skipped.size()) + " skipped)") +
                "; nothing to import");
  return list;
}

Result<TacList> parse_osmocom_tac_list(std::string_view text, std::string_view source,
                                       const OsmocomOptions& options) {
  auto lines = LineReader::from_text(text, std::string(source));
  return parse_osmocom_tac_list(lines, options);
}

}  // namespace dfx::tac
