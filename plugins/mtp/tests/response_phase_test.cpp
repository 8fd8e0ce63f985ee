// The response phase of GetDeviceInfo: data over several transfers, zero-length packets, the
// bound on the data phase, wrong transaction ids and codes, non-OK responses; and
// read_device_info over a scripted transport (what is sent, timeouts, should_stop).
#include <gtest/gtest.h>

#include <deque>

#include "container.hpp"
#include "dataset_builder.hpp"
#include "device_info_reader.hpp"
#include "response_phase.hpp"

namespace dfx::mtp {
namespace {

using test::Bytes;
using test::device_info_bytes;

std::vector<uint8_t> dataset() {
  return device_info_bytes("Google", "Pixel 7", "1.0", "2B17");
}

TEST(ResponsePhase, DataThenOkResponse) {
  ResponsePhase p(op::get_device_info, 0);
  auto d = p.feed(encode_data(0x1001, 0, dataset()));
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_FALSE(*d);
  EXPECT_TRUE(p.data_complete());
  auto r = p.feed(encode_response(rc::ok, 0));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(*r);
  EXPECT_EQ(p.data(), dataset());
}

TEST(ResponsePhase, DataSplitAcrossTransfersWithAZeroLengthPacket) {
  auto all = encode_data(0x1001, 0, dataset());
  const auto resp = encode_response(rc::ok, 0);
  ResponsePhase p(op::get_device_info, 0);
  // Byte by byte, including a split header, then a ZLP, then the response in two pieces.
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto r = p.feed(std::span(all).subspan(i, 1));
    ASSERT_TRUE(r) << i << ": " << r.error().message;
    ASSERT_FALSE(*r);
  }
  ASSERT_TRUE(p.feed({}));
  ASSERT_FALSE(*p.feed(std::span(resp).first(5)));
  auto done = p.feed(std::span(resp).subspan(5));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_TRUE(*done);
  EXPECT_EQ(p.data(), dataset());
}

TEST(ResponsePhase, DataAndResponseInOneTransfer) {
  auto both = encode_data(0x1001, 0, dataset());
  const auto resp = encode_response(rc::ok, 0);
  both.insert(both.end(), resp.begin(), resp.end());
  ResponsePhase p(op::get_device_info, 0);
  auto r = p.feed(both);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(*r);
}

Error error_of(ResponsePhase& p, std::initializer_list<std::vector<uint8_t>> transfers) {
  for (const auto& t : transfers) {
    auto r = p.feed(t);
    if (!r) return r.error();
    if (*r) return Error{Errc::io, "<completed>"};
  }
  return Error{Errc::io, "<needs more>"};
}

TEST(ResponsePhase, ADataPhaseAboveTheBoundIsRefusedAtItsHeader) {
  ResponsePhase p(op::get_device_info, 0, 1024);
  auto header = Bytes{}.u32(12 + 1025).u16(2).u16(0x1001).u32(0).b;
  const auto e = error_of(p, {header});
  EXPECT_EQ(e.code, Errc::too_large) << e.message;
  EXPECT_NE(e.message.find("announces 1025 bytes, the limit is 1024"), std::string::npos)
      << e.message;
  ResponsePhase huge(op::get_device_info, 0);
  const auto h = error_of(huge, {Bytes{}.u32(0xFFFFFFF0u).u16(2).u16(0x1001).u32(0).b});
  EXPECT_EQ(h.code, Errc::too_large) << h.message;
}

TEST(ResponsePhase, NonOkResponsesNameTheCode) {
  ResponsePhase p(op::get_device_info, 0);
  const auto e = error_of(p, {encode_response(rc::session_not_open, 0)});
  EXPECT_EQ(e.code, Errc::device_error);
  EXPECT_EQ(e.message, "the device answered GetDeviceInfo (0x1001) with SessionNotOpen (0x2003)");
  ResponsePhase busy(op::get_device_info, 0);
  const auto b = error_of(busy, {encode_data(0x1001, 0, dataset()), encode_response(0x2019, 0)});
  EXPECT_EQ(b.code, Errc::device_error);
  EXPECT_NE(b.message.find("DeviceBusy (0x2019)"), std::string::npos);
}

TEST(ResponsePhase, WrongTransactionIdsAndCodesAreUnexpected) {
  ResponsePhase data_tid(op::get_device_info, 0);
  EXPECT_EQ(error_of(data_tid, {encode_data(0x1001, 5, dataset())}).code, Errc::unexpected);
  ResponsePhase data_code(op::get_device_info, 0);
  EXPECT_EQ(error_of(data_code, {encode_data(0x1004, 0, dataset())}).code, Errc::unexpected);
  ResponsePhase resp_tid(op::get_device_info, 0);
  const auto e =
      error_of(resp_tid, {encode_data(0x1001, 0, dataset()), encode_response(rc::ok, 1)});
  EXPECT_EQ(e.code, Errc::unexpected);
  EXPECT_NE(e.message.find("carries transaction id 1"), std::string::npos) << e.message;
}

TEST(ResponsePhase, OkWithoutDataEventsGarbageAndExtraBytesAreErrors) {
  ResponsePhase no_data(op::get_device_info, 0);
  EXPECT_EQ(error_of(no_data, {encode_response(rc::ok, 0)}).code, Errc::unexpected);
  ResponsePhase event(op::get_device_info, 0);
  EXPECT_EQ(error_of(event, {Bytes{}.u32(12).u16(4).u16(0x4002).u32(0).b}).code, Errc::unexpected);
  ResponsePhase garbage(op::get_device_info, 0);
  EXPECT_EQ(error_of(garbage, {std::vector<uint8_t>(64, 0xA5)}).code, Errc::malformed);
  ResponsePhase twice(op::get_device_info, 0);
  EXPECT_EQ(error_of(twice, {encode_data(0x1001, 0, dataset()), encode_data(0x1001, 0, {})}).code,
            Errc::unexpected);
  ResponsePhase extra(op::get_device_info, 0);
  auto resp = encode_response(rc::ok, 0);
  resp.push_back(0);
  EXPECT_EQ(error_of(extra, {encode_data(0x1001, 0, dataset()), resp}).code, Errc::unexpected);
  ResponsePhase big(op::get_device_info, 0);
  EXPECT_EQ(error_of(big, {Bytes{}.u32(40).u16(3).u16(0x2001).u32(0).b}).code, Errc::malformed);
  ResponsePhase zlps(op::get_device_info, 0);
  EXPECT_EQ(error_of(zlps, {{}, {}, {}, {}, {}}).code, Errc::unexpected);
}

/// A scripted device: records what is written, answers reads from a queue.
class FakeTransport final : public Transport {
 public:
  std::vector<std::vector<uint8_t>> written;
  std::deque<Result<std::vector<uint8_t>>> answers;
  std::size_t reads = 0;
  bool stop_after_first_read = false;
  Status write(std::span<const uint8_t> data, std::chrono::milliseconds) override {
    written.emplace_back(data.begin(), data.end());
    return {};
  }
  Result<std::vector<uint8_t>> read(std::size_t, std::chrono::milliseconds) override {
    ++reads;
    if (answers.empty()) return fail(Errc::timeout, "bulk IN timed out");
    auto a = std::move(answers.front());
    answers.pop_front();
    return a;
  }
  bool should_stop() const override { return stop_after_first_read && reads > 0; }
};

TEST(ReadDeviceInfo, SendsOnlyGetDeviceInfoAndParsesTheAnswer) {
  FakeTransport t;
  t.answers.emplace_back(encode_data(0x1001, 0, dataset()));
  t.answers.emplace_back(encode_response(rc::ok, 0));
  auto r = read_device_info(t);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->info.model, "Pixel 7");
  EXPECT_EQ(r->dataset, dataset());
  EXPECT_EQ(r->in_transfers, 2u);
  ASSERT_EQ(t.written.size(), 1u);
  EXPECT_EQ(t.written[0], get_device_info_command());
}

TEST(ReadDeviceInfo, TransportErrorsSayWhatWasAwaited) {
  FakeTransport t;
  auto r = read_device_info(t);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::timeout);
  EXPECT_EQ(r.error().message, "waiting for the data phase of GetDeviceInfo: bulk IN timed out");
  FakeTransport half;
  half.answers.emplace_back(encode_data(0x1001, 0, dataset()));
  auto h = read_device_info(half);
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().message, "waiting for the response of GetDeviceInfo: bulk IN timed out");
}

TEST(ReadDeviceInfo, ABadDatasetIsAnErrorNamingTheField) {
  FakeTransport t;
  auto bad = test::device_info_head();
  bad.u8(200);
  t.answers.emplace_back(encode_data(0x1001, 0, bad.b));
  t.answers.emplace_back(encode_response(rc::ok, 0));
  auto r = read_device_info(t);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::truncated);
  EXPECT_EQ(r.error().message.rfind("DeviceInfo dataset: Manufacturer at offset", 0), 0u)
      << r.error().message;
}

TEST(ReadDeviceInfo, StopsWhenTheHostSaysSo) {
  FakeTransport t;
  t.stop_after_first_read = true;
  t.answers.emplace_back(std::vector<uint8_t>{});
  t.answers.emplace_back(encode_data(0x1001, 0, dataset()));
  auto r = read_device_info(t);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::cancelled);
  EXPECT_EQ(t.reads, 1u);
}

TEST(ReadDeviceInfo, AStreamOfZeroLengthPacketsEnds) {
  FakeTransport t;
  for (int i = 0; i < 100; ++i) t.answers.emplace_back(std::vector<uint8_t>{});
  auto r = read_device_info(t);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unexpected);
  EXPECT_LE(t.reads, 5u);
}

}  // namespace
}  // namespace dfx::mtp
