#include "usb/policy.hpp"

#include <gtest/gtest.h>

namespace dfx::usb {
namespace {

TEST(ReadOnlyPolicy, RefusesStateChangingStandardRequests) {
  for (uint8_t req : {0x01, 0x03, 0x05, 0x07, 0x09, 0x0B}) {
    auto why = refuse_control_request(0x00, req);
    ASSERT_TRUE(why) << int(req);
    EXPECT_NE(why->find("read-only policy"), std::string::npos);
    EXPECT_TRUE(refuse_control_request(0x01, req)) << "interface recipient too";
  }
  EXPECT_NE(refuse_control_request(0x00, 0x09)->find("SET_CONFIGURATION"), std::string::npos);
}

TEST(ReadOnlyPolicy, AllowsReadsAndClassOrVendorRequests) {
  EXPECT_FALSE(refuse_control_request(0x80, 0x06));  // GET_DESCRIPTOR
  EXPECT_FALSE(refuse_control_request(0x80, 0x00));  // GET_STATUS
  EXPECT_FALSE(refuse_control_request(0x80, 0x09));  // an IN request with number 9 is no SET
  EXPECT_FALSE(refuse_control_request(0x21, 0x20));  // class OUT (e.g. CDC SET_LINE_CODING)
  EXPECT_FALSE(
      refuse_control_request(0x40, 0x00));  // vendor OUT: vetted by the plugin's allow-list
}

}  // namespace
}  // namespace dfx::usb
