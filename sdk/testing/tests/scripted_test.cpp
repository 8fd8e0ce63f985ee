// The "scripted" behaviour module: vendor and class control requests and bulk exchanges answered
// from handset JSON alone, seen through libusb.
#include <dfx/testing/libusb_test.hpp>

namespace dfx::testing::test {
namespace {

using json = nlohmann::json;

tl::expected<std::unique_ptr<UsbBehavior>, std::string> scripted(const json& params) {
  return BehaviorRegistry::builtin().create("scripted", params, sample_spec(), "test.json");
}

class Scripted : public KitTest {
 protected:
  void plug_scripted(const json& params) {
    auto b = scripted(params);
    ASSERT_TRUE(b) << b.error();
    ASSERT_TRUE(plug(sample_spec(), std::move(*b)));
    h = open(sample_spec());
    ASSERT_NE(h, nullptr);
  }
  libusb_device_handle* h = nullptr;
};

TEST_F(Scripted, ControlRequestsAnswerFromTheTable) {
  plug_scripted(json::parse(R"({"control": [
        {"request_type": "0xC0", "request": "0x01", "value": 1, "reply_text": "SN:HV-0001"},
        {"request_type": "0xC0", "request": "0x01", "reply": "DE AD"},
        {"request_type": "0x40", "request": "0x02"},
        {"request_type": "0xC1", "request": "0x03", "stall": true},
        {"request_type": "0xC0", "request": "0x04", "no_answer": true}]})"));
  unsigned char buf[64];
  EXPECT_EQ(libusb_control_transfer(h, 0xC0, 0x01, 1, 0, buf, sizeof buf, 1000), 10);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), 10), "SN:HV-0001");
  EXPECT_EQ(libusb_control_transfer(h, 0xC0, 0x01, 2, 0, buf, sizeof buf, 1000), 2)
      << "wValue not given: any";
  EXPECT_EQ(buf[0], 0xDE);
  EXPECT_EQ(libusb_control_transfer(h, 0xC0, 0x01, 1, 0, buf, 4, 1000), 4)
      << "a device sends at most wLength";
  unsigned char data[3] = {1, 2, 3};
  EXPECT_EQ(libusb_control_transfer(h, 0x40, 0x02, 0, 0, data, 3, 1000), 3)
      << "OUT request acknowledged";
  EXPECT_EQ(libusb_control_transfer(h, 0xC1, 0x03, 0, 0, buf, sizeof buf, 1000), LIBUSB_ERROR_PIPE);
  EXPECT_EQ(libusb_control_transfer(h, 0xC0, 0x09, 0, 0, buf, sizeof buf, 1000), LIBUSB_ERROR_PIPE)
      << "a request no rule knows stalls";
  EXPECT_EQ(libusb_control_transfer(h, 0xC0, 0x04, 0, 0, buf, sizeof buf, 200),
            LIBUSB_ERROR_TIMEOUT);
}

TEST_F(Scripted, BulkExchangesQueueTheirReplies) {
  plug_scripted(json::parse(R"({"bulk": [
        {"out_endpoint": "0x01", "out_text": "IDENT?\n", "in_endpoint": "0x81", "reply_text": "HV-0001\n"},
        {"out_endpoint": "0x01", "out": "FF", "stall": true},
        {"out_endpoint": "0x01", "in_endpoint": "0x81", "replies_text": ["one", "two"]}]})"));
  ASSERT_EQ(libusb_claim_interface(h, 0), 0);
  unsigned char ask[] = {'I', 'D', 'E', 'N', 'T', '?', '\n'};
  int n = 0;
  ASSERT_EQ(libusb_bulk_transfer(h, 0x01, ask, sizeof ask, &n, 1000), 0);
  unsigned char buf[512];
  ASSERT_EQ(libusb_bulk_transfer(h, 0x81, buf, sizeof buf, &n, 1000), 0);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n)), "HV-0001\n");
  unsigned char other[] = {'?'};
  ASSERT_EQ(libusb_bulk_transfer(h, 0x01, other, 1, &n, 1000), 0) << "any data: the catch-all rule";
  for (const char* want : {"one", "two"}) {
    ASSERT_EQ(libusb_bulk_transfer(h, 0x81, buf, sizeof buf, &n, 1000), 0);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n)), want);
  }
  unsigned char bad[] = {0xFF};
  EXPECT_EQ(libusb_bulk_transfer(h, 0x01, bad, 1, &n, 1000), LIBUSB_ERROR_PIPE);
}

TEST(ScriptedParams, ErrorsNameTheRule) {
  const auto error_of = [](const char* text) {
    auto b = scripted(json::parse(text));
    return b ? std::string("(built)") : b.error();
  };
  EXPECT_NE(
      error_of(R"({"control": [{"request_type": "0x80", "request": 6}]})")
          .find(
              "/behavior/params/control/0/request_type: standard requests are answered by the kit"),
      std::string::npos);
  EXPECT_NE(error_of(R"({"control": [{"request_type": "0x40", "request": 1, "reply": "00"}]})")
                .find("an OUT request"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"bulk": [{"out_endpoint": "0x02"}]})")
                .find("/bulk/0/out_endpoint: not an OUT endpoint"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"control": [{"request_type": "0xC0", "request": 1, "replay": "00"}]})")
                .find("unknown key \"replay\""),
            std::string::npos);
}

}  // namespace
}  // namespace dfx::testing::test
