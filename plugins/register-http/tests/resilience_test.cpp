// The rules for a service that is slow, down or busy, with time passed in: the breaker's states,
// the rate limit, the backoff's bounds, Retry-After, the cache's lifetimes and the secret's file.
#include "resilience.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "answer_cache.hpp"
#include "secret.hpp"

namespace dfx::register_http {
namespace {

using namespace std::chrono_literals;

TEST(CircuitBreaker, OpensAfterFailuresInARowAndProbesOnceLater) {
  CircuitBreaker b({3, 1000ms});
  const auto t0 = Clock::time_point{} + 1h;
  b.failed(t0);
  b.failed(t0);
  b.succeeded();  // an answer in between resets the count
  b.failed(t0);
  b.failed(t0);
  EXPECT_TRUE(b.allow(t0));
  b.failed(t0);
  EXPECT_TRUE(b.open(t0));
  EXPECT_FALSE(b.allow(t0 + 999ms));
  EXPECT_NE(b.why(t0 + 400ms).find("600 ms more"), std::string::npos) << b.why(t0 + 400ms);
  EXPECT_TRUE(b.allow(t0 + 1000ms)) << "half-open: one probe";
  EXPECT_FALSE(b.allow(t0 + 1000ms)) << "and only one";
  b.failed(t0 + 1100ms);
  EXPECT_TRUE(b.open(t0 + 1100ms)) << "a failed probe opens it again at once";
  EXPECT_TRUE(b.allow(t0 + 2100ms));
  b.succeeded();
  EXPECT_TRUE(b.allow(t0 + 2100ms));
  EXPECT_TRUE(b.allow(t0 + 2100ms)) << "closed again: everything goes";
}

TEST(RateLimiter, SpendsTheBurstThenPaces) {
  RateLimiter r(10, 2);
  const auto t0 = Clock::time_point{} + 1h;
  Clock::time_point next{};
  EXPECT_TRUE(r.take(t0, next));
  EXPECT_TRUE(r.take(t0, next));
  EXPECT_FALSE(r.take(t0, next));
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(next - t0), 100ms);
  EXPECT_TRUE(r.take(t0 + 100ms, next));
  RateLimiter unlimited(0, 1);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(unlimited.take(t0, next));
}

TEST(Backoff, GrowsWithJitterWithinItsCap) {
  Limits l;
  l.backoff = 100ms;
  l.backoff_max = 1000ms;
  std::mt19937_64 random(42);
  for (int i = 0; i < 200; ++i) {
    const auto first = backoff(l, 1, random);
    EXPECT_GE(first, 50ms);
    EXPECT_LE(first, 100ms);
    const auto third = backoff(l, 3, random);
    EXPECT_GE(third, 200ms);
    EXPECT_LE(third, 400ms);
    const auto late = backoff(l, 10, random);
    EXPECT_GE(late, 500ms);
    EXPECT_LE(late, 1000ms);
  }
}

TEST(RetryAfter, SecondsOrAnHttpDate) {
  EXPECT_EQ(parse_retry_after(" 3\r", 0), 3s);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111767), 10s);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111787), 0s) << "past: now";
  EXPECT_FALSE(parse_retry_after("soon", 0));
  EXPECT_FALSE(parse_retry_after("", 0));
  EXPECT_GT(*parse_retry_after("99999999999999999999", 0), 1000000s) << "huge, not wrapped";
}

TEST(AnswerCache, HitsAndMissesKeepForTheirOwnLifetimesAndErrorsNever) {
  Cache config;
  config.enabled = true;
  config.hit_lifetime = 3600s;
  config.miss_lifetime = 60s;
  AnswerCache cache(config);
  const auto t0 = Clock::time_point{} + 1h;
  const Item hit{"imei", "1"}, miss{"imei", "2"}, error{"imei", "3"};
  cache.keep(hit, {ItemAnswer::Outcome::Hit, {{"stolen", "", "", ""}}, ""}, t0);
  cache.keep(miss, {ItemAnswer::Outcome::Miss, {}, ""}, t0);
  cache.keep(error, {ItemAnswer::Outcome::Error, {}, "down"}, t0);
  EXPECT_TRUE(cache.find(hit, t0 + 61s));
  EXPECT_FALSE(cache.find(miss, t0 + 61s)) << "a miss goes stale sooner";
  EXPECT_FALSE(cache.find(error, t0)) << "an error is never kept";
  EXPECT_FALSE(cache.find(hit, t0 + 3601s));

  AnswerCache off(Cache{});
  off.keep(hit, {ItemAnswer::Outcome::Hit, {{"stolen", "", "", ""}}, ""}, t0);
  EXPECT_FALSE(off.find(hit, t0)) << "off unless configured";
}

class SecretFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/dfx-secret-XXXXXX";
    const int fd = ::mkstemp(tmpl);
    ASSERT_GE(fd, 0);
    ::close(fd);
    path_ = tmpl;
    std::ofstream(path_) << "s3cr3t-value\n";
  }
  void TearDown() override { ::unlink(path_.c_str()); }
  std::string path_;
};

TEST_F(SecretFile, AnOwnerOnlyFileIsReadAndOthersRefused) {
  Auth auth;
  auth.type = AuthType::Bearer;
  auth.secret_file = path_;
  ::chmod(path_.c_str(), 0600);
  auto s = read_secret(auth);
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(*s, "s3cr3t-value") << "the line break is not part of it";
  ::chmod(path_.c_str(), 0640);
  auto shared = read_secret(auth);
  ASSERT_FALSE(shared);
  EXPECT_NE(shared.status().message().find("chmod 600"), std::string::npos);
  EXPECT_EQ(shared.status().message().find("s3cr3t"), std::string::npos) << "never the value";
}

TEST(Secret, FromAVariableAndRedactedFromWhatComesBack) {
  Auth auth;
  auth.type = AuthType::Header;
  auth.secret_env = "DFX_TEST_SECRET_VARIABLE";
  ::unsetenv("DFX_TEST_SECRET_VARIABLE");
  auto unset = read_secret(auth);
  ASSERT_FALSE(unset);
  EXPECT_NE(unset.status().message().find("DFX_TEST_SECRET_VARIABLE is not set"),
            std::string::npos);
  ::setenv("DFX_TEST_SECRET_VARIABLE", "abc\ndef", 1);
  EXPECT_FALSE(read_secret(auth)) << "a header value with a line break would inject headers";
  ::setenv("DFX_TEST_SECRET_VARIABLE", "k-123456", 1);
  EXPECT_EQ(*read_secret(auth), "k-123456");
  EXPECT_EQ(redact("bad key k-123456 (k-123456)", "k-123456"), "bad key [secret] ([secret])");
  EXPECT_EQ(basic_credential("Aladdin", "open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
      << "RFC 7617's example";
  ::unsetenv("DFX_TEST_SECRET_VARIABLE");
}

}  // namespace
}  // namespace dfx::register_http
