// Configuration descriptors as an iPhone XS sends them (PTP; PTP + usbmux), and hostile ones.
#include <gtest/gtest.h>

#include "config_descriptor.hpp"

namespace {

using namespace dfx::apple;

std::vector<uint8_t> configuration(uint8_t value, bool with_mux) {
  std::vector<uint8_t> d = {9,     2, 0,    0,  static_cast<uint8_t>(with_mux ? 2 : 1),
                            value, 0, 0xC0, 250};
  // PTP interface 0: 06/01/01 with bulk IN 0x81, bulk OUT 0x02, interrupt 0x83.
  const std::vector<uint8_t> ptp = {9, 4, 0, 0,    3, 6, 1, 1, 0, 7, 5,    0x81, 2,  0, 2,
                                    0, 7, 5, 0x02, 2, 0, 2, 0, 7, 5, 0x83, 3,    64, 0, 10};
  d.insert(d.end(), ptp.begin(), ptp.end());
  if (with_mux) {
    const std::vector<uint8_t> mux = {9, 4, 1, 0, 2, 0xFF, 0xFE, 2, 0, 7, 5, 0x04,
                                      2, 0, 2, 0, 7, 5,    0x85, 2, 0, 2, 0};
    d.insert(d.end(), mux.begin(), mux.end());
  }
  d[2] = static_cast<uint8_t>(d.size());
  d[3] = static_cast<uint8_t>(d.size() >> 8);
  return d;
}

TEST(ConfigDescriptor, ParsesInterfacesAndEndpoints) {
  auto c = parse_configuration(configuration(3, true));
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_EQ(c->value, 3);
  ASSERT_EQ(c->interfaces.size(), 2u);
  EXPECT_EQ(c->interfaces[1].interface_class, 0xFF);
  ASSERT_EQ(c->interfaces[1].endpoints.size(), 2u);
  EXPECT_EQ(c->interfaces[1].endpoints[1].address, 0x85);
  EXPECT_EQ(c->interfaces[1].endpoints[1].max_packet_size, 512);
}

TEST(ConfigDescriptor, FindsTheLowestConfigurationWithUsbmux) {
  std::vector<UsbConfigurationDesc> all;
  for (auto [v, mux] : {std::pair{1, false}, {3, true}, {4, true}})
    all.push_back(*parse_configuration(configuration(static_cast<uint8_t>(v), mux)));
  const auto m = find_usbmux(all);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->configuration, 3);
  EXPECT_EQ(m->interface, 1);
  EXPECT_EQ(m->endpoint_in, 0x85);
  EXPECT_EQ(m->endpoint_out, 0x04);
  EXPECT_EQ(m->max_packet_size, 512);
  EXPECT_FALSE(find_usbmux({all[0]}));
}

TEST(ConfigDescriptor, RefusesDescriptorsRunningPastTheEnd) {
  auto d = configuration(1, false);
  d[9 + 9] = 200;  // the first endpoint claims 200 bytes
  auto c = parse_configuration(d);
  ASSERT_FALSE(c);
  EXPECT_NE(c.status().message().find("past the end"), std::string::npos);
  d = configuration(1, false);
  d[9 + 9] = 0;  // a zero length would loop forever
  EXPECT_FALSE(parse_configuration(d));
}

TEST(ConfigDescriptor, RefusesTotalLengthsOutsideTheLimits) {
  std::vector<uint8_t> head = {9, 2, 0xFF, 0xFF, 1, 1, 0, 0xC0, 250};
  EXPECT_FALSE(configuration_total_length(head));
  head[2] = 5;
  head[3] = 0;
  EXPECT_FALSE(configuration_total_length(head));
  EXPECT_FALSE(parse_configuration(std::vector<uint8_t>(head.begin(), head.begin() + 4)));
}

TEST(ConfigDescriptor, CountsConfigurationsOfADeviceDescriptor) {
  std::vector<uint8_t> dev = {18, 1, 0, 2, 0, 0, 0, 64, 0xAC, 5, 0xA8, 0x12, 1, 0x12, 1, 2, 3, 4};
  auto n = configuration_count(dev);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 4);
  dev[1] = 2;
  EXPECT_FALSE(configuration_count(dev));
  EXPECT_FALSE(configuration_count(std::vector<uint8_t>(dev.begin(), dev.begin() + 8)));
}

}  // namespace
