// The AT-modem plugin end to end in the lab: dfx-lab plugs the emulated modems, dfx scan reads
// them through its isolated workers, normalizes the identifiers and checks them against a real
// SQLite register; the IMSI is read only when the examiner asks; hostile modems end in an error
// for themselves alone while a good modem plugged at the same time is read in full.
#include <gtest/gtest.h>
#include <unistd.h>

#include <dfx/testing/harness.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Where the build put this plugin and its emulator, and where its handsets are (CMakeLists.txt).
const fs::path kPluginDir = AT_MODEM_PLUGIN_DIR;
const fs::path kEmulatorDir = AT_MODEM_EMULATOR_DIR;
const fs::path kSamples = AT_MODEM_HANDSETS_DIR;
const fs::path kHandsets = AT_MODEM_TEST_HANDSETS_DIR;

// The samples' identifiers (handsets/*.json).
constexpr const char* kEricssonSerial = "F3507G0000DFX01";
constexpr const char* kEricssonImei = "350000110246812";
constexpr const char* kEricssonIccid = "8944100012345678903";
constexpr const char* kEricssonImsi = "234150999999999";
constexpr const char* kSamsungUsbSerial = "3233D4F2C1B800EC";
constexpr const char* kSamsungImei = "352605053141594";

// at-modem's claims about the device with USB serial `serial` (the kit's LabScanResult), and the
// value and method of its first claim of `kind` ("<none>" when there is none).
std::vector<dfx::testing::ReportedClaim> claims_of(const dfx::testing::LabScanResult& r,
                                                   const std::string& serial) {
  return r.claims("at-modem", serial);
}

std::string value_of(const dfx::testing::LabScanResult& r, const std::string& serial,
                     const std::string& kind) {
  const auto c = r.find_claim("at-modem", kind, serial);
  return c ? c->value : "<none>";
}

std::string method_of(const dfx::testing::LabScanResult& r, const std::string& serial,
                      const std::string& kind) {
  const auto c = r.find_claim("at-modem", kind, serial);
  return c ? c->method : "<none>";
}

std::size_t count_of(const dfx::testing::LabScanResult& r, const std::string& serial,
                     const std::string& kind) {
  std::size_t n = 0;
  for (const auto& c : claims_of(r, serial)) n += c.kind == kind;
  return n;
}

class LabAtModem : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "dfx-lab-at-modem-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    db_ = (dir_ / "register.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  // A register holding one report of the Galaxy S II's IMEI.
  void import_register() {
    const auto imported =
        dfx::testing::import_register(db_,
                                      "identifier,status,reported_at,source,reference,notes\n"
                                      "35-260505-314159-4,stolen,2025-09-14,Greater Manchester "
                                      "Police,GMP-2025-0914,taken in a burglary\n",
                                      dir_);
    ASSERT_TRUE(imported) << imported.error();
  }
  dfx::testing::LabScanResult scan(const std::vector<fs::path>& handsets,
                                   std::vector<std::string> args, bool registers) {
    dfx::testing::LabScan s;
    s.handsets = handsets;
    s.plugin_dirs = {kPluginDir};
    s.emulator_dirs = {kEmulatorDir};
    s.registers = registers;
    s.scan_args = std::move(args);
    s.env = {{"HOME", dir_.string()}};
    auto r = dfx::testing::scan_in_lab(s);
    EXPECT_TRUE(r) << r.error();
    return r ? std::move(*r) : dfx::testing::LabScanResult{};
  }
  fs::path dir_;
  std::string db_;
};

TEST_F(LabAtModem, ModemIdentifiersAreReadNormalizedAndCheckedAgainstTheRegister) {
  import_register();
  const auto r = scan({kSamples / "ericsson-f3507g.json", kSamples / "samsung-gt-i9100-modem.json"},
                      {"--register-db", db_}, true);
  ASSERT_EQ(r.exit_status, 5) << "exit 5: a device is flagged\n" << r.report.dump(2) << r.log;
  const json& doc = r.report;

  const json* ericsson = r.device(kEricssonSerial);
  ASSERT_NE(ericsson, nullptr) << doc.dump(2);
  EXPECT_EQ((*r.probe("at-modem", kEricssonSerial))["status"], "ok") << ericsson->dump(2);
  EXPECT_EQ(value_of(r, kEricssonSerial, "manufacturer"), "Ericsson");
  EXPECT_EQ(value_of(r, kEricssonSerial, "model"), "F3507g");
  EXPECT_EQ(value_of(r, kEricssonSerial, "version_baseband"), "R1A021 prgCXC1250305_GENERIC_GL 1");
  EXPECT_EQ(value_of(r, kEricssonSerial, "imei"), kEricssonImei);
  EXPECT_EQ(method_of(r, kEricssonSerial, "imei"), "at: AT+CGSN");
  EXPECT_EQ(value_of(r, kEricssonSerial, "iccid"), kEricssonIccid);
  EXPECT_EQ(method_of(r, kEricssonSerial, "iccid"),
            "at: AT+CRSM=176,12258,0,0,10 (READ BINARY of EF_ICCID)");
  EXPECT_EQ(count_of(r, kEricssonSerial, "imsi"), 0u) << "the IMSI only when the examiner asks";
  for (const auto& c : claims_of(r, kEricssonSerial))
    EXPECT_EQ(c.method.rfind("at: AT", 0), 0u) << c.kind << ": " << c.method;

  const json* imei = dfx::testing::find_identifier(*ericsson, kEricssonImei);
  ASSERT_NE(imei, nullptr) << ericsson->dump(2);
  EXPECT_EQ((*imei)["kind"], "imei");
  EXPECT_EQ((*imei)["valid"], true);
  EXPECT_EQ((*imei)["verdict"], "clear");
  const json* iccid = dfx::testing::find_identifier(*ericsson, kEricssonIccid);
  ASSERT_NE(iccid, nullptr) << ericsson->dump(2);
  EXPECT_EQ((*iccid)["valid"], true);

  const json* samsung = r.device(kSamsungUsbSerial);
  ASSERT_NE(samsung, nullptr) << doc.dump(2);
  EXPECT_EQ(value_of(r, kSamsungUsbSerial, "model"), "GT-I9100");
  EXPECT_EQ(method_of(r, kSamsungUsbSerial, "model"), "at: AT+GMM")
      << "the fallback after AT+CGMM's ERROR";
  EXPECT_EQ(value_of(r, kSamsungUsbSerial, "imei"), kSamsungImei);
  EXPECT_EQ(method_of(r, kSamsungUsbSerial, "imei"), "at: AT+GSN");
  EXPECT_EQ(count_of(r, kSamsungUsbSerial, "imei"), 1u)
      << "DEVCONINFO's equal IMEI is not claimed twice";
  EXPECT_EQ(value_of(r, kSamsungUsbSerial, "serial"), "RF1C20DFX01");
  EXPECT_EQ(method_of(r, kSamsungUsbSerial, "serial"), "at: AT+DEVCONINFO (SN)");
  EXPECT_EQ(value_of(r, kSamsungUsbSerial, "x_samsung_firmware"),
            "I9100XWLSW/I9100OXALSW/I9100XXLS8/I9100XWLSW");
  const json* flagged = dfx::testing::find_identifier(*samsung, kSamsungImei);
  ASSERT_NE(flagged, nullptr) << samsung->dump(2);
  EXPECT_EQ((*flagged)["verdict"], "flagged");
  ASSERT_EQ((*flagged)["hits"].size(), 1u);
  EXPECT_EQ((*flagged)["hits"][0]["status"], "stolen");
  EXPECT_EQ((*flagged)["hits"][0]["reporting_party"], "Greater Manchester Police");
  EXPECT_EQ((*samsung)["verdict"], "flagged");
}

TEST_F(LabAtModem, TheImsiIsReadOnlyWhenTheExaminerAsks) {
  const auto r = scan({kSamples / "ericsson-f3507g.json"},
                      {"--no-registers", "--at-modem-read-imsi", "yes"}, false);
  ASSERT_EQ(r.exit_status, 6) << r.report.dump(2) << r.log;
  const json* ericsson = r.device(kEricssonSerial);
  ASSERT_NE(ericsson, nullptr) << r.report.dump(2);
  EXPECT_EQ(value_of(r, kEricssonSerial, "imsi"), kEricssonImsi);
  EXPECT_EQ(method_of(r, kEricssonSerial, "imsi"), "at: AT+CIMI (at the examiner's request)");
  EXPECT_NE(dfx::testing::find_finding(*ericsson, "imsi_read_on_request"), nullptr)
      << "the record says the IMSI was read on request: " << (*ericsson)["findings"].dump(2);
}

TEST_F(LabAtModem, AnyOtherImsiSettingIsAnErrorBeforeAnythingIsRead) {
  const auto r = scan({kSamples / "ericsson-f3507g.json"},
                      {"--no-registers", "--at-modem-read-imsi", "please"}, false);
  ASSERT_NE(r.device(kEricssonSerial), nullptr) << r.report.dump(2) << r.log;
  const json* p = r.probe("at-modem", kEricssonSerial);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ((*p)["status"], "error") << p->dump(2);
  EXPECT_NE((*p)["error"].get<std::string>().find("\"please\" is not accepted"), std::string::npos)
      << p->dump(2);
  EXPECT_TRUE((*p)["claims"].empty());
}

TEST_F(LabAtModem, HostileModemsEndInAnErrorForThemAloneAndTheGoodOneIsRead) {
  std::vector<fs::path> handsets = {kSamples / "ericsson-f3507g.json"};
  const std::vector<std::string> hostile = {"at-silent", "at-endless", "at-garbage",
                                            "at-echo-forever"};
  for (const auto& h : hostile) handsets.push_back(kHandsets / (h + ".json"));
  const auto r = scan(handsets, {"--no-registers", "--probe-timeout", "30000"}, false);
  ASSERT_EQ(r.exit_status, 3) << "exit 3: some devices could not be read\n" << r.log;
  const json& doc = r.report;
  ASSERT_EQ(doc["devices"].size(), hostile.size() + 1) << doc.dump(2);
  for (const auto& d : doc["devices"]) {
    const std::string serial = d["serial_number"].get<std::string>();
    const json* p = r.probe("at-modem", serial);
    ASSERT_NE(p, nullptr) << d.dump();
    if (serial == kEricssonSerial) {
      EXPECT_EQ((*p)["status"], "ok") << "the good modem is read in full: " << p->dump();
      EXPECT_EQ(value_of(r, serial, "imei"), kEricssonImei);
      continue;
    }
    SCOPED_TRACE(d["product"].dump());
    EXPECT_EQ((*p)["status"], "error") << p->dump();
    EXPECT_EQ((*p)["code"], "plugin_error")
        << "the plugin ended it, not the host's deadline: " << p->dump();
    const auto error = (*p)["error"].get<std::string>();
    EXPECT_NE(error.find("no AT command interpreter answered"), std::string::npos) << error;
    EXPECT_LT((*p)["duration_ms"].get<double>(), 20000.0) << "well before the deadline";
    EXPECT_TRUE((*p)["claims"].empty());
  }
}

// A modem that drops every command until DTR is up (tests/handsets/at-needs-dtr.json) is read:
// the plugin raises DTR and RTS with SET_CONTROL_LINE_STATE, declared in its manifest, first.
TEST_F(LabAtModem, AModemThatWaitsForDtrIsReadBecauseThePluginRaisesIt) {
  const auto r = scan({kHandsets / "at-needs-dtr.json"}, {"--no-registers"}, false);
  ASSERT_NE(r.device("ATNEEDSDTR01"), nullptr) << r.report.dump(2) << r.log;
  const json* p = r.probe("at-modem", "ATNEEDSDTR01");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ((*p)["status"], "ok") << p->dump(2);
  EXPECT_EQ(value_of(r, "ATNEEDSDTR01", "imei"), "351751041618037");
  EXPECT_EQ(value_of(r, "ATNEEDSDTR01", "model"), "DTR-1");
}

}  // namespace
