// The Hello protocol's parser, without a device.
#include <gtest/gtest.h>

#include "hello_protocol.hpp"

namespace {

TEST(HelloProtocol, ParsesFieldsInAnyOrderAndIgnoresOthers) {
  std::string why;
  auto id = hello::parse_ident("FW:1.0;IMEI:353911101234566;SN:HV-0001", why);
  ASSERT_TRUE(id) << why;
  EXPECT_EQ(id->serial, "HV-0001");
  EXPECT_EQ(id->imei, "353911101234566");
}

TEST(HelloProtocol, RefusesWhatIsNotAnIdent) {
  std::string why;
  EXPECT_FALSE(hello::parse_ident("IMEI:353911101234566", why));
  EXPECT_EQ(why, "no SN field");
  EXPECT_FALSE(hello::parse_ident("garbage", why));
  EXPECT_EQ(why, "field \"garbage\" has no ':'");
}

}  // namespace
