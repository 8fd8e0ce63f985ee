#include "text/csv_reader.hpp"

#include "base/hex.hpp"

namespace dfx::text {
namespace {

std::string describe(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
  std::string out = "byte 0x";
  append_hex(out, u, true);
  return out;
}

}  // namespace

tl::expected<std::optional<CsvRecord>, CsvError> CsvReader::next() {
  auto first = lines_.next();
  if (!first) return tl::unexpected(CsvError{first.error().line, first.error().message, false});
  if (!*first) return std::nullopt;

  enum class State { FieldStart, Unquoted, Quoted, AfterQuote };
  State st = State::FieldStart;
  CsvRecord rec;
  rec.line = lines_.line();
  std::string field;
  std::size_t record_bytes = 0;
  std::size_t quote_line = 0;  // where the open quoted field started, for the error message
  const char delim = options_.delimiter;
  const auto field_no = [&] { return std::to_string(rec.fields.size() + 1); };
  // A malformed record ends at the line where the fault is; that line is already consumed, so
  // the caller may go on with the next one.
  const auto bad = [&](std::string message) {
    return tl::unexpected(CsvError{lines_.line(), std::move(message), true});
  };

  std::string_view text = **first;
  for (;;) {
    record_bytes += text.size() + 1;
    if (record_bytes > options_.max_record_bytes)
      return tl::unexpected(CsvError{rec.line,
                                     "record is longer than " +
                                         std::to_string(options_.max_record_bytes) +
                                         " bytes (is a closing quote missing?)",
                                     false});
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
      const char c = text[pos];
      if (st == State::Quoted) {
        if (c != '"') {
          field.push_back(c);
        } else if (pos + 1 < text.size() && text[pos + 1] == '"') {
          field.push_back('"');
          ++pos;
        } else {
          st = State::AfterQuote;
        }
        continue;
      }
      if (c == delim) {
        rec.fields.push_back(std::move(field));
        field.clear();
        st = State::FieldStart;
        continue;
      }
      if (st == State::AfterQuote)
        return bad("unexpected " + describe(c) + " after the closing quote of field " + field_no());
      if (c == '"') {
        if (st == State::Unquoted)
          return bad("quote inside unquoted field " + field_no() +
                     " (a field containing quotes must be quoted, with each quote doubled)");
        st = State::Quoted;
        quote_line = lines_.line();
        continue;
      }
      if (c == '\r')
        return bad("carriage return not followed by a line feed in field " + field_no());
      field.push_back(c);
      st = State::Unquoted;
    }
    if (st != State::Quoted) break;
    // The line ends inside a quoted field: the line break is part of the field.
    const bool crlf = lines_.ended_with_crlf();
    auto more = lines_.next();
    if (!more) return tl::unexpected(CsvError{more.error().line, more.error().message, false});
    if (!*more)  // named by the line of its opening quote: that is where to look
      return tl::unexpected(CsvError{
          quote_line, "quoted field " + field_no() + " is not closed before the end of the file",
          false});
    field += crlf ? "\r\n" : "\n";
    text = **more;
  }
  rec.fields.push_back(std::move(field));
  return rec;
}

}  // namespace dfx::text
