// The emulated modem through libusb: dialogue, echo, line endings, unsolicited codes, unknown
// commands, the record of what was sent, and parameter errors.
#include <gtest/gtest.h>

#include "at_test_host.hpp"

namespace dfx::testing::test {
namespace {

const std::filesystem::path kCatalogue = AT_MODEM_HANDSETS_DIR;

class Modem : public KitTest {
 protected:
  // Plugs the Ericsson sample with `params` (its own when null) and opens its data interface.
  void plug_modem(nlohmann::json params = nullptr) {
    auto h = load_handset(kCatalogue / "ericsson-f3507g.json");
    ASSERT_TRUE(h) << h.error();
    spec = h->usb;
    if (params.is_null()) params = h->behavior.params;
    auto made = make_at_modem_emulator({spec, params, "test"});
    ASSERT_TRUE(made) << made.error();
    modem = made->get();
    ASSERT_TRUE(plug(spec, std::move(*made)));
    handle = open(spec);
    ASSERT_NE(handle, nullptr);
    ASSERT_EQ(libusb_claim_interface(handle, 1), 0);
    host = std::make_unique<AtHost>(handle, 0x82, 0x02);
  }
  std::string ask(const std::string& command, const std::string& until = "OK\r\n") {
    EXPECT_EQ(host->send(command), 0);
    return host->read_until(until);
  }

  UsbDeviceSpec spec;
  AtModemEmulator* modem = nullptr;
  libusb_device_handle* handle = nullptr;
  std::unique_ptr<AtHost> host;
};

TEST_F(Modem, AnswersFromTheDialogueWithEchoAndUnsolicitedCodes) {
  plug_modem();
  EXPECT_EQ(ask("AT+CGSN"), "AT+CGSN\r\r\n*EMRDY: 1\r\n\r\n350000110246812\r\n\r\nOK\r\n");
  EXPECT_EQ(ask("AT"), "AT\r\r\n*EMRDY: 1\r\n\r\nOK\r\n") << "AT answers OK unless listed";
  EXPECT_EQ(ask("AT+CRSM=176,12258,0,0,10"),
            "AT+CRSM=176,12258,0,0,10\r\r\n*EMRDY: 1\r\n\r\n+CRSM: 144,0,\"984401002143658709F3\""
            "\r\n\r\nOK\r\n");
}

TEST_F(Modem, UnknownCommandsAnswerErrorAndChangeNothing) {
  plug_modem();
  EXPECT_EQ(ask("AT+CFUN=1", "ERROR\r\n"), "AT+CFUN=1\r\r\n*EMRDY: 1\r\n\r\nERROR\r\n");
  EXPECT_EQ(ask("ATE0", "ERROR\r\n"), "ATE0\r\r\n*EMRDY: 1\r\n\r\nERROR\r\n");
  EXPECT_EQ(ask("AT+CGMI"), "AT+CGMI\r\r\n*EMRDY: 1\r\n\r\nEricsson\r\n\r\nOK\r\n")
      << "still echoing: ATE0 was refused";
}

TEST_F(Modem, RecordsEveryCommandLine) {
  plug_modem();
  ask("AT");
  ask("AT+CGMM");
  // A command split over two transfers, then two in one transfer.
  int done = 0;
  std::string part1 = "AT+CG", part2 = "MR\rAT+CIMI\r";
  ASSERT_EQ(libusb_bulk_transfer(handle, 0x02, reinterpret_cast<unsigned char*>(part1.data()),
                                 static_cast<int>(part1.size()), &done, 1000),
            0);
  ASSERT_EQ(libusb_bulk_transfer(handle, 0x02, reinterpret_cast<unsigned char*>(part2.data()),
                                 static_cast<int>(part2.size()), &done, 1000),
            0);
  const auto both = host->read_until("234150999999999\r\n\r\nOK\r\n");
  EXPECT_NE(both.find("R1A021"), std::string::npos) << both;
  const auto rec = modem->record();
  EXPECT_EQ(rec.commands, (std::vector<std::string>{"AT", "AT+CGMM", "AT+CGMR", "AT+CIMI"}));
  EXPECT_EQ(rec.bytes_received, 3u + 8u + part1.size() + part2.size());
}

TEST_F(Modem, EchoOffAndLineEndings) {
  plug_modem({{"echo", false},
              {"line_ending", "cr"},
              {"dialogue", {{{"command", "AT+CGMM"}, {"reply", {"F3507g", "OK"}}}}}});
  EXPECT_EQ(ask("AT+CGMM", "OK\r"), "F3507g\rOK\r");
}

TEST_F(Modem, SmallChunksArriveAsSeparateTransfers) {
  plug_modem({{"echo", false},
              {"line_ending", "lf"},
              {"chunk", 3},
              {"dialogue", {{{"command", "AT+CGMM"}, {"reply", {"F3507g", "OK"}}}}}});
  ASSERT_EQ(host->send("AT+CGMM"), 0);
  unsigned char buf[512];
  int n = 0;
  ASSERT_EQ(libusb_bulk_transfer(handle, 0x82, buf, sizeof buf, &n, 1000), 0);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), static_cast<std::size_t>(n)), "F35");
  EXPECT_EQ(host->read_until("OK\n"), "07g\nOK\n");
}

// Output for as long as it is read, and never a final result.
void expect_endless(AtHost& host) {
  ASSERT_EQ(host.send("AT"), 0);
  const auto got = host.read_until("\r\nOK\r\n", 8192);
  EXPECT_GE(got.size(), 8192u);
  EXPECT_EQ(got.find("\r\nOK\r\n"), std::string::npos);
}

TEST_F(Modem, Endless) {
  plug_modem({{"hostile", "endless"}});
  expect_endless(*host);
}

TEST_F(Modem, Garbage) {
  plug_modem({{"hostile", "garbage"}});
  expect_endless(*host);
}

TEST_F(Modem, EchoForever) {
  plug_modem({{"hostile", "echo_forever"}});
  expect_endless(*host);
  EXPECT_EQ(modem->record().commands, std::vector<std::string>{"AT"});
}

TEST_F(Modem, SilentNeverAnswers) {
  plug_modem({{"hostile", "silent"}});
  ASSERT_EQ(host->send("AT"), 0);
  EXPECT_EQ(host->read_until("OK", 4096, 200), "");
  EXPECT_EQ(modem->record().commands, std::vector<std::string>{"AT"});
}

TEST_F(Modem, BadParamsSayWhere) {
  auto h = load_handset(kCatalogue / "ericsson-f3507g.json");
  ASSERT_TRUE(h) << h.error();
  const std::pair<nlohmann::json, std::string> cases[] = {
      {{{"ech", true}}, "/behavior/params"},
      {{{"hostile", "loud"}}, "/behavior/params/hostile"},
      {{{"line_ending", "crcr"}}, "/behavior/params/line_ending"},
      {{{"chunk", 0}}, "/behavior/params/chunk"},
      {{{"dialogue", {{{"command", "AT"}, {"reply", {1}}}}}}, "/behavior/params/dialogue/0/reply"},
      {{{"data_interface", 0}}, "interface 0 needs a bulk IN and a bulk OUT"},
  };
  for (const auto& [params, where] : cases) {
    auto made = make_at_modem_emulator({h->usb, params, "test"});
    ASSERT_FALSE(made) << params.dump();
    EXPECT_NE(made.error().find(where), std::string::npos) << made.error();
  }
  UsbDeviceSpec no_data = h->usb;
  no_data.configurations[0].interfaces.pop_back();
  auto made = make_at_modem_emulator({no_data, nlohmann::json::object(), "test"});
  ASSERT_FALSE(made);
  EXPECT_NE(made.error().find("no CDC data interface"), std::string::npos) << made.error();
}

}  // namespace
}  // namespace dfx::testing::test
