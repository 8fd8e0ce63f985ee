#include "tac/csv.hpp"

namespace dfx::tac {
namespace {

std::string describe(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 0xF];
}

}  // namespace

void CsvReader::skip_line() {
  while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
  if (pos_ < text_.size()) {
    ++pos_;
    ++line_;
  }
}

tl::expected<std::optional<CsvRecord>, CsvError> CsvReader::next() {
  if (pos_ >= text_.size()) return std::nullopt;
  enum class State { FieldStart, Unquoted, Quoted, AfterQuote };
  State st = State::FieldStart;
  CsvRecord rec;
  rec.line = line_;
  std::string field;
  std::size_t quote_line = 0;  // where the open quoted field started, for the error message

  // A malformed record ends at its line: skip the rest of it so that the caller may go on.
  const auto fail = [&](std::string message) {
    CsvError e{line_, std::move(message), true};
    skip_line();
    return tl::unexpected<CsvError>(std::move(e));
  };
  const auto field_no = [&] { return std::to_string(rec.fields.size() + 1); };
  // A line ending at pos_ ("\n" or "\r\n"): its length, or 0.
  const auto line_end = [&]() -> std::size_t {
    if (text_[pos_] == '\n') return 1;
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') return 2;
    return 0;
  };

  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (st == State::Quoted) {
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field.push_back('"');
          pos_ += 2;
        } else {
          st = State::AfterQuote;
          ++pos_;
        }
        continue;
      }
      if (c == '\n') ++line_;
      field.push_back(c);
      ++pos_;
      continue;
    }
    if (c == ',') {
      rec.fields.push_back(std::move(field));
      field.clear();
      st = State::FieldStart;
      ++pos_;
      continue;
    }
    if (const std::size_t n = line_end()) {
      rec.fields.push_back(std::move(field));
      pos_ += n;
      ++line_;
      return rec;
    }
    if (st == State::AfterQuote)
      return fail("unexpected " + describe(c) + " after the closing quote of field " + field_no());
    if (c == '"') {
      if (st == State::Unquoted)
        return fail("quote inside unquoted field " + field_no() +
                        " (a field containing quotes must be quoted, with each quote doubled)");
      st = State::Quoted;
      quote_line = line_;
      ++pos_;
      continue;
    }
    if (c == '\r')
      return fail("carriage return not followed by a line feed in field " + field_no());
    field.push_back(c);
    st = State::Unquoted;
    ++pos_;
  }
  if (st == State::Quoted)  // named by the line of its opening quote: that is where to look
    return tl::unexpected<CsvError>(CsvError{
        quote_line, "quoted field " + field_no() + " is not closed before the end of the file",
        false});
  rec.fields.push_back(std::move(field));
  return rec;
}

}  // namespace dfx::tac
