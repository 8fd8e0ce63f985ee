// The emulated MTP responder through libusb, as a PTP host sees it: GetDeviceInfo outside a
// session, the session operations libmtp uses, PTP errors for the rest, the record of every
// operation; and each hostile handset of tests/handsets misbehaving as its description says.
#include <dfx/testing/libusb_test.hpp>

#include "container.hpp"
#include "device_info.hpp"
#include "emulator.hpp"

namespace dfx::testing::test {
namespace {

namespace fs = std::filesystem;
using namespace dfx::mtp;

const fs::path kSamples = MTP_HANDSETS_DIR;
const fs::path kHostile = MTP_TEST_HANDSETS_DIR;

class MtpEmulatorTest : public KitTest {
 protected:
  void plug_handset_file(const fs::path& file) {
    auto h = load_handset(file);
    ASSERT_TRUE(h) << h.error();
    spec = h->usb;
    auto made = make_mtp_emulator({spec, h->behavior.params, h->id});
    ASSERT_TRUE(made) << made.error();
    mtp = made->get();
    ASSERT_TRUE(plug(spec, std::move(*made)));
    handle = open(spec);
    ASSERT_NE(handle, nullptr);
    ASSERT_EQ(libusb_claim_interface(handle, 0), 0);
  }
  int send(uint16_t code, uint32_t tid, std::vector<uint32_t> params = {}) {
    auto c = encode_command(code, tid, params);
    int done = 0;
    return libusb_bulk_transfer(handle, 0x01, c.data(), static_cast<int>(c.size()), &done, 1000);
  }
  /// One bulk IN transfer of up to `size` bytes; empty with `error` set on failure.
  std::vector<uint8_t> read(int size = 16384, unsigned timeout_ms = 1000) {
    std::vector<uint8_t> buf(static_cast<std::size_t>(size));
    int got = 0;
    error = libusb_bulk_transfer(handle, 0x81, buf.data(), size, &got, timeout_ms);
    buf.resize(error == 0 ? static_cast<std::size_t>(got) : 0);
    return buf;
  }
  Container read_container() {
    auto c = decode_container(read());
    EXPECT_TRUE(c) << (c ? "" : c.error().message);
    return c ? *c : Container{};
  }

  UsbDeviceSpec spec;
  MtpEmulator* mtp = nullptr;
  libusb_device_handle* handle = nullptr;
  int error = 0;
};

TEST_F(MtpEmulatorTest, GetDeviceInfoOutsideASessionAnswersTheHandsetsIdentity) {
  plug_handset_file(kSamples / "samsung-galaxy-mtp.json");
  ASSERT_EQ(send(op::get_device_info, 0), 0);
  const auto data = read_container();
  EXPECT_EQ(data.header.type, 2);
  EXPECT_EQ(data.header.code, 0x1001);
  EXPECT_EQ(data.header.transaction_id, 0u);
  auto info = parse_device_info(data.payload);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->manufacturer, "samsung");
  EXPECT_EQ(info->model, "SM-G991B");
  EXPECT_EQ(info->device_version, "1.0");
  EXPECT_EQ(info->serial_number, "R58N90DFX01");
  EXPECT_EQ(info->vendor_extension_desc, "microsoft.com: 1.0; android.com: 1.0;");
  const auto resp = read_container();
  EXPECT_EQ(resp.header.type, 3);
  EXPECT_EQ(resp.header.code, rc::ok);
  EXPECT_EQ(mtp->record().operations, std::vector<uint16_t>{0x1001});
  EXPECT_EQ(mtp->record().transaction_ids, std::vector<uint32_t>{0});
}

TEST_F(MtpEmulatorTest, TheVendorClassInterfaceOfTheOldSamsungWorksTheSame) {
  plug_handset_file(kSamples / "samsung-galaxy-s3-imei-serial.json");
  ASSERT_EQ(send(op::get_device_info, 0), 0);
  auto info = parse_device_info(read_container().payload);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->model, "GT-I9300");
  EXPECT_EQ(info->serial_number, "351941062718283");
  EXPECT_EQ(read_container().header.code, rc::ok);
}

TEST_F(MtpEmulatorTest, DataInSmallReadsKeepsTheRestQueued) {
  plug_handset_file(kSamples / "xiaomi-redmi-mtp.json");
  ASSERT_EQ(send(op::get_device_info, 0), 0);
  // libmtp reads the first 512 bytes, then the rest: the emulator keeps what was not read.
  std::vector<uint8_t> all = read(512);
  ASSERT_EQ(error, 0);
  auto header = decode_header(all);
  ASSERT_TRUE(header);
  while (all.size() < header->length) {
    auto more = read(512);
    ASSERT_EQ(error, 0);
    ASSERT_FALSE(more.empty());
    all.insert(all.end(), more.begin(), more.end());
  }
  auto c = decode_container(all);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(parse_device_info(c->payload));
}

TEST_F(MtpEmulatorTest, SessionOperationsForLibmtpAndErrorsForTheRest) {
  plug_handset_file(kSamples / "xiaomi-redmi-mtp.json");
  ASSERT_EQ(send(op::get_storage_ids, 1), 0);
  EXPECT_EQ(read_container().header.code, rc::session_not_open);
  ASSERT_EQ(send(0x1007, 2), 0);  // GetObjectHandles
  EXPECT_EQ(read_container().header.code, rc::session_not_open);
  ASSERT_EQ(send(op::open_session, 0, {1}), 0);
  EXPECT_EQ(read_container().header.code, rc::ok);
  ASSERT_EQ(send(op::open_session, 0, {1}), 0);
  EXPECT_EQ(read_container().header.code, rc::session_already_open);
  ASSERT_EQ(send(op::get_storage_ids, 1), 0);
  const auto ids = read_container();
  EXPECT_EQ(ids.header.type, 2);
  EXPECT_EQ(ids.payload, (std::vector<uint8_t>{0, 0, 0, 0})) << "no storage: a locked phone";
  EXPECT_EQ(read_container().header.code, rc::ok);
  ASSERT_EQ(send(op::get_device_prop_desc, 2, {0x5001}), 0);
  EXPECT_EQ(read_container().header.code, 0x200A);
  ASSERT_EQ(send(0x100B, 3, {1}), 0);  // DeleteObject: never done
  EXPECT_EQ(read_container().header.code, rc::operation_not_supported);
  ASSERT_EQ(send(op::close_session, 4), 0);
  EXPECT_EQ(read_container().header.code, rc::ok);
  const auto rec = mtp->record();
  EXPECT_EQ(rec.operations, (std::vector<uint16_t>{0x1004, 0x1007, 0x1002, 0x1002, 0x1004, 0x1014,
                                                   0x100B, 0x1003}));
  EXPECT_EQ(rec.sessions_opened, 1u);
}

TEST_F(MtpEmulatorTest, PtpClassRequestsAreAnsweredAndRecorded) {
  plug_handset_file(kSamples / "xiaomi-redmi-mtp.json");
  unsigned char status[4] = {};
  ASSERT_EQ(libusb_control_transfer(handle, 0xA1, 0x67, 0, 0, status, 4, 1000), 4);
  EXPECT_EQ(status[2], 0x01);
  EXPECT_EQ(status[3], 0x20);
  EXPECT_EQ(mtp->record().control_requests, std::vector<uint16_t>{0xA167});
}

TEST_F(MtpEmulatorTest, HostileEndlessAnnouncesFourGigabytesAndKeepsStreaming) {
  plug_handset_file(kHostile / "mtp-endless.json");
  ASSERT_EQ(send(op::get_device_info, 0), 0);
  auto first = read(512);
  ASSERT_EQ(error, 0);
  auto h = decode_header(first);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->type, 2);
  EXPECT_EQ(h->length, 0xFFFFFFF0u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(read().empty()) << "transfer " << i;
    ASSERT_EQ(error, 0);
  }
}

TEST_F(MtpEmulatorTest, HostileGarbageIsNoContainer) {
  plug_handset_file(kHostile / "mtp-garbage.json");
  ASSERT_EQ(send(op::get_device_info, 0), 0);
  for (int i = 0; i < 5; ++i) {
    auto bytes = read();
    ASSERT_EQ(error, 0);
    EXPECT_FALSE(decode_container(bytes)) << "transfer " << i;
  }
}

TEST_F(MtpEmulatorTest, HostileBadDatasetsAreWellFramedButUnparseable) {
  for (const auto* name : {"mtp-bad-dataset-string.json", "mtp-bad-dataset-array.json"}) {
    SCOPED_TRACE(name);
    TearDown();
    SetUp();
    plug_handset_file(kHostile / name);
    ASSERT_EQ(send(op::get_device_info, 0), 0);
    const auto data = read_container();
    EXPECT_EQ(data.header.type, 2);
    EXPECT_FALSE(parse_device_info(data.payload));
    EXPECT_EQ(read_container().header.code, rc::ok);
  }
}

TEST_F(MtpEmulatorTest, HostileSilentNeverAnswers) {
  plug_handset_file(kHostile / "mtp-silent.json");
  ASSERT_EQ(send(op::get_device_info, 0), 0);
  read(16384, 300);
  EXPECT_EQ(error, LIBUSB_ERROR_TIMEOUT);
  EXPECT_EQ(mtp->record().operations, std::vector<uint16_t>{0x1001});
}

TEST_F(MtpEmulatorTest, HostileWrongTransactionIdAndErrorResponse) {
  plug_handset_file(kHostile / "mtp-wrong-transaction-id.json");
  ASSERT_EQ(send(op::get_device_info, 0), 0);
  EXPECT_EQ(read_container().header.transaction_id, 0u);
  EXPECT_EQ(read_container().header.transaction_id, 1u);
  TearDown();
  SetUp();
  plug_handset_file(kHostile / "mtp-error-response.json");
  ASSERT_EQ(send(op::get_device_info, 0), 0);
  const auto r = read_container();
  EXPECT_EQ(r.header.type, 3);
  EXPECT_EQ(r.header.code, 0x2019);
}

TEST(MtpEmulatorParams, BadParametersAreNamed) {
  auto h = load_handset(kSamples / "xiaomi-redmi-mtp.json");
  ASSERT_TRUE(h) << h.error();
  auto bad = h->behavior.params;
  bad["hostile"] = "loud";
  auto r = make_mtp_emulator({h->usb, bad, "x"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("/behavior/params/hostile"), std::string::npos) << r.error();
  auto typo = h->behavior.params;
  typo["serial"] = "1";
  EXPECT_FALSE(make_mtp_emulator({h->usb, typo, "x"}));
  auto stray = h->behavior.params;
  stray["bad_field"] = "huge_array";
  EXPECT_FALSE(make_mtp_emulator({h->usb, stray, "x"})) << "bad_field needs bad_dataset";
  auto ok_code = h->behavior.params;
  ok_code["hostile"] = "error_response";
  ok_code["response_code"] = "0x2001";
  EXPECT_FALSE(make_mtp_emulator({h->usb, ok_code, "x"}));
  auto long_model = h->behavior.params;
  long_model["model"] = std::string(300, 'x');
  EXPECT_FALSE(make_mtp_emulator({h->usb, long_model, "x"}));
}

}  // namespace
}  // namespace dfx::testing::test
