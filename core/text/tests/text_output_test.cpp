// text::write_csv_field and text::printable: spreadsheet-safe CSV, terminal-safe text.
#include <gtest/gtest.h>

#include "text/csv_writer.hpp"
#include "text/terminal.hpp"

namespace {

std::string csv(std::string_view v, bool last = false) {
  dfx::text::OutputBuffer b;
  dfx::text::write_csv_field(b, v, last);
  return std::string(b.view());
}

TEST(CsvWriter, QuotesWhatNeedsItAndDefusesFormulas) {
  EXPECT_EQ(csv("plain"), "plain,");
  EXPECT_EQ(csv("plain", true), "plain\n");
  EXPECT_EQ(csv("a,b"), "\"a,b\",");
  EXPECT_EQ(csv("say \"hi\""), "\"say \"\"hi\"\"\",");
  EXPECT_EQ(csv("two\nlines"), "two\\x0alines,") << "control bytes escaped as in every table";
  EXPECT_EQ(csv("\tcmd"), "\"'\\x09cmd\",") << "a leading tab or CR is a formula prefix too";
  EXPECT_EQ(csv("\r=1"), "\"'\\x0d=1\",");
  for (const char* f : {"=1+1", "+1", "-1", "@SUM(A1)"})
    EXPECT_EQ(csv(f), "\"'" + std::string(f) + "\",") << f;
}

TEST(Terminal, EscapesControlsC1AndInvalidUtf8KeepsText) {
  using dfx::text::printable;
  EXPECT_EQ(printable("Pixel 7 – Kévin"), "Pixel 7 – Kévin");
  EXPECT_EQ(printable("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(printable("\x7f"), "\\x7f");
  EXPECT_EQ(printable("\xC2\x9B"
                      "2J"),
            "\\xc2\\x9b2J")
      << "C1 CSI";
  EXPECT_EQ(printable("\xFF"), "\\xff");
  EXPECT_EQ(printable("abc\u202Edcb"), "abc\\u202edcb") << "right-to-left override";
  for (const char* bidi : {"\u061C", "\u200E", "\u200F", "\u202A", "\u2066", "\u2069"})
    EXPECT_EQ(printable(bidi).substr(0, 2), "\\u") << bidi;
  const std::string nasty = "\x1b]0;x\x07\u202E\xC2\x9B\xFF";
  EXPECT_EQ(printable(printable(nasty)), printable(nasty)) << "idempotent";
}

}  // namespace
