#include "usb/string_descriptor.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dfx::usb {
namespace {

std::vector<uint8_t> descriptor(const std::u16string& s) {
  std::vector<uint8_t> b{static_cast<uint8_t>(2 + 2 * s.size()), 0x03};
  for (char16_t c : s) {
    b.push_back(static_cast<uint8_t>(c & 0xFF));
    b.push_back(static_cast<uint8_t>(c >> 8));
  }
  return b;
}

TEST(StringDescriptor, DecodesUtf16ToUtf8) {
  EXPECT_EQ(decode_string_descriptor(descriptor(u"Pixel 3")).value(), "Pixel 3");
  EXPECT_EQ(decode_string_descriptor(descriptor(u"Ger\u00e4t \u2122")).value(),
            "Ger\xc3\xa4t \xe2\x84\xa2");
  EXPECT_EQ(decode_string_descriptor(descriptor(u"\U0001F4F1")).value(), "\xf0\x9f\x93\xb1");
  EXPECT_EQ(decode_string_descriptor(descriptor(u"")).value(), "");
}

TEST(StringDescriptor, HostileBytesAreErrorsOrReplaced) {
  EXPECT_FALSE(decode_string_descriptor(std::vector<uint8_t>{}));
  EXPECT_NE(decode_string_descriptor(std::vector<uint8_t>{4, 0x02, 'a', 0})
                .error()
                .message.find("not a string"),
            std::string::npos);
  EXPECT_NE(decode_string_descriptor(std::vector<uint8_t>{40, 0x03, 'a', 0})
                .error()
                .message.find("claims 40 bytes but 4 arrived"),
            std::string::npos);
  EXPECT_NE(decode_string_descriptor(std::vector<uint8_t>{5, 0x03, 'a', 0, 0})
                .error()
                .message.find("odd length"),
            std::string::npos);
  // A lone surrogate and an embedded NUL become U+FFFD instead of corrupting the UTF-8.
  EXPECT_EQ(
      decode_string_descriptor(descriptor(std::u16string{u'A', char16_t(0xD800), u'B', 0})).value(),
      "A\xef\xbf\xbd"
      "B\xef\xbf\xbd");
}

TEST(StringDescriptor, FirstLanguage) {
  EXPECT_EQ(first_language(std::vector<uint8_t>{4, 0x03, 0x09, 0x04}), 0x0409);
  EXPECT_FALSE(first_language(std::vector<uint8_t>{2, 0x03}));
  EXPECT_FALSE(first_language(std::vector<uint8_t>{4, 0x02, 0x09, 0x04}));
}

}  // namespace
}  // namespace dfx::usb
