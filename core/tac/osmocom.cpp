#include "tac/osmocom.hpp"

#include <optional>
#include <unordered_map>

#include "tac/csv.hpp"
#include "tac/utf8.hpp"

namespace dfx::tac {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// A value for a message: quoted, shortened, control characters shown as '?'.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < 40; ++i)
    out.push_back(static_cast<unsigned char>(s[i]) < 0x20 ? '?' : s[i]);
  if (s.size() > 40) out += "...";
  return out + "\"";
}

bool starts_with_header(std::string_view line) {
  return lower(line.substr(0, 14)).starts_with("tac,name,name");
}

bool is_header(const CsvRecord& r) {
  return r.fields.size() >= 3 && lower(trim(r.fields[0])) == "tac" &&
         lower(trim(r.fields[1])) == "name" && lower(trim(r.fields[2])) == "name";
}

bool is_blank(const CsvRecord& r) { return r.fields.size() == 1 && trim(r.fields[0]).empty(); }

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
  if (!is_tac(tac)) return "TAC " + quoted(tac) + " is not 8 digits";
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

std::string brand_model(const TacRow& r) { return quoted(r.brand + " " + r.model); }

}  // namespace

Result<TacList> parse_osmocom_tac_list(std::string_view text, std::string_view source,
                                       const OsmocomOptions& options) {
  const std::string where = std::string(source) + ":";
  const auto at = [&](std::size_t line) { return where + std::to_string(line) + ": "; };
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());

  TacList list;
  std::size_t first_line = 1;
  const std::size_t eol = text.find('\n');
  const std::string_view line1 = trim(text.substr(0, eol));
  if (!starts_with_header(line1)) {
    if (eol == std::string_view::npos)
      return fail(at(1) + "no header line (expected tac,name,name,... after the licence line)");
    if (!is_valid_utf8(line1)) return fail(at(1) + "the licence line is not valid UTF-8 text");
    list.banner = line1;
    text.remove_prefix(eol + 1);
    first_line = 2;
  }

  CsvReader reader(text, first_line);
  auto header = reader.next();
  if (!header) return fail(at(header.error().line) + header.error().message);
  if (!*header || !is_header(**header))
    return fail(at(first_line) +
                "expected the header tac,name,name,... (columns: TAC, brand, model), found " +
                (*header ? quoted(std::string(trim(text.substr(0, text.find('\n'))))) : "nothing"));
  const std::size_t columns = (*header)->fields.size();

  std::unordered_map<std::string, std::size_t> seen;  // TAC -> index in list.rows
  for (;;) {
    auto rec = reader.next();
    if (!rec) {
      if (!options.skip_invalid || !rec.error().recoverable)
        return fail(at(rec.error().line) + rec.error().message);
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
      const TacRow& first = list.rows[it->second];
      if (first.brand == row.brand && first.model == row.model) {
        ++list.repeated;
        continue;
      }
      why = "TAC " + row.tac + " is listed again as " + brand_model(row) + "; line " +
            std::to_string(first.line) + " says " + brand_model(first);
    }
    if (!options.skip_invalid) return fail(at((*rec)->line) + *why);
    list.skipped.push_back({(*rec)->line, std::move(*why)});
  }
  if (list.rows.empty())
    return fail(where + " no valid TAC row" +
                (list.skipped.empty() ? std::string()
                                      : " (" + std::to_string(list.skipped.size()) + " skipped)") +
                "; nothing to import");
  return list;
}

}  // namespace dfx::tac
