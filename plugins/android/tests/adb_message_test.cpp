#include "adb_message.hpp"

#include <gtest/gtest.h>

namespace dfx::android::adb {
namespace {

std::vector<uint8_t> bytes(std::string_view s) {
  return {s.begin(), s.end()};
}

TEST(AdbMessage, CommandConstantsSpellTheirNames) {
  EXPECT_EQ(command_name(kCnxn), "CNXN");
  EXPECT_EQ(command_name(kAuth), "AUTH");
  EXPECT_EQ(command_name(kOpen), "OPEN");
  EXPECT_EQ(command_name(kOkay), "OKAY");
  EXPECT_EQ(command_name(kClse), "CLSE");
  EXPECT_EQ(command_name(kWrte), "WRTE");
  EXPECT_EQ(command_name(kStls), "STLS");
  EXPECT_EQ(command_name(0x01020304), "0x01020304");
}

TEST(AdbMessage, EncodesLittleEndianWithMagicAndChecksum) {
  const auto payload = bytes("host::\0");
  const auto h = make_header(kCnxn, 0x01000001, 4096, payload);
  EXPECT_EQ(h.data_length, payload.size());
  EXPECT_EQ(h.data_check, checksum(payload));
  EXPECT_EQ(h.magic, kCnxn ^ 0xFFFFFFFFu);
  const auto wire = encode_header(h);
  const std::array<uint8_t, 8> start{'C', 'N', 'X', 'N', 0x01, 0x00, 0x00, 0x01};
  EXPECT_TRUE(std::equal(start.begin(), start.end(), wire.begin()));
  EXPECT_EQ(wire[8], 0x00);  // 4096 = 0x00001000 LE
  EXPECT_EQ(wire[9], 0x10);
  EXPECT_EQ(wire[20], static_cast<uint8_t>(~'C'));
}

TEST(AdbMessage, DecodeIsTheInverseOfEncode) {
  const Header h{kWrte, 7, 9, 3, 0x1234, kWrte ^ 0xFFFFFFFFu};
  const auto wire = encode_header(h);
  auto d = decode_header(wire);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->command, h.command);
  EXPECT_EQ(d->arg0, 7u);
  EXPECT_EQ(d->arg1, 9u);
  EXPECT_EQ(d->data_length, 3u);
  EXPECT_EQ(d->data_check, 0x1234u);
  EXPECT_EQ(d->magic, h.magic);
}

TEST(AdbMessage, DecodeRefusesATruncatedHeader) {
  std::vector<uint8_t> short_header(23, 0);
  auto d = decode_header(short_header);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, Errc::malformed);
}

TEST(AdbMessage, ChecksumIsAnUnsignedByteSum) {
  EXPECT_EQ(checksum(bytes("")), 0u);
  EXPECT_EQ(checksum(std::vector<uint8_t>{0xFF, 0xFF, 0x01}), 0x1FFu);
}

TEST(AdbMessage, ValidateNamesBadMagic) {
  Header h = make_header(kOkay, 1, 2, {});
  h.magic = 0;
  auto st = validate_header(h, 4096);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::bad_magic);
  EXPECT_NE(st.error().message.find("bad magic"), std::string::npos);
}

TEST(AdbMessage, ValidateNamesAnUnknownCommand) {
  Header h{0x41414141, 0, 0, 0, 0, 0x41414141 ^ 0xFFFFFFFFu};
  auto st = validate_header(h, 4096);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::malformed);
  EXPECT_NE(st.error().message.find("unknown command"), std::string::npos);
}

TEST(AdbMessage, ValidateNamesDataLengthBeyondLimit) {
  Header h = make_header(kWrte, 1, 2, {});
  h.data_length = 4097;
  auto st = validate_header(h, 4096);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::too_large);
  EXPECT_NE(st.error().message.find("data_length 4097 beyond limit 4096"), std::string::npos);
  h.data_length = 4096;
  EXPECT_TRUE(validate_header(h, 4096));
}

TEST(AdbMessage, ChecksumMismatchIsNamed) {
  const auto payload = bytes("abc");
  Header h = make_header(kWrte, 1, 2, payload);
  h.data_check += 1;
  auto st = verify_payload(h, payload, true);  // non-zero is always verified
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::checksum_mismatch);
}

TEST(AdbMessage, ZeroChecksumAcceptedOnlyFromNewPeers) {
  const auto payload = bytes("abc");
  Header h = make_header(kWrte, 1, 2, payload);
  h.data_check = 0;
  EXPECT_TRUE(verify_payload(h, payload, /*zero_allowed=*/true));
  auto st = verify_payload(h, payload, /*zero_allowed=*/false);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::checksum_mismatch);
}

TEST(AdbMessage, PayloadLengthMustMatchHeader) {
  const auto payload = bytes("abc");
  Header h = make_header(kWrte, 1, 2, payload);
  auto st = verify_payload(h, bytes("ab"), true);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::malformed);
}

TEST(AdbMessage, EncodeMessageAppendsPayload) {
  const std::vector<uint8_t> p{'x', 0};
  Message m{make_header(kOpen, 1, 0, p), p};
  EXPECT_EQ(encode_message(m).size(), kHeaderSize + 2);
}

}  // namespace
}  // namespace dfx::android::adb
