// PTP containers: the exact bytes of the one command the plugin sends, and decoding with its
// errors.
#include <gtest/gtest.h>

#include "container.hpp"
#include "dataset_builder.hpp"
#include "device_info_reader.hpp"

namespace dfx::mtp {
namespace {

using test::Bytes;

TEST(Container, GetDeviceInfoIsTwelveBytesWithTransactionZero) {
  const std::vector<uint8_t> expected = {0x0C, 0x00, 0x00, 0x00, 0x01, 0x00,
                                         0x01, 0x10, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(get_device_info_command(), expected);
  EXPECT_EQ(encode_command(0x1001, 0), expected);
}

TEST(Container, CommandWithParametersAndResponseRoundTrip) {
  const uint32_t params[] = {1};
  const auto open = encode_command(op::open_session, 0, params);
  EXPECT_EQ(open, (Bytes{}.u32(16).u16(1).u16(0x1002).u32(0).u32(1).b));
  auto c = decode_container(open);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->header.type, 1);
  EXPECT_EQ(c->header.code, 0x1002);
  EXPECT_EQ(c->params, std::vector<uint32_t>{1});

  auto r = decode_container(encode_response(rc::ok, 7));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header.type, 3);
  EXPECT_EQ(r->header.transaction_id, 7u);
  EXPECT_TRUE(r->params.empty());
}

TEST(Container, DataKeepsItsPayload) {
  const std::vector<uint8_t> payload = {1, 2, 3};
  auto c = decode_container(encode_data(0x1001, 0, payload));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->header.length, 15u);
  EXPECT_EQ(c->payload, payload);
}

TEST(Container, BadHeadersAreErrorsNamingTheField) {
  auto short_header = decode_header(std::vector<uint8_t>(11, 0));
  ASSERT_FALSE(short_header);
  EXPECT_EQ(short_header.error().code, Errc::truncated);

  auto tiny = decode_header(Bytes{}.u32(4).u16(3).u16(0x2001).u32(0).b);
  ASSERT_FALSE(tiny);
  EXPECT_EQ(tiny.error().code, Errc::malformed);
  EXPECT_NE(tiny.error().message.find("below the 12-byte header"), std::string::npos);

  auto type = decode_container(Bytes{}.u32(12).u16(9).u16(0x2001).u32(0).b);
  ASSERT_FALSE(type);
  EXPECT_NE(type.error().message.find("container type 9 at offset 4"), std::string::npos);

  auto odd = decode_container(Bytes{}.u32(14).u16(3).u16(0x2001).u32(0).u16(1).b);
  ASSERT_FALSE(odd);
  EXPECT_NE(odd.error().message.find("not a whole number of u32 parameters"), std::string::npos);

  auto six = Bytes{}.u32(36).u16(3).u16(0x2001).u32(0);
  for (int i = 0; i < 6; ++i) six.u32(0);
  auto many = decode_container(six.b);
  ASSERT_FALSE(many);
  EXPECT_NE(many.error().message.find("6 parameters, at most 5"), std::string::npos);

  auto mismatch = decode_container(Bytes{}.u32(20).u16(3).u16(0x2001).u32(0).b);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, Errc::truncated);
}

TEST(Container, CodesHaveNames) {
  EXPECT_EQ(response_code_name(0x2001), "OK (0x2001)");
  EXPECT_EQ(response_code_name(0x2003), "SessionNotOpen (0x2003)");
  EXPECT_EQ(response_code_name(0xA801), "response 0xA801");
  EXPECT_EQ(operation_name(0x1001), "GetDeviceInfo (0x1001)");
}

}  // namespace
}  // namespace dfx::mtp
