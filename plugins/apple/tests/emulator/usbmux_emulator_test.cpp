// The emulated iPhone, driven through libusb by the small usbmux/lockdown host of
// usbmux_test_host.hpp inside the testbed: configuration, VERSION/SETUP, TCP, lockdown
// requests, paired sessions with TLS, and the requests it refuses.
#include "usbmux_test_host.hpp"

namespace dfx::testing::test {
namespace {

using dfx::apple::PairRecord;

const std::filesystem::path catalogue = APPLE_HANDSETS_DIR;

/// Fixture: a phone from the catalogue with its usbmux emulator.
class Phone : public KitTest {
 protected:
  void plug_phone(const std::string& name, std::optional<nlohmann::json> params = std::nullopt) {
    path = catalogue / (name + ".json");
    auto h = load_handset(path);
    ASSERT_TRUE(h) << h.error();
    spec = h->usb;
    auto made = make_usbmux_emulator(
        {spec, params ? *params : h->behavior.params_of("usbmux"), path.string()});
    ASSERT_TRUE(made) << made.error();
    phone = made->get();
    ASSERT_TRUE(plug(spec, std::move(*made)));
    handle = open(spec);
    ASSERT_NE(handle, nullptr);
  }
  /// Selects `configuration` and claims its usbmux interface (ff/fe/02), as usbmuxd does.
  void select(std::uint8_t configuration = 3) {
    ASSERT_EQ(libusb_set_configuration(handle, configuration), 0);
    ASSERT_EQ(libusb_claim_interface(handle, 1), 0);
    host = std::make_unique<MuxHost>(handle, 0x85, 0x04);
  }
  /// Plugs, selects configuration 3, VERSION + SETUP, connects to lockdownd.
  void connected(const std::string& name) {
    plug_phone(name);
    ASSERT_NO_FATAL_FAILURE(select());
    ASSERT_TRUE(host->start());
    auto synack = host->connect();
    ASSERT_TRUE(synack);
    ASSERT_EQ(synack->flags, kSyn | kAck);
  }
  PairRecord pairing(const std::string& udid) {
    record_xml = slurp(catalogue / "pair-records" / (udid + ".plist"));
    auto r = dfx::apple::parse_pair_record(
        std::span(reinterpret_cast<const std::uint8_t*>(record_xml.data()), record_xml.size()));
    EXPECT_TRUE(r) << r.status().message();
    return r ? *r : PairRecord{};
  }
  /// StartSession with the pairing's HostID, then the TLS handshake.
  std::unique_ptr<TlsClient> start_session(const PairRecord& p, bool host_certificate = false) {
    auto answer = host->lockdown(request(
        {{"Request", "StartSession"}, {"HostID", p.host_id}, {"SystemBUID", p.system_buid}}));
    EXPECT_TRUE(answer);
    if (!answer) return nullptr;
    EXPECT_EQ(answer->str("Request"), "StartSession");
    EXPECT_FALSE(answer->has("Error")) << answer->str("Error");
    session_id = answer->str("SessionID");
    plist_t ssl = answer->get("EnableSessionSSL");
    uint8_t on = 0;
    if (ssl && plist_get_node_type(ssl) == PLIST_BOOLEAN) plist_get_bool_val(ssl, &on);
    EXPECT_TRUE(on);
    auto tls = std::make_unique<TlsClient>(p, record_xml, host_certificate);
    EXPECT_TRUE(host->tls_handshake(*tls));
    return tls;
  }

  std::filesystem::path path;
  UsbDeviceSpec spec;
  UsbmuxEmulator* phone = nullptr;
  libusb_device_handle* handle = nullptr;
  std::unique_ptr<MuxHost> host;
  std::string record_xml, session_id;
};

TEST_F(Phone, SilentUntilAUsbmuxConfigurationIsSelected) {
  plug_phone("iphone-normal");
  // Configuration 1 (PTP) is active after plugging: a VERSION request on its bulk OUT endpoint
  // is PTP's business, not usbmux's.
  int c = 0;
  ASSERT_EQ(libusb_get_configuration(handle, &c), 0);
  EXPECT_EQ(c, 1);
  ASSERT_EQ(libusb_claim_interface(handle, 0), 0);
  MuxHost ptp(handle, 0x81, 0x02);
  ASSERT_TRUE(ptp.write(ptp.packet(kProtoVersion, Bytes(12, 0))) == 0);
  EXPECT_FALSE(ptp.read(100));
  EXPECT_FALSE(phone->record().version_answered);
  ASSERT_EQ(libusb_release_interface(handle, 0), 0);
  // Configuration 4, as usbmuxd selects it (the highest, up to 4).
  ASSERT_NO_FATAL_FAILURE(select(4));
  auto v = host->version();
  ASSERT_TRUE(v) << libusb_error_name(host->last_error());
  EXPECT_TRUE(phone->record().version_answered);
}

TEST_F(Phone, VersionAnswerHasAVersion1Header) {
  plug_phone("iphone-normal");
  ASSERT_NO_FATAL_FAILURE(select());
  auto v = host->version();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->protocol, kProtoVersion);
  EXPECT_EQ(v->length, 20u);  // 8-byte header + {major, minor, padding}
  ASSERT_EQ(v->payload.size(), 12u);
  EXPECT_EQ(get32(v->payload, 0), 2u);
  EXPECT_EQ(get32(v->payload, 4), 0u);
}

TEST_F(Phone, TcpHandshakeAndSequenceNumbers) {
  plug_phone("iphone-normal");
  ASSERT_NO_FATAL_FAILURE(select());
  ASSERT_TRUE(host->start());
  const std::uint16_t host_packets = host->tx_seq();  // SETUP was packet 0
  auto synack = host->connect();
  ASSERT_TRUE(synack);
  EXPECT_EQ(synack->magic, 0xFEEDFACEu);
  EXPECT_EQ(synack->tx_seq, 0u) << "the phone's first packet after SETUP";
  EXPECT_EQ(synack->rx_seq, host_packets) << "the host's SYN was its packet " << host_packets;
  EXPECT_EQ(synack->flags, kSyn | kAck);
  EXPECT_EQ(synack->ack, 1u) << "the host's initial sequence number 0, plus 1";
  EXPECT_EQ(synack->sport, kLockdown);
  EXPECT_EQ(synack->dport, host->sport());
  EXPECT_EQ(synack->window, 0x0200) << "128 KiB in 256-byte units";
  const std::uint32_t phone_isn = synack->seq;

  const std::string sent_before = std::to_string(host->seq());
  auto type = host->lockdown(request({{"Request", "QueryType"}}));
  ASSERT_TRUE(type);
  const auto answer = host->segments().back();  // a copy: segments() grows
  EXPECT_EQ(answer.tx_seq, 1u);
  EXPECT_EQ(answer.flags, kAck) << "usbmuxd takes any other flag as a reset";
  EXPECT_EQ(answer.seq, phone_isn + 1);
  EXPECT_EQ(answer.ack, host->seq()) << "every byte the host sent, acknowledged";
  auto value = host->lockdown(request({{"Request", "GetValue"}, {"Key", "ProductType"}}));
  ASSERT_TRUE(value);
  const auto second = host->segments().back();
  EXPECT_EQ(second.tx_seq, 2u);
  EXPECT_EQ(second.seq, phone_isn + 1 + answer.data.size()) << "a contiguous stream";
  EXPECT_EQ(second.ack, host->seq());
  EXPECT_TRUE(phone->record().setup_received);
}

TEST_F(Phone, SynToAnotherPortIsReset) {
  plug_phone("iphone-normal");
  ASSERT_NO_FATAL_FAILURE(select());
  ASSERT_TRUE(host->start());
  auto rst = host->connect(62079);
  ASSERT_TRUE(rst);
  EXPECT_TRUE(rst->flags & kRst);
  EXPECT_EQ(rst->ack, 1u);
  EXPECT_EQ(rst->sport, 62079);
  const auto rec = phone->record();
  EXPECT_EQ(rec.connections_refused, 1u);
  EXPECT_EQ(rec.syn_ports, std::vector<std::uint16_t>{62079});
  // lockdownd itself still answers.
  auto synack = host->connect();
  ASSERT_TRUE(synack);
  EXPECT_EQ(synack->flags, kSyn | kAck);
}

TEST_F(Phone, QueryTypeAndSingleValues) {
  ASSERT_NO_FATAL_FAILURE(connected("iphone-normal"));
  auto type = host->lockdown(request({{"Request", "QueryType"}}));
  ASSERT_TRUE(type);
  EXPECT_EQ(type->str("Request"), "QueryType");
  EXPECT_EQ(type->str("Type"), "com.apple.mobile.lockdown");

  auto product = host->lockdown(request({{"Request", "GetValue"}, {"Key", "ProductType"}}));
  ASSERT_TRUE(product);
  EXPECT_EQ(product->str("Request"), "GetValue");
  EXPECT_EQ(product->str("Key"), "ProductType");
  EXPECT_EQ(value_string(*product), "iPhone11,2");
  EXPECT_FALSE(product->has("Error"));

  auto ecid = host->lockdown(request({{"Request", "GetValue"}, {"Key", "UniqueChipID"}}));
  ASSERT_TRUE(ecid);
  EXPECT_EQ(ecid->uint("Value"), 0x001D2CD90128002Eu) << "the ECID, as an integer";

  auto udid = host->lockdown(request({{"Request", "GetValue"}, {"Key", "UniqueDeviceID"}}));
  ASSERT_TRUE(udid);
  EXPECT_EQ(value_string(*udid), "00008020-001D2CD90128002E");

  auto missing = host->lockdown(request({{"Request", "GetValue"}, {"Key", "NoSuchKey"}}));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->str("Error"), "MissingValue");
  EXPECT_FALSE(missing->has("Value"));

  const auto rec = phone->record();
  ASSERT_EQ(rec.requests.size(), 5u);
  EXPECT_EQ(rec.requests[1].request, "GetValue");
  EXPECT_EQ(rec.requests[1].key, "ProductType");
  EXPECT_FALSE(rec.requests[1].in_session);
  EXPECT_TRUE(rec.refused_requests.empty());
  EXPECT_TRUE(rec.errors.empty()) << rec.errors.front();
}

TEST_F(Phone, WholeDictionaryWithoutASession) {
  ASSERT_NO_FATAL_FAILURE(connected("iphone-normal"));
  // What `ideviceinfo -s` asks: GetValue with neither Key nor Domain.
  auto all = host->lockdown(request({{"Request", "GetValue"}}));
  ASSERT_TRUE(all);
  EXPECT_FALSE(all->has("Key"));
  plist_t v = all->get("Value");
  ASSERT_TRUE(v && plist_get_node_type(v) == PLIST_DICT);
  PlistNode dict(plist_copy(v));
  EXPECT_EQ(dict.str("ProductType"), "iPhone11,2");
  EXPECT_EQ(dict.str("UniqueDeviceID"), "00008020-001D2CD90128002E");
  EXPECT_EQ(dict.uint("UniqueChipID"), 8212084863533102u);
  EXPECT_EQ(dict.str("HardwareModel"), "D321AP");
  EXPECT_TRUE(dict.has("WiFiAddress"));
  EXPECT_FALSE(dict.has("SerialNumber"));
  EXPECT_FALSE(dict.has("InternationalMobileEquipmentIdentity"));
}

TEST_F(Phone, SessionValuesNeedASession) {
  ASSERT_NO_FATAL_FAILURE(connected("iphone-normal-paired"));
  auto serial = host->lockdown(request({{"Request", "GetValue"}, {"Key", "SerialNumber"}}));
  ASSERT_TRUE(serial);
  EXPECT_EQ(serial->str("Error"), "GetProhibited");
  EXPECT_FALSE(serial->has("Value"));
}

TEST_F(Phone, UnknownHostIdIsRefused) {
  ASSERT_NO_FATAL_FAILURE(connected("iphone-normal-paired"));
  auto answer = host->lockdown(request({{"Request", "StartSession"},
                                        {"HostID", "00000000-1111-2222-3333-444444444444"},
                                        {"SystemBUID", "55555555-6666-7777-8888-999999999999"}}));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->str("Request"), "StartSession");
  EXPECT_EQ(answer->str("Error"), "InvalidHostID");
  EXPECT_FALSE(answer->has("SessionID"));
  // Still plain lockdown afterwards.
  auto type = host->lockdown(request({{"Request", "QueryType"}}));
  ASSERT_TRUE(type);
  EXPECT_EQ(type->str("Type"), "com.apple.mobile.lockdown");
  const auto rec = phone->record();
  EXPECT_EQ(rec.sessions_started, 0u);
  ASSERT_EQ(rec.errors.size(), 1u);
  EXPECT_NE(rec.errors[0].find("00000000-1111-2222-3333-444444444444"), std::string::npos);
}

TEST_F(Phone, UnpairedPhoneKnowsNoHost) {
  ASSERT_NO_FATAL_FAILURE(connected("iphone-normal"));
  auto answer = host->lockdown(request(
      {{"Request", "StartSession"}, {"HostID", pairing("00008020-000A1B2C3D4E5F60").host_id}}));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->str("Error"), "InvalidHostID");
}

class PairedSession : public Phone, public ::testing::WithParamInterface<bool> {};

TEST_P(PairedSession, RevealsSerialAndImeiThenStops) {
  ASSERT_NO_FATAL_FAILURE(connected("iphone-normal-paired"));
  const PairRecord p = pairing("00008020-000A1B2C3D4E5F60");
  auto tls = start_session(p, /*host_certificate=*/GetParam());
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->version(), "TLSv1.2");

  auto serial =
      host->lockdown(request({{"Request", "GetValue"}, {"Key", "SerialNumber"}}), tls.get());
  ASSERT_TRUE(serial);
  EXPECT_EQ(value_string(*serial), "F2LXK0AB3KPF");
  auto imei = host->lockdown(
      request({{"Request", "GetValue"}, {"Key", "InternationalMobileEquipmentIdentity"}}),
      tls.get());
  ASSERT_TRUE(imei);
  EXPECT_EQ(value_string(*imei), "357201091234560");
  auto all = host->lockdown(request({{"Request", "GetValue"}}), tls.get());
  ASSERT_TRUE(all);
  PlistNode dict(plist_copy(all->get("Value")));
  EXPECT_EQ(dict.str("InternationalMobileEquipmentIdentity2"), "357201096543213");
  EXPECT_EQ(dict.str("MobileEquipmentIdentifier"), "35720109123456");
  EXPECT_EQ(dict.str("IntegratedCircuitCardIdentity"), "8944110068123456787");
  EXPECT_EQ(dict.str("ProductType"), "iPhone11,2");  // the unpaired values too

  // StopSession inside TLS, then close_notify (libimobiledevice's disable_ssl), then plain text.
  auto stop =
      host->lockdown(request({{"Request", "StopSession"}, {"SessionID", session_id}}), tls.get());
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->str("Request"), "StopSession");
  EXPECT_FALSE(stop->has("Error")) << stop->str("Error");
  tls->shutdown();
  ASSERT_EQ(host->send_stream(tls->output()), 0);
  auto after = host->lockdown(request({{"Request", "GetValue"}, {"Key", "SerialNumber"}}));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->str("Error"), "GetProhibited") << "the session is over";

  const auto rec = phone->record();
  EXPECT_EQ(rec.sessions_started, 1u);
  EXPECT_EQ(rec.tls_completed, 1u);
  EXPECT_EQ(rec.sessions_stopped, 1u);
  EXPECT_TRUE(rec.refused_requests.empty());
  EXPECT_TRUE(rec.errors.empty()) << rec.errors.front();
  ASSERT_GE(rec.requests.size(), 3u);
  EXPECT_TRUE(rec.requests[1].in_session);
  EXPECT_EQ(rec.requests[1].key, "SerialNumber");
}

INSTANTIATE_TEST_SUITE_P(RootOrHostCertificate, PairedSession, ::testing::Bool(),
                         [](const auto& info) {
                           return info.param ? "HostCertificate" : "RootCertificate";
                         });

TEST_F(Phone, HostWithoutThePairingsCertificateFailsTls) {
  ASSERT_NO_FATAL_FAILURE(connected("iphone-normal-paired"));
  // The right HostID, but the certificates of another pairing (another host's).
  const PairRecord right = pairing("00008020-000A1B2C3D4E5F60");
  PairRecord wrong = pairing("00008020-0011223344556677");
  wrong.host_id = right.host_id;
  auto answer = host->lockdown(request({{"Request", "StartSession"}, {"HostID", right.host_id}}));
  ASSERT_TRUE(answer);
  EXPECT_FALSE(answer->has("Error"));
  TlsClient tls(wrong, record_xml, false);
  EXPECT_FALSE(host->tls_handshake(tls));
  const auto rec = phone->record();
  EXPECT_EQ(rec.sessions_started, 1u);
  EXPECT_EQ(rec.tls_completed, 0u);
  bool tls_error = false;
  for (const auto& e : rec.errors) tls_error = tls_error || e.rfind("TLS: ", 0) == 0;
  EXPECT_TRUE(tls_error) << "the refused certificate is in the record";
  // The phone reset the connection: nothing more is answered on it.
  EXPECT_FALSE(host->lockdown(request({{"Request", "QueryType"}}), nullptr));
}

TEST_F(Phone, SimLockedSessionWithholdsTheImei) {
  ASSERT_NO_FATAL_FAILURE(connected("iphone-normal-simlocked"));
  auto tls = start_session(pairing("00008020-0011223344556677"));
  ASSERT_TRUE(tls);
  auto imei = host->lockdown(
      request({{"Request", "GetValue"}, {"Key", "InternationalMobileEquipmentIdentity"}}),
      tls.get());
  ASSERT_TRUE(imei);
  EXPECT_EQ(imei->str("Error"), "MissingValue");
  auto sim = host->lockdown(request({{"Request", "GetValue"}, {"Key", "SIMStatus"}}), tls.get());
  ASSERT_TRUE(sim);
  EXPECT_EQ(value_string(*sim), "kCTSIMSupportSIMStatusPINLocked");
  auto all = host->lockdown(request({{"Request", "GetValue"}}), tls.get());
  ASSERT_TRUE(all);
  PlistNode dict(plist_copy(all->get("Value")));
  EXPECT_FALSE(dict.has("InternationalMobileEquipmentIdentity"));
  EXPECT_FALSE(dict.has("InternationalMobileEquipmentIdentity2"));
  EXPECT_FALSE(dict.has("MobileEquipmentIdentifier"));
  EXPECT_EQ(dict.str("SerialNumber"), "F2LXK0AB3KPG");
}

TEST_F(Phone, WritingRequestsAreRefusedAndRecorded) {
  ASSERT_NO_FATAL_FAILURE(connected("iphone-normal"));
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"Pair", "PairingDialogResponsePending"},
      {"SetValue", "SetProhibited"},
      {"RemoveValue", "RemoveProhibited"},
      {"StartService", "InvalidService"},
      {"EnterRecovery", "UnsupportedRequest"}};
  for (const auto& [name, error] : refused) {
    auto answer = host->lockdown(request({{"Request", name}, {"Key", "UntrustedHostBUID"}}));
    ASSERT_TRUE(answer) << name;
    EXPECT_EQ(answer->str("Request"), name);
    EXPECT_EQ(answer->str("Error"), error) << name;
  }
  const auto rec = phone->record();
  EXPECT_EQ(rec.refused_requests, (std::vector<std::string>{"Pair", "SetValue", "RemoveValue",
                                                            "StartService", "EnterRecovery"}));
}

TEST_F(Phone, LargeAnswersSpanSeveralTransfers) {
  // A value larger than usbmuxd's 16 KiB reads: the packet arrives in several transfers.
  auto h = load_handset(catalogue / "iphone-normal.json");
  ASSERT_TRUE(h) << h.error();
  nlohmann::json params = h->behavior.params_of("usbmux");
  params["unpaired_values"]["DeviceName"] = std::string(40000, 'x');
  plug_phone("iphone-normal", params);
  ASSERT_NO_FATAL_FAILURE(select());
  ASSERT_TRUE(host->start());
  ASSERT_TRUE(host->connect());
  const std::size_t before = host->transfers();
  auto name = host->lockdown(request({{"Request", "GetValue"}, {"Key", "DeviceName"}}));
  ASSERT_TRUE(name);
  EXPECT_EQ(value_string(*name).size(), 40000u);
  EXPECT_GE(host->transfers() - before, 3u) << "16 KiB transfers for one 40 KiB packet";
}

TEST_F(Phone, SelectingTheConfigurationAgainStartsAfresh) {
  plug_phone("iphone-normal");
  ASSERT_NO_FATAL_FAILURE(select());
  ASSERT_TRUE(host->start());
  ASSERT_EQ(libusb_release_interface(handle, 1), 0);
  ASSERT_NO_FATAL_FAILURE(select());
  MuxHost fresh(handle, 0x85, 0x04);
  auto v = fresh.version();
  ASSERT_TRUE(v) << "a second VERSION is answered after SET_CONFIGURATION";
  EXPECT_EQ(v->length, 20u);
}

TEST(UsbmuxParams, APairRecordThePluginCannotUseIsRefused) {
  // The emulator reads pair records with the plugin's reader: a record without HostPrivateKey
  // (which the plugin needs for TLS) makes no phone, and the error names the file and the key.
  const auto file = catalogue / "iphone-normal-paired.json";
  auto h = load_handset(file);
  ASSERT_TRUE(h) << h.error();
  const std::string xml = slurp(catalogue / "pair-records" / "00008020-000A1B2C3D4E5F60.plist");
  plist_t record = nullptr;
  plist_from_xml(xml.data(), static_cast<std::uint32_t>(xml.size()), &record);
  ASSERT_NE(record, nullptr);
  plist_dict_remove_item(record, "HostPrivateKey");
  char* out = nullptr;
  std::uint32_t length = 0;
  plist_to_xml(record, &out, &length);
  plist_free(record);
  const char* tmp = std::getenv("TMPDIR");
  const auto broken = std::filesystem::path(tmp ? tmp : "/tmp") / "no-host-key.plist";
  std::ofstream(broken, std::ios::binary).write(out, length);
  std::free(out);

  nlohmann::json params = h->behavior.params_of("usbmux");
  params["pair_record"] = broken.string();
  auto made = make_usbmux_emulator({h->usb, params, file.string()});
  ASSERT_FALSE(made);
  EXPECT_NE(made.error().find(broken.string() + ": pair record: no HostPrivateKey"),
            std::string::npos)
      << made.error();
  std::filesystem::remove(broken);
}

}  // namespace
}  // namespace dfx::testing::test
