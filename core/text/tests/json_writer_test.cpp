// text::OutputBuffer / JsonObjectWriter: exact output, escaping, and that any byte string gives a
// line nlohmann::json parses (and gets back unchanged when it was valid UTF-8).
#include <gtest/gtest.h>

#include <random>

#include <nlohmann/json.hpp>

#include "text/json_writer.hpp"
#include "text/utf8.hpp"

namespace {

using dfx::text::json_string;

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_string(""), "\"\"");
  EXPECT_EQ(json_string("352099001761481"), "\"352099001761481\"");
  EXPECT_EQ(json_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(json_string("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(json_string(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(json_string("/"), "\"/\"");
}

TEST(JsonWriter, KeepsUtf8AndReplacesEachInvalidByte) {
  EXPECT_EQ(json_string("Kévin – 📱"), "\"Kévin – 📱\"");
  EXPECT_EQ(json_string("a\xFF"
                        "b"),
            "\"a\\ufffdb\"");
  EXPECT_EQ(json_string("\xC3"), "\"\\ufffd\"");                        // truncated sequence
  EXPECT_EQ(json_string("\xC0\xAF"), "\"\\ufffd\\ufffd\"");             // overlong '/'
  EXPECT_EQ(json_string("\xED\xA0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // UTF-16 surrogate
  EXPECT_EQ(json_string("\xF4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // > U+10FFFF
}

TEST(JsonWriter, Utf8SequenceLengths) {
  using dfx::text::is_valid_utf8;
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("ascii"));
  EXPECT_TRUE(is_valid_utf8("\xC2\x80"));
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBF"));
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));
  EXPECT_FALSE(is_valid_utf8("\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
}

TEST(JsonWriter, ObjectWriterProducesOneLineWithFieldsInOrder) {
  dfx::text::OutputBuffer b(8);  // tiny on purpose: growth must keep what was written
  {
    dfx::text::JsonObjectWriter w(b);
    w.field("input", "IMEI: 35-209900-176148-1");
    w.field("valid", true);
    w.field("ok", false);
    w.null_field("canonical");
    w.field("position", std::uint64_t{18446744073709551615u});
    w.field("notes", std::vector<std::string>{"a", "b\"c"});
    w.field("empty", std::vector<std::string>{});
    w.end();
  }
  {
    dfx::text::JsonObjectWriter w(b);
    w.end();
  }
  EXPECT_EQ(b.view(),
            "{\"input\":\"IMEI: 35-209900-176148-1\",\"valid\":true,\"ok\":false,"
            "\"canonical\":null,\"position\":18446744073709551615,\"notes\":[\"a\",\"b\\\"c\"],"
            "\"empty\":[]}\n{}\n");
  b.clear();
  EXPECT_EQ(b.size(), 0u);
}

TEST(JsonWriter, AnyBytesGiveValidJsonAndValidUtf8RoundTrips) {
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    std::string s(rng() % 24, '\0');
    for (char& c : s) {
      // Mostly ASCII with some high bytes, so that both valid and invalid UTF-8 occur.
      const unsigned r = rng() % 10;
      c = static_cast<char>(r < 6   ? rng() % 0x80
                            : r < 8 ? 0xC0 + rng() % 0x35
                                    : 0x80 + rng() % 0x40);
    }
    dfx::text::OutputBuffer b;
    dfx::text::JsonObjectWriter w(b);
    w.field("v", s);
    w.end();
    nlohmann::json j;
    ASSERT_NO_THROW(j = nlohmann::json::parse(b.view())) << b.view();
    if (dfx::text::is_valid_utf8(s)) {
      EXPECT_EQ(j["v"].get<std::string>(), s);
    }
  }
}

}  // namespace
