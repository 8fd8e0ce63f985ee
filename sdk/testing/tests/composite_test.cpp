// The "composite" behaviour module: one device whose interfaces are played by several modules, each
// reached only by the traffic of the interfaces it owns, seen through libusb.
#include <dfx/testing/libusb_test.hpp>

namespace dfx::testing::test {
namespace {

using json = nlohmann::json;

// sample_spec(): interface 0 with bulk 0x81/0x01, interface 1 with interrupt 0x83/0x03. Part A
// (interface 0) and part B (interface 1) are "scripted" modules that answer with their own name.
const char* kTwoParts = R"({"parts": [
  {"interfaces": [0], "module": "scripted", "params": {
    "control": [{"request_type": "0xC1", "request": 1, "reply_text": "A-interface"}],
    "bulk": [{"out_endpoint": "0x01", "in_endpoint": "0x81", "reply_text": "A-bulk"}]}},
  {"interfaces": [1], "module": "scripted", "params": {
    "control": [{"request_type": "0xC1", "request": 1, "reply_text": "B-interface"},
                {"request_type": "0xC0", "request": 5, "reply_text": "B-device"}],
    "bulk": [{"out_endpoint": "0x03", "in_endpoint": "0x83", "reply_text": "B-interrupt"}]}}]})";

tl::expected<std::unique_ptr<UsbBehavior>, std::string> composite(const json& params) {
  return BehaviorRegistry::builtin().create("composite", params, sample_spec(), "test.json");
}

std::string text(const unsigned char* buf, int n) {
  return n < 0 ? "error " + std::to_string(n)
               : std::string(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

class Composite : public KitTest {};

TEST_F(Composite, EachPartGetsTheTrafficOfTheInterfacesItOwns) {
  auto b = composite(json::parse(kTwoParts));
  ASSERT_TRUE(b) << b.error();
  ASSERT_TRUE(plug(sample_spec(), std::move(*b)));
  libusb_device_handle* h = open(sample_spec());
  ASSERT_NE(h, nullptr);
  unsigned char buf[64];
  EXPECT_EQ(text(buf, libusb_control_transfer(h, 0xC1, 1, 0, 0, buf, sizeof buf, 1000)),
            "A-interface");
  EXPECT_EQ(text(buf, libusb_control_transfer(h, 0xC1, 1, 0, 1, buf, sizeof buf, 1000)),
            "B-interface")
      << "wIndex names the interface, and so the part";
  EXPECT_EQ(text(buf, libusb_control_transfer(h, 0xC0, 5, 0, 0, buf, sizeof buf, 1000)), "B-device")
      << "a request to the device goes to the parts in order until one answers";
  EXPECT_EQ(libusb_control_transfer(h, 0xC0, 6, 0, 0, buf, sizeof buf, 1000), LIBUSB_ERROR_PIPE);

  ASSERT_EQ(libusb_claim_interface(h, 0), 0);
  ASSERT_EQ(libusb_claim_interface(h, 1), 0);
  int n = 0;
  unsigned char ask[] = {'?'};
  ASSERT_EQ(libusb_bulk_transfer(h, 0x01, ask, 1, &n, 1000), 0);
  ASSERT_EQ(libusb_bulk_transfer(h, 0x81, buf, sizeof buf, &n, 1000), 0);
  EXPECT_EQ(text(buf, n), "A-bulk");
  ASSERT_EQ(libusb_interrupt_transfer(h, 0x03, ask, 1, &n, 1000), 0);
  ASSERT_EQ(libusb_interrupt_transfer(h, 0x83, buf, sizeof buf, &n, 1000), 0);
  EXPECT_EQ(text(buf, n), "B-interrupt");
}

TEST(CompositeParams, ErrorsNameThePart) {
  const auto error_of = [](const char* params) {
    auto b = composite(json::parse(params));
    return b ? std::string("(built)") : b.error();
  };
  EXPECT_NE(error_of(R"({"parts": [{"interfaces": [0], "module": "scripted"}]})")
                .find("/behavior/params/parts: a composite has at least two parts"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"parts": [{"interfaces": [0], "module": "scripted"},
                                   {"interfaces": [0], "module": "descriptor-only"}]})")
                .find("/behavior/params/parts/1/interfaces: interface 0 belongs to two parts"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"parts": [{"interfaces": [0], "module": "scripted"},
                                   {"interfaces": [7], "module": "descriptor-only"}]})")
                .find("the device has no interface 7"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"parts": [{"interfaces": [0], "module": "scripted"},
                                   {"interfaces": [1], "module": "nonesuch"}]})")
                .find("unknown behaviour module \"nonesuch\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"parts": [{"interfaces": [0], "module": "scripted", "param": {}},
                                   {"interfaces": [1], "module": "scripted"}]})")
                .find("/behavior/params/parts/0"),
            std::string::npos);
  BehaviorContext direct{sample_spec(), json::object(), "test"};
  EXPECT_FALSE(make_composite_behavior(direct)) << "built outside a registry: no parts to build";
}

}  // namespace
}  // namespace dfx::testing::test
