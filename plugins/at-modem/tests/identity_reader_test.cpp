// The identity reader against scripted modems: what is sent, in which order, what is claimed.
#include "identity_reader.hpp"

#include <gtest/gtest.h>

#include <map>

#include "allow_list.hpp"
#include "fake_modem.hpp"

namespace dfx::at {
namespace {

using namespace std::chrono_literals;
using testing::FakeModem;
using testing::ModemScript;

struct Recorded {
  std::string kind, value, method;
};

class RecordingSink final : public Sink {
 public:
  void claim(const dfx::sdk::ClaimKind& kind, std::string_view value,
             std::string_view method) override {
    claims.push_back({std::string(kind.text()), std::string(value), std::string(method)});
  }
  void finding(std::string_view code, std::string_view message) override {
    findings[std::string(code)] = std::string(message);
  }
  void log(Level, std::string_view message) override { logs += std::string(message) + "\n"; }
  std::vector<std::string> kinds() const {
    std::vector<std::string> out;
    for (const auto& c : claims) out.push_back(c.kind);
    return out;
  }
  const Recorded* find(const std::string& kind) const {
    for (const auto& c : claims)
      if (c.kind == kind) return &c;
    return nullptr;
  }
  std::vector<Recorded> claims;
  std::map<std::string, std::string> findings;
  std::string logs;
};

ModemScript ericsson() {
  ModemScript s;
  s.dialogue["AT+CGMI"] = {"Ericsson", "OK"};
  s.dialogue["AT+CGMM"] = {"F3507g", "OK"};
  s.dialogue["AT+CGMR"] = {"R1A021 prgCXC1250305_GENERIC_GL 1", "OK"};
  s.dialogue["AT+CGSN"] = {"350000110246812", "OK"};
  s.dialogue["AT+CRSM=176,12258,0,0,10"] = {"+CRSM: 144,0,\"984411008652260750F4\"", "OK"};
  s.dialogue["AT+CIMI"] = {"234150999999999", "OK"};
  return s;
}

ReadOptions fast() {
  ReadOptions o;
  o.probe_timeout = 500ms;
  o.command_timeout = 1s;
  return o;
}

TEST(IdentityReader, ReadsAnEricssonModuleWithoutTheImsi) {
  FakeModem modem(ericsson());
  RecordingSink sink;
  auto st = read_identity(modem, fast(), sink);
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(sink.kinds(), (std::vector<std::string>{"manufacturer", "model", "version_baseband",
                                                    "imei", "iccid"}));
  EXPECT_EQ(sink.find("imei")->value, "350000110246812");
  EXPECT_EQ(sink.find("imei")->method, "at: AT+CGSN");
  EXPECT_EQ(sink.find("iccid")->value, "8944110068256270054");
  EXPECT_EQ(sink.find("iccid")->method, "at: AT+CRSM=176,12258,0,0,10 (READ BINARY of EF_ICCID)");
  EXPECT_EQ(sink.find("version_baseband")->value, "R1A021 prgCXC1250305_GENERIC_GL 1");
  EXPECT_EQ(modem.received,
            (std::vector<std::string>{"AT", "AT+CGMI", "AT+CGMM", "AT+CGMR", "AT+CGSN", "AT+CGSN=2",
                                      "AT+CCID", "AT+ICCID", "AT+CRSM=176,12258,0,0,10"}))
      << "no AT+CIMI, no AT+DEVCONINFO on a non-Samsung modem";
  EXPECT_TRUE(sink.findings.empty());
  EXPECT_NE(sink.logs.find("AT+CGSN=2: not supported by this modem (ERROR)"), std::string::npos);
}

TEST(IdentityReader, ReadsTheImsiOnlyWhenAskedAndSaysSo) {
  FakeModem modem(ericsson());
  RecordingSink sink;
  auto o = fast();
  o.read_imsi = true;
  ASSERT_TRUE(read_identity(modem, o, sink));
  ASSERT_NE(sink.find("imsi"), nullptr);
  EXPECT_EQ(sink.find("imsi")->value, "234150999999999");
  EXPECT_EQ(sink.find("imsi")->method, "at: AT+CIMI (at the examiner's request)");
  EXPECT_EQ(modem.received.back(), "AT+CIMI");
  ASSERT_TRUE(sink.findings.count("imsi_read_on_request"));
  EXPECT_NE(sink.findings["imsi_read_on_request"].find("examiner asked"), std::string::npos);
}

TEST(IdentityReader, FallsBackThroughTheImeiCommands) {
  auto s = ericsson();
  s.dialogue["AT+CGSN"] = {"ERROR"};
  s.dialogue["AT+CGSN=1"] = {"+CGSN: \"350000110246812\"", "OK"};
  {
    FakeModem modem(s);
    RecordingSink sink;
    ASSERT_TRUE(read_identity(modem, fast(), sink));
    EXPECT_EQ(sink.find("imei")->value, "350000110246812");
    EXPECT_EQ(sink.find("imei")->method, "at: AT+CGSN=1");
  }
  s.dialogue["AT+CGSN=1"] = {"+CME ERROR: operation not supported"};
  s.dialogue["AT+GSN"] = {"350000110246812", "OK"};
  {
    FakeModem modem(s);
    RecordingSink sink;
    ASSERT_TRUE(read_identity(modem, fast(), sink));
    EXPECT_EQ(sink.find("imei")->method, "at: AT+GSN");
  }
}

TEST(IdentityReader, AGarbledValueIsLoggedAndTheFallbackTried) {
  auto s = ericsson();
  s.dialogue["AT+CGSN"] = {"IMEI unavailable", "OK"};
  s.dialogue["AT+CGSN=1"] = {"+CGSN: \"350000110246812\"", "OK"};
  s.dialogue["AT+CGSN=2"] = {"+CGSN: \"3500001102468101\"", "OK"};
  FakeModem modem(s);
  RecordingSink sink;
  ASSERT_TRUE(read_identity(modem, fast(), sink));
  EXPECT_EQ(sink.find("imei")->method, "at: AT+CGSN=1");
  EXPECT_EQ(sink.find("imeisv")->value, "3500001102468101");
  EXPECT_NE(sink.logs.find("\"IMEI unavailable\" is not 15 decimal digits"), std::string::npos)
      << sink.logs;
}

TEST(IdentityReader, SamsungDevConInfo) {
  ModemScript s;
  s.dialogue["AT+CGMI"] = {"SAMSUNG", "OK"};
  s.dialogue["AT+CGMM"] = {"GT-I9100", "OK"};
  s.dialogue["AT+GSN"] = {"352605053141594", "OK"};
  s.dialogue["AT+DEVCONINFO"] = {
      "+DEVCONINFO: MN(GT-I9100);BASE(SLP);VER(I9100XWLSW/I9100OXALSW/I9100XXLS8/I9100XWLSW);"
      "HIDVER();MNC();MCC();PRD(BTU);AID();CC();OMCCODE();SN(RF1C20DFX01);"
      "IMEI(352605053141594);UN(0019A3C4D5E6F708);CON(AT,MTP);LOCK(NONE);LIMIT(FALSE);"
      "SDP(RUNTIME)",
      "OK"};
  FakeModem modem(s);
  RecordingSink sink;
  ASSERT_TRUE(read_identity(modem, fast(), sink));
  EXPECT_EQ(sink.find("serial")->value, "RF1C20DFX01");
  EXPECT_EQ(sink.find("serial")->method, "at: AT+DEVCONINFO (SN)");
  EXPECT_EQ(sink.find("x_samsung_firmware")->value, "I9100XWLSW/I9100OXALSW/I9100XXLS8/I9100XWLSW");
  std::size_t models = 0, imeis = 0;
  for (const auto& c : sink.claims) models += c.kind == "model", imeis += c.kind == "imei";
  EXPECT_EQ(models, 1u) << "the same model from +CGMM and MN is claimed once";
  EXPECT_EQ(imeis, 1u) << "the same IMEI from +GSN and DEVCONINFO is claimed once";
}

TEST(IdentityReader, DisagreeingValuesAreBothClaimed) {
  ModemScript s;
  s.dialogue["AT+CGSN"] = {"352605053141594", "OK"};
  s.dialogue["AT+DEVCONINFO"] = {"+DEVCONINFO: MN(GT-I9100);IMEI(354123456789012)", "OK"};
  FakeModem modem(s);
  RecordingSink sink;
  auto o = fast();
  o.samsung = true;  // the VID says Samsung even though +CGMI failed
  ASSERT_TRUE(read_identity(modem, o, sink));
  std::vector<std::string> imeis;
  for (const auto& c : sink.claims)
    if (c.kind == "imei") imeis.push_back(c.value);
  EXPECT_EQ(imeis, (std::vector<std::string>{"352605053141594", "354123456789012"}))
      << "the core cross-checks them";
}

TEST(IdentityReader, TheAtProbeMustSayOk) {
  ModemScript s;
  s.dialogue["AT"] = {"ERROR"};
  FakeModem modem(s);
  RecordingSink sink;
  auto st = read_identity(modem, fast(), sink);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::refused);
  EXPECT_EQ(modem.received, std::vector<std::string>{"AT"}) << "nothing else is sent";
}

TEST(IdentityReader, ASilentPortStopsAfterTheProbe) {
  auto s = ericsson();
  s.hostile = ModemScript::Hostile::silent;
  FakeModem modem(s);
  RecordingSink sink;
  auto st = read_identity(modem, fast(), sink);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::timeout);
  EXPECT_NE(st.error().message.find("no AT command interpreter answered"), std::string::npos);
  EXPECT_EQ(modem.received, std::vector<std::string>{"AT"});
}

TEST(IdentityReader, NoIdentifierIsAnErrorThatSaysWhatWasTried) {
  ModemScript s;
  s.dialogue["AT+CGMI"] = {"Acme", "OK"};
  FakeModem modem(s);
  RecordingSink sink;
  auto st = read_identity(modem, fast(), sink);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::not_found);
  EXPECT_NE(st.error().message.find("AT+CGSN: ERROR"), std::string::npos) << st.error().message;
  EXPECT_EQ(sink.kinds(), std::vector<std::string>{"manufacturer"}) << "what was read is kept";
  for (const auto& c : modem.received) EXPECT_TRUE(is_allowed(c, false)) << c;
}

TEST(IdentityReader, AHostileReplyMidwayEndsTheReadKeepingTheClaims) {
  // A modem whose +CGMR answer never ends: manufacturer and model stay claimed.
  auto s = ericsson();
  std::vector<std::string> endless;
  for (int i = 0; i < 100; ++i) endless.push_back("line " + std::to_string(i));
  s.dialogue["AT+CGMR"] = endless;
  FakeModem modem(s);
  RecordingSink sink;
  auto st = read_identity(modem, fast(), sink);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::too_large);
  EXPECT_NE(st.error().message.find("AT+CGMR"), std::string::npos);
  EXPECT_EQ(sink.kinds(), (std::vector<std::string>{"manufacturer", "model"}));
}

}  // namespace
}  // namespace dfx::at
