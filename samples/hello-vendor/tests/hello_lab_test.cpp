// The plugin end to end, as a technician's run would read it: the SDK's harness plugs the sample
// handset (its vendor request emulated from JSON alone) into a virtual lab and runs dfx scan
// with this build of the plugin.
#include <gtest/gtest.h>

#include <dfx/testing/harness.hpp>

namespace {

dfx::testing::LabScanResult scan(const char* handset) {
  dfx::testing::LabScan s;
  s.handsets = {std::filesystem::path(HELLO_HANDSETS_DIR) / handset};
  s.plugin_dirs = {HELLO_PLUGIN_DIR};
  s.only_plugins = {"hello-vendor"};
  auto r = dfx::testing::scan_in_lab(s);
  EXPECT_TRUE(r) << r.error();
  return r ? std::move(*r) : dfx::testing::LabScanResult{};
}

TEST(HelloLab, ReadsTheIdentityWithItsVendorRequest) {
  const auto r = scan("hello-phone.json");
  // 6: the phone was read completely, but no register was asked, so nothing is clear.
  EXPECT_EQ(r.exit_status, 6) << r.log;
  EXPECT_EQ(r.claim("hello-vendor", "serial"), "HV-0001");
  EXPECT_EQ(r.claim("hello-vendor", "imei"), "353911101234566");
  EXPECT_EQ(r.claim("hello-vendor", "model"), "Hello One");
  const auto claims = r.claims("hello-vendor");
  ASSERT_FALSE(claims.empty());
  EXPECT_EQ(claims[0].method, "hello: vendor request GET_IDENT (0xC0/0x01)");
}

TEST(HelloLab, APhoneThatStallsTheRequestEndsInAClearError) {
  const auto r = scan("hello-phone-mute.json");
  EXPECT_EQ(r.exit_status, 3) << "exit 3: a device could not be read\n" << r.log;
  const auto* probe = r.probe("hello-vendor");
  ASSERT_NE(probe, nullptr) << r.report.dump(2);
  EXPECT_EQ((*probe)["status"], "error");
  EXPECT_NE((*probe)["error"].get<std::string>().find("GET_IDENT"), std::string::npos)
      << probe->dump();
}

}  // namespace
