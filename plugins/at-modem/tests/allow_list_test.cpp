// The read-only guarantee: nothing outside the allow-list can be sent, AT+CIMI only on request,
// and both documents list exactly the table.
#include "allow_list.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "fake_modem.hpp"
#include "session.hpp"

namespace dfx::at {
namespace {

using testing::FakeModem;
using testing::ModemScript;

// The dangerous commands of the handset notes, and ways of smuggling them past a match.
const char* const kForbidden[] = {
    "AT+CFUN=1",
    "AT+CFUN=0",
    "AT+CFUN=1,1",
    "AT+CFUN?",
    "ATZ",
    "AT&F",
    "AT&W",
    "ATD112;",
    "ATD*#06#;",
    "ATA",
    "ATH",
    "ATE0",
    "ATE1",
    "AT+CMGR=1",
    "AT+CMGL=\"ALL\"",
    "AT+CMGL=4",
    "AT+CMGS=\"+441234567890\"",
    "AT+CMGD=1",
    "AT+CMGD=1,4",
    "AT+CMGW",
    "AT+CPBW=1,\"123\"",
    "AT+CPBR=1",
    "AT+CLCK=\"SC\",0,\"0000\"",
    "AT+CLCK=\"SC\",2",
    "AT+CPWD=\"SC\",\"0000\",\"1234\"",
    "AT+CPIN=\"0000\"",
    "AT+CSIM=10,\"A0A40000023F00\"",
    "AT+CRSM=214,12258,0,0,10,\"00000000000000000000\"",
    "AT+CRSM=220,28474,1,4,10",
    "AT+CRSM=176,28423,0,0,9",
    "AT+CRSM=176,12258,0,0,10,\"\"",
    "AT+FACTORST=0,0",
    "AT+FACTORST",
    "AT+SUDDLMOD=0,0",
    "AT+CTSA=1,500,500",
    "AT+CNUM",
    "AT+CGSN=3",
    "AT+CGSN;+CFUN=1",
    "AT+CGSN\rATZ",
    "AT+CGSN\r",
    "AT+CGSN ",
    " AT+CGSN",
    "at+cgsn",
    "AT+CGSN;",
    "AT+DEVCONINFO;+FACTORST",
    "AT^ICCID?",
    "AT+QCCID",
    "AT+CIMI;+CFUN=0",
    "A/",
    "",
};

TEST(AllowList, RefusesEverythingElse) {
  for (const char* c : kForbidden) {
    EXPECT_FALSE(is_allowed(c, false)) << c;
    EXPECT_FALSE(is_allowed(c, true)) << c;
  }
}

TEST(AllowList, ImsiOnlyWhenOptedIn) {
  EXPECT_FALSE(is_allowed("AT+CIMI", false));
  EXPECT_TRUE(is_allowed("AT+CIMI", true));
  std::size_t flagged = 0;
  for (const auto& e : allow_list()) flagged += e.needs_opt_in;
  EXPECT_EQ(flagged, 1u) << "only AT+CIMI needs the examiner's request";
}

TEST(AllowList, EntriesAreReadsOnly) {
  const std::regex read_form(R"(AT(\+(CGMI|GMI|CGMM|GMM|CGMR|GMR|CGSN|CGSN=1|CGSN=2|GSN|CCID|)"
                             R"(ICCID|DEVCONINFO|CIMI|CRSM=176,12258,0,0,10))?)");
  for (const auto& e : allow_list()) {
    EXPECT_TRUE(std::regex_match(std::string(e.command), read_form)) << e.command;
    for (char ch : e.command)
      EXPECT_EQ(std::string_view(";&|\r\n\"' ").find(ch), std::string::npos) << e.command;
  }
}

// Every forbidden command is refused by the one send path with nothing written; every listed one
// is sent as itself followed by CR.
TEST(AllowList, SessionSendsListedAndRefusesTheRest) {
  FakeModem modem(ModemScript{});
  Session session(modem, SessionOptions{});
  for (const char* c : kForbidden) {
    auto r = session.command(c, std::chrono::milliseconds(100));
    ASSERT_FALSE(r) << c;
    EXPECT_EQ(r.error().code, Errc::denied) << c;
  }
  auto imsi = session.command("AT+CIMI", std::chrono::milliseconds(100));
  ASSERT_FALSE(imsi);
  EXPECT_EQ(imsi.error().code, Errc::denied);
  EXPECT_NE(imsi.error().message.find("--at-modem-read-imsi yes"), std::string::npos);
  EXPECT_TRUE(modem.received.empty()) << "nothing was written";

  SessionOptions opted;
  opted.imsi_opted_in = true;
  Session asked(modem, opted);
  for (const auto& e : allow_list()) {
    auto r = asked.command(e.command, std::chrono::milliseconds(1000));
    EXPECT_TRUE(r) << e.command << ": " << r.error().message;
  }
  ASSERT_EQ(modem.received.size(), allow_list().size());
  for (const auto& c : modem.received) EXPECT_TRUE(is_allowed(c, true)) << c;
}

// The commands in the "allow-list" block of a document (between the markers), in order.
std::vector<std::string> documented(const char* path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const auto begin = doc.find("<!-- allow-list:begin -->");
  const auto end = doc.find("<!-- allow-list:end -->");
  EXPECT_NE(begin, std::string::npos) << path << " lacks <!-- allow-list:begin -->";
  EXPECT_NE(end, std::string::npos) << path << " lacks <!-- allow-list:end -->";
  std::vector<std::string> out;
  if (begin == std::string::npos || end == std::string::npos) return out;
  const std::string block = doc.substr(begin, end - begin);
  // One table row per command: "| `AT+CGSN` | ... |".
  const std::regex row(R"(\n\| `([^`]+)` \|)");
  for (auto it = std::sregex_iterator(block.begin(), block.end(), row);
       it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

std::vector<std::string> table() {
  std::vector<std::string> out;
  for (const auto& e : allow_list()) out.emplace_back(e.command);
  return out;
}

TEST(AllowList, ReadmeListsExactlyTheTable) {
  EXPECT_EQ(documented(DFX_AT_MODEM_README), table());
}

TEST(AllowList, DocsPageListsExactlyTheTable) {
  EXPECT_EQ(documented(DFX_AT_MODEM_DOCS), table());
}

}  // namespace
}  // namespace dfx::at
