// text::CsvReader: RFC 4180 records, line numbers, and the malformed cases it must name.
#include <gtest/gtest.h>

#include "text/csv_reader.hpp"

namespace {

using dfx::text::CsvReader;
using dfx::text::LineReader;
using Fields = std::vector<std::string>;

// A CSV reader over text in memory.
struct TextCsv {
  explicit TextCsv(std::string_view text, std::size_t first_line = 1,
                   dfx::text::CsvOptions options = {})
      : lines(LineReader::from_text(text, "test.csv", first_line)), reader(lines, options) {}
  auto next() { return reader.next(); }
  LineReader lines;
  CsvReader reader;
};

// All records of `text`, failing the test on any error.
std::vector<dfx::text::CsvRecord> read_all(std::string_view text) {
  TextCsv r(text);
  std::vector<dfx::text::CsvRecord> out;
  for (;;) {
    auto rec = r.next();
    EXPECT_TRUE(rec.has_value()) << rec.error().message;
    if (!rec || !*rec) return out;
    out.push_back(std::move(**rec));
  }
}

TEST(CsvReader, PlainFieldsAndBothLineEndings) {
  const auto recs = read_all("a,b,c\r\nd,,f\ng,h,i");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(recs[1].fields, (Fields{"d", "", "f"}));
  EXPECT_EQ(recs[2].fields, (Fields{"g", "h", "i"}));  // last line without a line ending
  EXPECT_EQ(recs[0].line, 1u);
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].line, 3u);
}

TEST(CsvReader, QuotedFieldsKeepCommasQuotesAndLineBreaks) {
  const auto recs =
      read_all("1,\"3120c-1,RM-364\",x\n2,\"say \"\"hi\"\"\",\"two\r\nlines\"\n3,\"\",z\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].fields, (Fields{"1", "3120c-1,RM-364", "x"}));
  EXPECT_EQ(recs[1].fields, (Fields{"2", "say \"hi\"", "two\r\nlines"}));
  EXPECT_EQ(recs[2].fields, (Fields{"3", "", "z"}));
  EXPECT_EQ(recs[2].line, 4u) << "the record after a two-line field starts on line 4";
}

TEST(CsvReader, EmptyLineIsOneEmptyFieldAndTrailingCommaAnEmptyLastField) {
  const auto recs = read_all("a\n\nb,\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].fields, (Fields{""}));
  EXPECT_EQ(recs[2].fields, (Fields{"b", ""}));
}

TEST(CsvReader, FieldTextIsNotTrimmed) {
  const auto recs = read_all(" 35572302 , x\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields, (Fields{" 35572302 ", " x"}));
}

TEST(CsvReader, FirstLineNumberIsConfigurable) {
  TextCsv r("a\nb\n", 2);
  EXPECT_EQ((*r.next())->line, 2u);
  EXPECT_EQ((*r.next())->line, 3u);
  EXPECT_FALSE(r.next()->has_value());
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsRefusedAndReadingResumesOnTheNextLine) {
  TextCsv r("ok,1\nbad,ab\"c\",x\nnext,2\n");
  EXPECT_EQ((*r.next())->fields, (Fields{"ok", "1"}));
  auto e = r.next();
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().line, 2u);
  EXPECT_TRUE(e.error().recoverable);
  EXPECT_NE(e.error().message.find("quote inside unquoted field 2"), std::string::npos)
      << e.error().message;
  auto next = r.next();
  ASSERT_TRUE(next && *next);
  EXPECT_EQ((*next)->fields, (Fields{"next", "2"}));
  EXPECT_EQ((*next)->line, 3u);
}

TEST(CsvReader, TextAfterClosingQuoteIsRefused) {
  TextCsv r("a,\"b\"c,d\n");
  auto e = r.next();
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().line, 1u);
  EXPECT_NE(e.error().message.find("unexpected 'c' after the closing quote of field 2"),
            std::string::npos)
      << e.error().message;
  EXPECT_FALSE(r.next()->has_value()) << "the rest of the line was skipped";
}

TEST(CsvReader, LoneCarriageReturnIsRefused) {
  TextCsv r("a,b\rc\n");
  auto e = r.next();
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message.find("carriage return"), std::string::npos) << e.error().message;
}

TEST(CsvReader, UnclosedQuoteIsNamedByItsOpeningLineAndCannotBeSkipped) {
  TextCsv r("a,b\nc,\"open\nd,e\nf,g\n");
  EXPECT_TRUE(r.next().has_value());
  auto e = r.next();
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().line, 2u);
  EXPECT_FALSE(e.error().recoverable);
  EXPECT_NE(e.error().message.find("quoted field 2 is not closed"), std::string::npos)
      << e.error().message;
}

TEST(CsvReader, OtherDelimitersAndTheRecordLimit) {
  TextCsv semicolons("a;\"b;c\";d\n", 1, {';', 1 << 20});
  EXPECT_EQ((*semicolons.next())->fields, (Fields{"a", "b;c", "d"}));
  TextCsv tabs("a\tb,c\n", 1, {'\t', 1 << 20});
  EXPECT_EQ((*tabs.next())->fields, (Fields{"a", "b,c"}));
  // A missing closing quote must not swallow the whole file: the record limit stops it.
  std::string text = "x,\"open\n";
  for (int i = 0; i < 100; ++i) text += "0123456789012345678901234567890123456789\n";
  TextCsv r(text, 1, {',', 1024});
  auto e = r.next();
  ASSERT_FALSE(e);
  EXPECT_FALSE(e.error().recoverable);
  EXPECT_NE(e.error().message.find("longer than 1024 bytes"), std::string::npos)
      << e.error().message;
}

TEST(CsvReader, EmptyTextHasNoRecord) {
  TextCsv r("");
  auto rec = r.next();
  ASSERT_TRUE(rec.has_value());
  EXPECT_FALSE(rec->has_value());
}

}  // namespace
