// The emulated MTP phone against real clients, inside a testbed of this process (so that the
// emulator's record of what it received can be read):
//  - dfx scan with the mtp plugin sends GetDeviceInfo (0x1001) and nothing else: no other
//    operation, no class or vendor control request, no reset;
//  - the real mtp-detect (Debian mtp-tools, libmtp) reads the same manufacturer, model and serial
//    number from the same virtual phone that dfx scan reports. mtp-detect is intrusive (it opens
//    a session, asks for storage, probes the 0xEE descriptor): what it sent is printed, for the
//    record of how the emulation was checked.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dfx/testing/harness.hpp>
#include <dfx/testing/testing.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <regex>
#include <sstream>

#include "emulator.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

const fs::path kSamples = MTP_HANDSETS_DIR;
const fs::path kPluginDir = MTP_PLUGIN_DIR;

std::string find_program(const std::string& name) {
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"})
    if (::access((std::string(dir) + "/" + name).c_str(), X_OK) == 0)
      return std::string(dir) + "/" + name;
  return {};
}

std::string hex(uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04X", v);
  return buf;
}

class TestbedClients : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    home_ = fs::path(tmp ? tmp : "/tmp") / "mtp-clients-home";
    fs::remove_all(home_);
    fs::create_directories(home_);
    auto tb = dfx::testing::Testbed::create();
    ASSERT_TRUE(tb) << tb.error();
    testbed_ = std::move(*tb);
  }
  void TearDown() override { testbed_.reset(); }

  /// Plugs a sample handset with an emulator this test keeps a pointer to.
  dfx::testing::MtpEmulator* plug(const std::string& file, dfx::testing::HandsetSpec& handset) {
    auto h = dfx::testing::load_handset(kSamples / file);
    EXPECT_TRUE(h) << h.error();
    if (!h) return nullptr;
    handset = *h;
    auto made = dfx::testing::make_mtp_emulator({h->usb, h->behavior.params, h->id});
    EXPECT_TRUE(made) << made.error();
    if (!made) return nullptr;
    auto* emu = made->get();
    auto d = testbed_->plug(h->usb, std::move(*made));
    EXPECT_TRUE(d) << d.error();
    return d ? emu : nullptr;
  }

  /// dfx scan of the testbed's devices with only the mtp plugin; the JSON report.
  json dfx_scan() {
    auto run = dfx::testing::run_program((dfx::testing::dfx_bin_dir() / "dfx").string(),
                                         {"scan", "--format", "json", "--no-registers",
                                          "--plugin-dir", kPluginDir.string(), "--plugin", "mtp"},
                                         {{"HOME", home_.string()}}, 60s);
    EXPECT_TRUE(run) << run.error();
    if (!run) return {};
    auto doc = json::parse(run->out, nullptr, false);
    EXPECT_TRUE(doc.is_object()) << "exit " << run->exit_status << "\n" << run->err;
    return doc.is_object() ? doc : json{};
  }

  static std::map<std::string, std::string> mtp_claims(const json& doc) {
    std::map<std::string, std::string> out;
    if (!doc.contains("devices") || doc["devices"].empty()) return out;
    for (const auto& p : doc["devices"][0]["probes"])
      if (p["plugin"] == "mtp")
        for (const auto& c : p["claims"]) out[c["kind"]] = c["value"];
    return out;
  }

  fs::path home_;
  std::unique_ptr<dfx::testing::Testbed> testbed_;
};

TEST_F(TestbedClients, DfxScanSendsGetDeviceInfoAndNothingElse) {
  dfx::testing::HandsetSpec handset;
  auto* emu = plug("samsung-galaxy-s3-imei-serial.json", handset);
  ASSERT_NE(emu, nullptr);
  const auto doc = dfx_scan();
  const auto claims = mtp_claims(doc);
  EXPECT_EQ(claims.count("imei") ? claims.at("imei") : "", "351941062718283") << doc.dump(2);
  const auto rec = emu->record();
  EXPECT_EQ(rec.operations, std::vector<uint16_t>{0x1001}) << "only GetDeviceInfo";
  EXPECT_EQ(rec.transaction_ids, std::vector<uint32_t>{0}) << "outside a session";
  EXPECT_TRUE(rec.control_requests.empty()) << "no class or vendor request";
  EXPECT_EQ(rec.resets, 0u);
  EXPECT_EQ(rec.sessions_opened, 0u);
  EXPECT_TRUE(rec.bad_containers.empty());
}

TEST_F(TestbedClients, RealMtpDetectReadsWhatDfxScanReports) {
  const std::string mtp_detect = find_program("mtp-detect");
  ASSERT_FALSE(mtp_detect.empty())
      << "mtp-detect is not installed (Debian package mtp-tools, installed by scripts/setup): "
         "the fidelity check needs the real libmtp client";
  dfx::testing::HandsetSpec handset;
  auto* emu = plug("samsung-galaxy-mtp.json", handset);
  ASSERT_NE(emu, nullptr);

  const auto doc = dfx_scan();
  const auto claims = mtp_claims(doc);
  ASSERT_TRUE(claims.count("manufacturer") && claims.count("model") && claims.count("serial"))
      << doc.dump(2);
  const auto after_dfx = emu->record().operations.size();

  dfx::testing::ProcessGroup group({"HOME", home_.string()});
  int status = 0;
  auto out = group.run({mtp_detect}, (home_ / "mtp-detect.out").string(), 40s, &status);
  ASSERT_TRUE(out) << out.error();
  EXPECT_TRUE(group.kill_all());
  std::cout << "[ mtp-detect ]\n" << *out << "\n";

  // libmtp's LIBMTP_Dump_Device_Info prints the DeviceInfo strings in these lines.
  auto field = [&](const std::string& label) {
    std::smatch m;
    const std::regex re("\\n\\s*" + label + ": ([^\\n]*)");
    return std::regex_search(*out, m, re) ? m[1].str() : std::string("<missing>");
  };
  EXPECT_EQ(field("Manufacturer"), claims.at("manufacturer"));
  EXPECT_EQ(field("Model"), claims.at("model"));
  EXPECT_EQ(field("Serial number"), claims.at("serial"));
  EXPECT_EQ(field("Device version"), claims.at("x_mtp_device_version"));

  const auto rec = emu->record();
  std::ostringstream sent;
  for (std::size_t i = after_dfx; i < rec.operations.size(); ++i)
    sent << " " << hex(rec.operations[i]) << "->" << hex(rec.responses[i]);
  std::cout << "[ mtp-detect sent ]" << sent.str() << "\n[ control requests ]";
  for (auto c : rec.control_requests) std::cout << " " << hex(c);
  std::cout << "\n[ sessions opened ] " << rec.sessions_opened << ", resets " << rec.resets << "\n";
  EXPECT_GT(rec.sessions_opened, 0u) << "mtp-detect opens a session (the plugin never does)";
}

}  // namespace
