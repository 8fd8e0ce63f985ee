// Descriptor building, string encoding and validation (no testbed needed).
#include <gtest/gtest.h>

#include <dfx/testing/libusb_test.hpp>
#include "dfx/testing/testing.hpp"

namespace dfx::testing::test {
namespace {

TEST(Descriptors, DeviceDescriptorLayout) {
  auto set = build_descriptors(sample_spec());
  ASSERT_TRUE(set) << set.error();
  const Bytes& d = set->device;
  ASSERT_EQ(d.size(), 18u);
  EXPECT_EQ(d[0], 18);
  EXPECT_EQ(d[1], 0x01);
  EXPECT_EQ(d[2] | (d[3] << 8), 0x0200);
  EXPECT_EQ(d[7], 64);
  EXPECT_EQ(d[8] | (d[9] << 8), 0x1209);
  EXPECT_EQ(d[10] | (d[11] << 8), 0x0001);
  EXPECT_EQ(d[12] | (d[13] << 8), 0x0123);
  EXPECT_EQ(d[14], 1);  // manufacturer, product, serial get 1, 2, 3
  EXPECT_EQ(d[15], 2);
  EXPECT_EQ(d[16], 3);
  EXPECT_EQ(d[17], 1);
}

TEST(Descriptors, ConfigurationLayoutAndTotalLength) {
  auto spec = sample_spec();
  spec.configurations[0].extra = {8,    0x0B, 0,    2,
                                  0xFF, 0x42, 0x01, 0};  // an IAD before the interfaces
  spec.configurations[0].interfaces[0].alt_settings[0].extra = {5, 0x24, 0, 0x10, 0x01};
  auto set = build_descriptors(spec);
  ASSERT_TRUE(set) << set.error();
  const Bytes& c = set->configurations.at(0);
  const std::size_t expected = 9 + 8 + (9 + 5 + 7 + 7) + (9 + 7 + 7);
  ASSERT_EQ(c.size(), expected);
  EXPECT_EQ(c[2] | (c[3] << 8), static_cast<int>(expected));
  EXPECT_EQ(c[4], 2);          // bNumInterfaces
  EXPECT_EQ(c[7], 0x80);       // bmAttributes
  EXPECT_EQ(c[8], 250);        // 500 mA in 2 mA units
  EXPECT_EQ(c[9], 8);          // the IAD comes first
  EXPECT_EQ(c[17 + 1], 0x04);  // then interface 0
  EXPECT_EQ(c[17 + 9 + 1], 0x24);
  const Bytes all = set->sysfs_descriptors();
  EXPECT_EQ(all.size(), 18 + expected);
}

TEST(Descriptors, StringIndexesAutomaticAndPinned) {
  auto spec = sample_spec();
  spec.product = UsbString("Pinned", 7);
  spec.extra_strings[0xEE] = "MSFT100";
  auto set = build_descriptors(spec);
  ASSERT_TRUE(set) << set.error();
  EXPECT_EQ(set->spec.manufacturer.index, 1);
  EXPECT_EQ(set->spec.product.index, 7);
  EXPECT_EQ(set->spec.serial.index, 2);
  EXPECT_EQ(set->spec.configurations[0].name.index, 3);
  EXPECT_EQ(set->spec.configurations[0].interfaces[0].alt_settings[0].name.index, 4);
  EXPECT_EQ(set->strings.at(0xEE), "MSFT100");
  ASSERT_TRUE(set->string_descriptor(0xEE));
  EXPECT_FALSE(set->string_descriptor(9));
  auto langs = set->string_descriptor(0);
  ASSERT_TRUE(langs);
  EXPECT_EQ(*langs, (Bytes{4, 3, 0x09, 0x04}));

  spec.serial = UsbString("Clash", 7);
  auto clash = build_descriptors(spec);
  ASSERT_FALSE(clash);
  EXPECT_NE(clash.error().find("serial"), std::string::npos) << clash.error();
}

TEST(Descriptors, Utf16Encoding) {
  auto e = encode_string_descriptor("Aé€𝄞");
  ASSERT_TRUE(e) << e.error();
  EXPECT_EQ(*e, (Bytes{12, 3, 'A', 0, 0xE9, 0, 0xAC, 0x20, 0x34, 0xD8, 0x1E, 0xDD}));
  EXPECT_FALSE(encode_string_descriptor(std::string(127, 'x')));
  EXPECT_TRUE(encode_string_descriptor(std::string(126, 'x')));
  EXPECT_FALSE(encode_string_descriptor("\xC3"));          // truncated
  EXPECT_FALSE(encode_string_descriptor("\xC0\xAF"));      // overlong
  EXPECT_FALSE(encode_string_descriptor("\xED\xA0\x80"));  // surrogate
}

TEST(Descriptors, HexHelpers) {
  EXPECT_EQ(to_hex({0x12, 0xAB, 0x00}), "12AB00");
  auto b = from_hex("05 0f:0C-00");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, (Bytes{5, 0x0F, 0x0C, 0}));
  EXPECT_FALSE(from_hex("123"));
  EXPECT_FALSE(from_hex("zz"));
}

TEST(Descriptors, ValidationNamesTheField) {
  struct Case {
    const char* field;
    void (*mutate)(UsbDeviceSpec&);
  };
  const Case cases[] = {
      {"configurations: at least one", [](UsbDeviceSpec& s) { s.configurations.clear(); }},
      {"max_packet_size0", [](UsbDeviceSpec& s) { s.max_packet_size0 = 12; }},
      {"configurations[0].value", [](UsbDeviceSpec& s) { s.configurations[0].value = 0; }},
      {"configurations[0].attributes",
       [](UsbDeviceSpec& s) { s.configurations[0].attributes = 0x40; }},
      {"configurations[0].interfaces[1].number",
       [](UsbDeviceSpec& s) { s.configurations[0].interfaces[1].number = 0; }},
      {"configurations[0].interfaces[0].alt_settings[0].endpoints[0].address",
       [](UsbDeviceSpec& s) {
         s.configurations[0].interfaces[0].alt_settings[0].endpoints[0].address = 0x80;
       }},
      {"configurations[0].interfaces[0].alt_settings[0].name",
       [](UsbDeviceSpec& s) {
         s.configurations[0].interfaces[0].alt_settings[0].name = std::string(200, 'n');
       }},
      {"configurations[0].max_power_ma",
       [](UsbDeviceSpec& s) { s.configurations[0].max_power_ma = 600; }},
  };
  for (const auto& c : cases) {
    auto spec = sample_spec();
    c.mutate(spec);
    auto r = build_descriptors(spec);
    ASSERT_FALSE(r) << c.field;
    if (std::string(c.field).find("name") != std::string::npos) {
      EXPECT_NE(r.error().find("too long"), std::string::npos) << r.error();
    } else {
      EXPECT_EQ(r.error().rfind(c.field, 0), 0u) << r.error();
    }
  }
}

TEST(Descriptors, DeviceQualifierOnlyForHighSpeed) {
  auto spec = sample_spec();
  auto hs = build_descriptors(spec);
  ASSERT_TRUE(hs);
  ASSERT_TRUE(hs->device_qualifier());
  EXPECT_EQ(hs->device_qualifier()->size(), 10u);
  spec.speed = UsbSpeed::full;
  auto fs = build_descriptors(spec);
  ASSERT_TRUE(fs);
  EXPECT_FALSE(fs->device_qualifier());
}

}  // namespace
}  // namespace dfx::testing::test
