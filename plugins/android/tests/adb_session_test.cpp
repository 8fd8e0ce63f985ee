// The ADB client against a scripted phone: authentication, banner states, streams, and hostile
// peers, each ending in a clear error within a bounded time.
#include "adb_session.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "fake_peer.hpp"
#include "key_store.hpp"

namespace dfx::android {
namespace {

using namespace std::chrono_literals;
using testing::FakePhone;
using testing::Hostile;
using testing::PhoneScript;
using testing::shared_test_key;

KeyRing ring_of(std::initializer_list<int> which) {
  KeyRing ring;
  ring.user_host = "tech@bench";
  for (int w : which) ring.add(shared_test_key(w));
  return ring;
}

PhoneScript trusting(int which) {
  PhoneScript s;
  s.authorized.push_back(*shared_test_key(which).android_public_key());
  s.services["shell:getprop ro.serialno"] = "R5CT12345AB\n";
  s.services["shell:getprop ro.product.model"] = "Pixel 7\n";
  return s;
}

adb::SessionLimits fast() {
  adb::SessionLimits l;
  l.io_timeout = 50ms;
  l.connect_timeout = 500ms;
  l.unauthorized_grace = 50ms;
  l.stream_timeout = 500ms;
  return l;
}

// Everything a hostile peer does must end within this.
constexpr auto kBound = 3s;

struct Timer {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  [[nodiscard]] auto elapsed() const { return std::chrono::steady_clock::now() - start; }
};

TEST(AdbSession, AuthenticatesWithAKeyThePhoneTrusts) {
  FakePhone phone(trusting(0));
  auto keys = ring_of({0});
  adb::Session session(phone, keys, fast());
  auto c = session.connect();
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->authorized);
  EXPECT_TRUE(c->auth_required);
  EXPECT_EQ(c->signatures_sent, 1u);
  EXPECT_FALSE(c->public_key_offered);
  EXPECT_EQ(phone.good_signatures, 1);
  EXPECT_EQ(c->banner.state, adb::DeviceState::device);
  EXPECT_EQ(c->banner.property("ro.product.model"), "Pixel 7");
  // Our CNXN: version and maxdata as announced.
  ASSERT_FALSE(phone.received.empty());
  EXPECT_EQ(phone.received[0].header.command, adb::kCnxn);
  EXPECT_EQ(phone.received[0].header.arg0, adb::kVersionSkipChecksum);
  EXPECT_EQ(phone.received[0].header.arg1, 256u * 1024);
}

TEST(AdbSession, TriesEachKeyInTurn) {
  FakePhone phone(trusting(1));
  auto keys = ring_of({0, 1});
  adb::Session session(phone, keys, fast());
  auto c = session.connect();
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->authorized);
  EXPECT_EQ(c->signatures_sent, 2u);
  EXPECT_EQ(phone.bad_signatures, 1);
  EXPECT_EQ(phone.good_signatures, 1);
}

TEST(AdbSession, RefusedKeysEndUnauthorizedQuicklyAfterOfferingThePublicKey) {
  FakePhone phone(trusting(1));
  auto keys = ring_of({0});
  adb::SessionLimits limits = fast();
  limits.unauthorized_grace = 200ms;
  adb::Session session(phone, keys, limits);
  Timer t;
  auto c = session.connect();
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_FALSE(c->authorized);
  EXPECT_TRUE(c->public_key_offered);
  EXPECT_LT(t.elapsed(), 1s);
  // The offered key is our public key line, which the phone can decode and trust.
  EXPECT_EQ(phone.offered_key, *keys.public_key());
  EXPECT_TRUE(phone.offered_key.ends_with(" tech@bench"));
  EXPECT_FALSE(session.connected());
  EXPECT_EQ(session.shell("shell:getprop ro.serialno").error().code, Errc::unexpected);
}

TEST(AdbSession, DefaultLimitsReportUnauthorizedWithinAFewSeconds) {
  FakePhone phone(trusting(1));
  auto keys = ring_of({0});
  adb::Session session(phone, keys);  // production limits
  Timer t;
  auto c = session.connect();
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->authorized);
  EXPECT_LT(t.elapsed(), 3s);
}

TEST(AdbSession, UserAcceptingTheOfferedKeyConnects) {
  PhoneScript s = trusting(1);
  s.user_accepts_offered_key = true;
  FakePhone phone(s);
  auto keys = ring_of({0});
  adb::Session session(phone, keys, fast());
  auto c = session.connect();
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->authorized);
  EXPECT_TRUE(c->public_key_offered);
}

TEST(AdbSession, NoKeysAtAllIsUnauthorizedWithoutOffer) {
  FakePhone phone(trusting(0));
  KeyRing empty;
  adb::Session session(phone, empty, fast());
  auto c = session.connect();
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->authorized);
  EXPECT_FALSE(c->public_key_offered);
}

TEST(AdbSession, PhoneWithoutAuthConnectsDirectly) {
  PhoneScript s = trusting(0);
  s.auth_required = false;
  FakePhone phone(s);
  KeyRing empty;
  adb::Session session(phone, empty, fast());
  auto c = session.connect();
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->authorized);
  EXPECT_FALSE(c->auth_required);
}

TEST(AdbSession, BannerStates) {
  for (const char* state : {"device", "recovery", "sideload", "rescue", "bootloader"}) {
    PhoneScript s = trusting(0);
    s.banner = std::string(state) + "::ro.product.model=X;features=cmd";
    FakePhone phone(s);
    auto keys = ring_of({0});
    adb::Session session(phone, keys, fast());
    auto c = session.connect();
    ASSERT_TRUE(c) << state;
    EXPECT_EQ(c->banner.state_text, state);
  }
}

TEST(AdbSession, ChecksummedPeersAreVerified) {
  PhoneScript s = trusting(0);
  s.zero_checksum = false;
  s.version = adb::kVersionMin;
  FakePhone phone(s);
  auto keys = ring_of({0});
  adb::Session session(phone, keys, fast());
  ASSERT_TRUE(session.connect());
  EXPECT_EQ(*session.shell("shell:getprop ro.serialno"), "R5CT12345AB\n");
}

TEST(AdbSession, ReadsAStreamAcrossSeveralWrites) {
  PhoneScript s = trusting(0);
  s.services["shell:getprop ro.build.fingerprint"] =
      "google/panther/panther:14/UQ1A.240105.004/11206848:user/release-keys\n";
  s.write_chunk = 7;
  FakePhone phone(s);
  auto keys = ring_of({0});
  adb::Session session(phone, keys, fast());
  ASSERT_TRUE(session.connect());
  auto out = session.shell("shell:getprop ro.build.fingerprint");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(*out, s.services["shell:getprop ro.build.fingerprint"]);
  // Each WRTE was acknowledged with OKAY(local, remote).
  int okays = 0;
  for (const auto& m : phone.received) okays += m.header.command == adb::kOkay;
  EXPECT_EQ(okays, 10);  // 69 bytes in chunks of 7
  // Several streams in a row, each with a new local id.
  EXPECT_EQ(*session.shell("shell:getprop ro.serialno"), "R5CT12345AB\n");
  EXPECT_EQ(*session.shell("shell:getprop ro.product.model"), "Pixel 7\n");
}

TEST(AdbSession, RefusedOpenIsAnErrorAndTheSessionGoesOn) {
  FakePhone phone(trusting(0));
  auto keys = ring_of({0});
  adb::Session session(phone, keys, fast());
  ASSERT_TRUE(session.connect());
  auto r = session.shell("shell:getprop ro.product.brand");  // not in the phone's table
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::refused);
  EXPECT_TRUE(session.connected());
  EXPECT_TRUE(session.shell("shell:getprop ro.serialno"));
}

TEST(AdbSession, RespectsThePeersMaxPayload) {
  PhoneScript s = trusting(0);
  s.max_payload = 256;
  FakePhone phone(s);
  auto keys = ring_of({0});
  adb::Session session(phone, keys, fast());
  ASSERT_TRUE(session.connect());
  EXPECT_TRUE(session.shell("shell:getprop ro.serialno"));  // 26 bytes: fits
  PhoneScript tiny = trusting(0);
  tiny.max_payload = 16;
  FakePhone phone2(tiny);
  adb::Session session2(phone2, keys, fast());
  auto c = session2.connect();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Errc::malformed);
}

// --- hostile peers ----------------------------------------------------------------------------

struct HostileCase {
  Hostile hostile;
  bool in_stream;
  Errc expected;
  const char* words;  // expected in the message
};

class AdbHostile : public ::testing::TestWithParam<HostileCase> {};

std::string hostile_name(const ::testing::TestParamInfo<HostileCase>& info) {
  static const char* names[] = {"none",       "BadMagic",    "BadChecksum",
                                "HugeLength", "EndlessWrte", "Disconnect",
                                "HugeBanner", "Garbage",     "Silent"};
  return std::string(names[static_cast<int>(info.param.hostile)]) +
         (info.param.in_stream ? "InStream" : "AtConnect");
}

TEST_P(AdbHostile, EndsInAClearErrorWithinBoundedTime) {
  const auto& p = GetParam();
  PhoneScript s = trusting(0);
  s.hostile = p.hostile;
  s.hostile_in_stream = p.in_stream;
  s.services["shell:getprop ro.serialno"] = std::string(3000, '7');
  FakePhone phone(s);
  auto keys = ring_of({0});
  adb::Session session(phone, keys, fast());
  Timer t;
  Error err{Errc::io, ""};
  auto c = session.connect();
  if (!c) {
    err = c.error();
  } else {
    ASSERT_TRUE(c->authorized);
    auto out = session.shell("shell:getprop ro.serialno");
    ASSERT_FALSE(out) << "hostile peer accepted";
    err = out.error();
  }
  EXPECT_LT(t.elapsed(), kBound);
  EXPECT_EQ(err.code, p.expected) << to_string(err.code) << ": " << err.message;
  EXPECT_NE(err.message.find(p.words), std::string::npos) << err.message;
  EXPECT_LT(phone.reads, 10000u);
  // After a framing error the session refuses further work at once.
  if (c && p.expected != Errc::too_large) {
    EXPECT_FALSE(session.shell("shell:getprop ro.product.model"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Peers, AdbHostile,
    ::testing::Values(
        HostileCase{Hostile::bad_magic, false, Errc::bad_magic, "bad magic"},
        HostileCase{Hostile::bad_magic, true, Errc::bad_magic, "bad magic"},
        HostileCase{Hostile::bad_checksum, false, Errc::checksum_mismatch, "checksum mismatch"},
        HostileCase{Hostile::bad_checksum, true, Errc::checksum_mismatch, "checksum mismatch"},
        HostileCase{Hostile::huge_length, false, Errc::too_large, "beyond limit"},
        HostileCase{Hostile::huge_length, true, Errc::too_large, "beyond limit"},
        HostileCase{Hostile::endless_wrte, true, Errc::too_large, "beyond 65536 bytes"},
        HostileCase{Hostile::disconnect, true, Errc::disconnected, "gone"},
        HostileCase{Hostile::disconnect, false, Errc::disconnected, "gone"},
        HostileCase{Hostile::huge_banner, false, Errc::too_large, "data_length 1048584"},
        HostileCase{Hostile::garbage, false, Errc::bad_magic, "bad magic"},
        HostileCase{Hostile::silent, false, Errc::timeout, "no CNXN or AUTH"}),
    hostile_name);

TEST(AdbSession, StopRequestCancels) {
  class Stopping : public Transport {
   public:
    Status write(std::span<const uint8_t>, std::chrono::milliseconds) override { return {}; }
    Result<std::vector<uint8_t>> read(std::size_t, std::chrono::milliseconds) override {
      return fail(Errc::timeout, "t");
    }
    bool should_stop() const override { return true; }
  } t;
  KeyRing empty;
  adb::Session session(t, empty, fast());
  EXPECT_EQ(session.connect().error().code, Errc::cancelled);
}

}  // namespace
}  // namespace dfx::android
