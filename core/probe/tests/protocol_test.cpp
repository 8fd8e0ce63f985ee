#include "probe/protocol.hpp"

#include <gtest/gtest.h>

#include "probe/limits.hpp"
#include "probe/messages.hpp"

namespace dfx::probe {
namespace {

TEST(Protocol, RoundTripsFramesFedByteByByte) {
  const std::string stream = encode_frame(FrameType::Hello, R"({"a":1})") +
                             encode_frame(FrameType::Claim, "") +
                             encode_frame(FrameType::Done, std::string(1000, 'x'));
  FrameDecoder dec;
  std::vector<Frame> frames;
  for (char c : stream) {
    dec.feed(std::string_view(&c, 1));
    for (;;) {
      auto f = dec.next();
      ASSERT_TRUE(f) << f.error().message;
      if (!*f) break;
      frames.push_back(std::move(**f));
    }
  }
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].type, FrameType::Hello);
  EXPECT_EQ(frames[0].payload, R"({"a":1})");
  EXPECT_EQ(frames[1].type, FrameType::Claim);
  EXPECT_EQ(frames[1].payload, "");
  EXPECT_EQ(frames[2].payload.size(), 1000u);
  EXPECT_EQ(dec.pending(), 0u);
}

TEST(Protocol, HeaderLayoutIsLittleEndianWithMagicFirst) {
  const std::string f = encode_frame(FrameType::Done, "xy");
  ASSERT_EQ(f.size(), kHeaderSize + 2);
  EXPECT_EQ(f.substr(0, 4), "DFXP");
  EXPECT_EQ(static_cast<uint8_t>(f[4]), kProtocolVersion);
  EXPECT_EQ(static_cast<uint8_t>(f[5]), 0);
  EXPECT_EQ(static_cast<uint8_t>(f[6]), 5);
  EXPECT_EQ(static_cast<uint8_t>(f[8]), 2);
}

std::string decode_error(const std::string& bytes) {
  FrameDecoder dec;
  dec.feed(bytes);
  auto f = dec.next();
  EXPECT_FALSE(f.has_value());
  std::string e = f ? "" : f.error().message;
  auto again = dec.next();  // errors are sticky: a broken stream never yields frames again
  EXPECT_FALSE(again.has_value());
  return e;
}

TEST(Protocol, JunkIsReportedAtTheFirstByte) {
  EXPECT_NE(decode_error("H").find("bad magic 0x48"), std::string::npos);
  EXPECT_NE(decode_error("HTTP/1.1 200 OK").find("bad magic 0x48545450"), std::string::npos);
}

TEST(Protocol, OtherVersionUnknownTypeAndOversizeAreRefused) {
  std::string f = encode_frame(FrameType::Hello, "{}");
  std::string v3 = f;
  v3[4] = 9;
  EXPECT_NE(decode_error(v3).find("peer speaks probe protocol 9, this side " +
                                  std::to_string(kProtocolVersion)),
            std::string::npos);
  std::string t = f;
  t[6] = 42;
  EXPECT_NE(decode_error(t).find("unknown frame type 42"), std::string::npos);
  std::string big = f.substr(0, 8) + std::string("\x01\x00\x10\x00", 4);  // 0x100001 bytes
  EXPECT_NE(decode_error(big).find("exceeds the 1048576-byte limit"), std::string::npos);
}

TEST(Protocol, ADecoderCanBeStricterThanTheProtocol) {
  FrameDecoder d(64 * 1024);
  d.feed(encode_frame(FrameType::Claim, std::string(64 * 1024 + 1, ' ')));
  auto f = d.next();
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().message, "frame payload of 65537 bytes exceeds the 65536-byte limit");
  FrameDecoder fits(64 * 1024);
  fits.feed(encode_frame(FrameType::Claim, std::string(64 * 1024, ' ')));
  auto g = fits.next();
  ASSERT_TRUE(g && *g);
}

TEST(Limits, WhatTheHostAcceptsFromAWorker) {
  EXPECT_EQ(claim_over_limit({"imei", "353812084788745", "adb"}), "");
  EXPECT_EQ(claim_over_limit({"imei", std::string(4097, '3'), "adb"}),
            "claim value of 4097 bytes (limit 4096)");
  EXPECT_EQ(claim_over_limit({std::string(65, 'x'), "1", "adb"}),
            "claim kind of 65 bytes (limit 64)");
  EXPECT_EQ(claim_over_limit({"imei", "1", std::string(513, 'm')}),
            "claim method of 513 bytes (limit 512)");
  EXPECT_EQ(log_over_limit({"info", std::string(4096, 'l')}), "");
  EXPECT_EQ(log_over_limit({"info", std::string(4097, 'l')}),
            "log line of 4097 bytes (limit 4096)");
  Done d{false, "plugin_error", std::string(8193, 'e'), std::nullopt};
  EXPECT_EQ(done_over_limit(d), "error of 8193 bytes (limit 8192)");
  d.error = "short";
  d.plugin = PluginIdentity{"p", std::string(257, 'v'), "n", "device", {}};
  EXPECT_EQ(done_over_limit(d), "plugin version of 257 bytes (limit 256)");
  EXPECT_EQ(finding_over_limit({"imei_withheld", "the SIM is locked"}), "");
  EXPECT_EQ(finding_over_limit({"IMEI withheld", "x"}),
            "finding code \"IMEI withheld\" is not [a-z0-9_]");
  EXPECT_EQ(finding_over_limit({"", "x"}), "finding code empty or longer than 64 bytes");
  EXPECT_EQ(finding_over_limit({"imei_withheld", ""}),
            "finding \"imei_withheld\" without a message");
  EXPECT_EQ(finding_over_limit({"x", std::string(4097, 'm')}),
            "finding message of 4097 bytes (limit 4096)");
}

TEST(Protocol, TruncatedFrameStaysPending) {
  const std::string f = encode_frame(FrameType::Claim, "0123456789");
  FrameDecoder dec;
  dec.feed(f.substr(0, f.size() - 3));
  auto r = dec.next();
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->has_value());
  EXPECT_EQ(dec.pending(), f.size() - 3);
}

TEST(Messages, RoundTripThroughJson) {
  Request req;
  req.mode = Mode::Probe;
  req.manifest = "/x/y.json";
  req.deadline_ms = 1234;
  usb::DeviceFacts d;
  d.vendor_id = 0x05AC;
  d.serial_number = "SRNM:[X]";
  req.device = d;
  auto back = parse_request(to_payload(req));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->manifest, "/x/y.json");
  EXPECT_EQ(back->deadline_ms, 1234u);
  ASSERT_TRUE(back->device);
  EXPECT_EQ(back->device->vendor_id, 0x05AC);
  EXPECT_EQ(back->device->serial_number, "SRNM:[X]");

  auto done = parse_done(to_payload(
      Done{false, "plugin_error", "boom", PluginIdentity{"a", "1", "A", "device", {1, 0}}}));
  ASSERT_TRUE(done);
  EXPECT_FALSE(done->ok);
  EXPECT_EQ(done->error, "boom");
  ASSERT_TRUE(done->plugin);
  EXPECT_EQ(done->plugin->abi, (plugin_host::AbiVersion{1, 0}));
}

TEST(Messages, MalformedPayloadsAreErrorsNotExceptions) {
  EXPECT_FALSE(parse_claim("{"));
  EXPECT_FALSE(parse_claim(R"({"kind": 1, "value": "x", "method": ""})"));
  EXPECT_FALSE(parse_hello(R"({"protocol": 1, "abi": "x", "pid": 1})"));
  EXPECT_FALSE(parse_request(R"({"mode": "format-disk", "manifest": "m", "deadline_ms": 1})"));
  EXPECT_NE(parse_done("[]").error().message.find("malformed done message"), std::string::npos);
}

TEST(Messages, InvalidUtf8FromADeviceDoesNotBreakSerialization) {
  const std::string payload = to_payload(Claim{"serial", std::string("AB\xff\xfe", 4), "usb"});
  auto c = parse_claim(payload);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->value.substr(0, 2), "AB");
}

}  // namespace
}  // namespace dfx::probe
