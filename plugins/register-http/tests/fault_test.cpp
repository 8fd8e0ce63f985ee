// register-http through `dfx check`, in its sandbox, against real servers on 127.0.0.1 that
// misbehave as real services do: slow answers, resets, 5xx, 429 with Retry-After, malformed,
// oversized and non-JSON answers, redirects to another host, TLS with an untrusted certificate or
// a wrong host name. In every case the verdict is never `clear` unless the service answered, the
// reason is named, and the run ends within the configured limits (bounds far from the servers'
// own delays, so that no test depends on the machine's speed).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <dfx/testing/harness.hpp>
#include <fstream>

#include "request_plan.hpp"
#include "test_servers.hpp"

namespace dfx::register_http {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::ResettingServer;
using testing::TestServer;
using Clock = std::chrono::steady_clock;

// The 15-digit IMEI with `body` (14 digits) and its Luhn check digit.
std::string imei(const std::string& body) {
  int sum = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    int d = body[i] - '0';
    if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + std::to_string((10 - sum % 10) % 10);
}

const std::string kStolen = imei("35381208478874");
const std::string kClean = imei("35381208478875");

// A service asked one identifier per GET, its word at /outcome.
json settings(const std::string& base) {
  return {{"service", "test service"},
          {"kinds", {"imei"}},
          {"request", {{"url", base + "/v1/{kind}/{identifier}"}}},
          {"response",
           {{"outcome", "/outcome"},
            {"words", {{"clear", "miss"}, {"stolen", "stolen"}}},
            {"record", {{"reference", "/ref"}}},
            {"error", "/error"}}},
          {"limits",
           {{"connect_timeout_ms", 500},
            {"request_timeout_ms", 500},
            {"retries", 2},
            {"backoff_ms", 20},
            {"backoff_max_ms", 100}}}};
}

void answer(httplib::Response& res, const std::string& outcome) {
  res.set_content(json{{"outcome", outcome}, {"ref", "REF-1"}}.dump(), "application/json");
}

// Answers "stolen" for kStolen, "clear" for anything else.
void honest(const httplib::Request& req, httplib::Response& res, int) {
  answer(res, req.path.find(kStolen) != std::string::npos ? "stolen" : "clear");
}

struct Run {
  dfx::testing::RegisterQueryResult result;
  std::chrono::milliseconds took{};
};

Run check(const json& s, std::vector<std::string> ids = {kClean},
          std::chrono::milliseconds register_timeout = 4000ms,
          std::vector<std::string> environment = {}, std::vector<std::string> files = {},
          std::map<std::string, std::string> env = {}) {
  dfx::testing::RegisterQuery q;
  q.plugin_dir = REGISTER_HTTP_PLUGIN_DIR;
  q.plugin = "register-http";
  q.settings = s;
  q.identifiers = std::move(ids);
  q.register_timeout = register_timeout;
  q.network = true;
  q.environment = std::move(environment);
  q.files = std::move(files);
  q.env = std::move(env);
  q.timeout = 60s;
  const auto start = Clock::now();
  auto r = dfx::testing::query_register(q);
  if (!r) throw std::runtime_error(r.error());
  return {std::move(*r),
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)};
}

// The one answer's error, after checking it is an error and the verdict unknown.
std::string error_of(const Run& run) {
  EXPECT_EQ(run.result.answers.size(), 1u);
  const auto& a = run.result.answers.at(0);
  EXPECT_EQ(a.outcome, "error") << run.result.log;
  EXPECT_EQ(a.verdict, "unknown") << "never clear when the service did not answer";
  return a.error;
}

#define EXPECT_HAS(text, part) \
  EXPECT_NE(std::string(text).find(part), std::string::npos) << "in: " << (text)

TEST(RegisterHttpFaults, AnAnsweringServiceGivesFlaggedAndClear) {
  TestServer server(honest);
  const auto run = check(settings(server.url()), {kStolen, kClean});
  ASSERT_EQ(run.result.answers.size(), 2u);
  EXPECT_EQ(run.result.answers[0].verdict, "flagged");
  ASSERT_EQ(run.result.answers[0].hits.size(), 1u);
  EXPECT_EQ(run.result.answers[0].hits[0]["reference"], "REF-1");
  EXPECT_EQ(run.result.answers[1].outcome, "miss");
  EXPECT_EQ(run.result.answers[1].verdict, "clear");
  EXPECT_EQ(server.received().size(), 2u);
}

TEST(RegisterHttpFaults, SlowAnswersEndAsErrorsWithinTheLimits) {
  TestServer slow([&slow](const httplib::Request&, httplib::Response& res, int) {
    slow.hold(30s);
    answer(res, "clear");
  });
  auto s = settings(slow.url());
  s["limits"]["request_timeout_ms"] = 300;
  s["limits"]["retries"] = 1;
  const auto run = check(s);
  const auto why = error_of(run);
  EXPECT_HAS(why, "did not answer");
  EXPECT_HAS(why, "2 attempts");
  EXPECT_LT(run.took, 15s) << "bounded by the attempts' timeouts, not the server's 30 s";
  slow.release();
}

TEST(RegisterHttpFaults, TheRegistersTimeoutBoundsEverythingElse) {
  TestServer slow([&slow](const httplib::Request&, httplib::Response& res, int) {
    slow.hold(30s);
    answer(res, "clear");
  });
  auto s = settings(slow.url());
  s["limits"]["request_timeout_ms"] = 20000;
  s["limits"]["retries"] = 10;
  const auto run = check(s, {kClean}, 1500ms);
  EXPECT_HAS(error_of(run), "time ran out");
  EXPECT_LT(run.took, 15s) << "the register's 1.5 s timeout, not 10 retries of 20 s";
  slow.release();
}

TEST(RegisterHttpFaults, ResetsAreRetriedThenAnError) {
  ResettingServer server;
  const auto run = check(settings("http://127.0.0.1:" + std::to_string(server.port())));
  EXPECT_HAS(error_of(run), "did not answer");
  EXPECT_EQ(server.accepted(), 3) << "the first attempt and two retries";
}

TEST(RegisterHttpFaults, ServerErrorsAreRetriedAndATransientOneIsOvercome) {
  TestServer broken([](const httplib::Request&, httplib::Response& res, int) {
    res.status = 500;
    res.set_content(R"({"error":"database on fire"})", "application/json");
  });
  EXPECT_HAS(error_of(check(settings(broken.url()))), "HTTP 500 (3 attempts");
  EXPECT_EQ(broken.received().size(), 3u);

  TestServer flaky([](const httplib::Request& req, httplib::Response& res, int nth) {
    if (nth == 1) {
      res.status = 503;
      return;
    }
    honest(req, res, nth);
  });
  const auto run = check(settings(flaky.url()));
  EXPECT_EQ(run.result.answers.at(0).verdict, "clear") << run.result.log;
  EXPECT_EQ(flaky.received().size(), 2u);
}

TEST(RegisterHttpFaults, ClientErrorsAreNotRetried) {
  TestServer refusing([](const httplib::Request&, httplib::Response& res, int) {
    res.status = 403;
    res.set_content(R"({"error":"not your store"})", "application/json");
  });
  EXPECT_HAS(error_of(check(settings(refusing.url()))), "HTTP 403: not your store");
  EXPECT_EQ(refusing.received().size(), 1u) << "a 4xx would say the same again";
}

TEST(RegisterHttpFaults, RateLimitingIsHonouredWithRetryAfter) {
  TestServer busy([](const httplib::Request& req, httplib::Response& res, int nth) {
    if (nth == 1) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      return;
    }
    honest(req, res, nth);
  });
  const auto run = check(settings(busy.url()));
  EXPECT_EQ(run.result.answers.at(0).verdict, "clear") << run.result.log;
  const auto got = busy.received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_GE(got[1].at - got[0].at, 900ms) << "asked again only after the second it asked for";

  TestServer closed([](const httplib::Request&, httplib::Response& res, int) {
    res.status = 429;
    res.set_header("Retry-After", "3600");
  });
  const auto hour = check(settings(closed.url()));
  EXPECT_HAS(error_of(hour), "asks to wait 3600 s");
  EXPECT_EQ(closed.received().size(), 1u);
  EXPECT_LT(hour.took, 15s);
}

TEST(RegisterHttpFaults, MalformedOversizedAndNonJsonAnswersAreErrors) {
  TestServer malformed([](const httplib::Request&, httplib::Response& res, int) {
    res.set_content(R"({"outcome": "clear")", "application/json");
  });
  EXPECT_HAS(error_of(check(settings(malformed.url()))), "not JSON");

  TestServer huge([](const httplib::Request&, httplib::Response& res, int) {
    res.set_content(R"({"outcome":"clear","pad":")" + std::string(4 << 20, 'x') + "\"}",
                    "application/json");
  });
  auto s = settings(huge.url());
  s["limits"]["max_response_bytes"] = 65536;
  EXPECT_HAS(error_of(check(s)), "larger than 65536 bytes");

  TestServer html([](const httplib::Request&, httplib::Response& res, int) {
    res.set_content(R"({"outcome":"clear"})", "text/html");
  });
  EXPECT_HAS(error_of(check(settings(html.url()))), "content type \"text/html\", not JSON");

  TestServer odd(
      [](const httplib::Request&, httplib::Response& res, int) { answer(res, "probably-fine"); });
  EXPECT_HAS(error_of(check(settings(odd.url()))), "which the configuration does not map");
}

TEST(RegisterHttpFaults, RedirectsAreNeverFollowed) {
  TestServer elsewhere(honest);
  TestServer redirecting([&](const httplib::Request& req, httplib::Response& res, int) {
    res.set_redirect("http://localhost:" + std::to_string(elsewhere.port()) + req.path);
  });
  const auto why = error_of(check(settings(redirecting.url())));
  EXPECT_HAS(why, "redirected (HTTP 302 to http://localhost:");
  EXPECT_HAS(why, "never followed");
  EXPECT_EQ(why.find(kClean), std::string::npos) << "the target's path is not repeated";
  EXPECT_TRUE(elsewhere.received().empty());
}

class TlsFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/dfx-register-http-tls-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  // A self-signed certificate (its own CA) for `san`.
  std::pair<std::filesystem::path, std::filesystem::path> make_cert(const std::string& name,
                                                                    const std::string& san) {
    const auto cert = dir_ / (name + ".pem"), key = dir_ / (name + ".key");
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=dfx-test -addext subjectAltName=" +
        san + " -keyout " + key.string() + " -out " + cert.string() + " 2>/dev/null";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    return {cert, key};
  }
  std::filesystem::path dir_;
};

TEST_F(TlsFaults, UntrustedCertificatesAndWrongHostNamesAreRefused) {
  const auto [good_cert, good_key] = make_cert("good", "IP:127.0.0.1");
  TestServer trusted(honest, good_cert, good_key);
  auto s = settings(trusted.url("https"));
  const auto untrusted = check(s);
  EXPECT_HAS(error_of(untrusted), "certificate");
  EXPECT_TRUE(trusted.received().empty()) << "nothing is sent before the server is verified";

  s["tls"] = {{"ca_file", good_cert.string()}};
  const auto ok = check(s, {kClean}, 4000ms, {}, {good_cert.string()});
  EXPECT_EQ(ok.result.answers.at(0).verdict, "clear") << ok.result.log;

  const auto [other_cert, other_key] = make_cert("other", "DNS:other.example");
  TestServer impostor(honest, other_cert, other_key);
  auto wrong = settings(impostor.url("https"));
  wrong["tls"] = {{"ca_file", other_cert.string()}};
  const auto why = error_of(check(wrong, {kClean}, 4000ms, {}, {other_cert.string()}));
  EXPECT_HAS(why, "127.0.0.1");
  EXPECT_TRUE(impostor.received().empty());
}

TEST(RegisterHttpFaults, TheCircuitBreakerStopsAskingAServiceThatIsDown) {
  int port = 0;
  {
    ResettingServer gone;  // a port that was free a moment ago, closed now
    port = gone.port();
  }
  auto s = settings("http://127.0.0.1:" + std::to_string(port));
  s["limits"]["retries"] = 0;
  s["limits"]["concurrency"] = 1;
  s["circuit_breaker"] = {{"failures", 2}, {"open_ms", 60000}};
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(imei("3538120847880" + std::to_string(i)));
  const auto run = check(s, ids);
  ASSERT_EQ(run.result.answers.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(run.result.answers[i].verdict, "unknown");
    EXPECT_HAS(run.result.answers[i].error, i < 2 ? "did not answer" : "circuit breaker open");
  }
}

TEST(RegisterHttpFaults, RateAndConcurrencyLimitsHold) {
  std::atomic<int> now{0}, most{0};
  TestServer counting([&](const httplib::Request& req, httplib::Response& res, int nth) {
    const int n = ++now;
    for (int m = most; n > m && !most.compare_exchange_weak(m, n);) {}
    std::this_thread::sleep_for(100ms);
    --now;
    honest(req, res, nth);
  });
  auto s = settings(counting.url());
  s["limits"]["concurrency"] = 2;
  s["limits"]["request_timeout_ms"] = 5000;
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(imei("3538120847881" + std::to_string(i)));
  const auto run = check(s, ids);
  for (const auto& a : run.result.answers) EXPECT_EQ(a.verdict, "clear") << run.result.log;
  EXPECT_EQ(most.load(), 2) << "two in flight, never more";

  TestServer paced(honest);
  auto r = settings(paced.url());
  r["limits"]["concurrency"] = 1;
  r["limits"]["rate_per_second"] = 10;
  check(r, {ids[0], ids[1], ids[2], ids[3]});
  const auto got = paced.received();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_GE(got[3].at - got[0].at, 250ms) << "4 requests at 10 per second take 300 ms";
}

TEST(RegisterHttpFaults, TheSecretComesFromAGrantedVariableOrOwnerOnlyFileAndIsNeverShown) {
  TestServer server([](const httplib::Request& req, httplib::Response& res, int) {
    if (req.get_header_value("X-Api-Key") != "k-7f3a9c1e") {
      res.status = 401;
      res.set_content(R"({"error":"bad key )" + req.get_header_value("X-Api-Key") + "\"}",
                      "application/json");
      return;
    }
    answer(res, "clear");
  });
  auto s = settings(server.url());
  s["auth"] = {{"type", "header"}, {"header", "X-Api-Key"}, {"secret_env", "DFX_TEST_API_KEY"}};
  const std::map<std::string, std::string> env = {{"DFX_TEST_API_KEY", "k-7f3a9c1e"}};
  const auto granted = check(s, {kClean}, 4000ms, {"DFX_TEST_API_KEY"}, {}, env);
  EXPECT_EQ(granted.result.answers.at(0).verdict, "clear") << granted.result.log;
  const auto ungranted = check(s, {kClean}, 4000ms, {}, {}, env);
  EXPECT_HAS(error_of(ungranted), "DFX_TEST_API_KEY is not set in the register's sandbox");

  // A wrong key echoed back by the service is redacted from what dfx shows.
  const std::map<std::string, std::string> wrong = {{"DFX_TEST_API_KEY", "k-wrong-0001"}};
  const auto echoed = check(s, {kClean}, 4000ms, {"DFX_TEST_API_KEY"}, {}, wrong);
  const auto why = error_of(echoed);
  EXPECT_HAS(why, "HTTP 401: bad key [secret]");
  EXPECT_EQ(echoed.result.log.find("k-wrong-0001"), std::string::npos);

  char tmpl[] = "/tmp/dfx-register-http-key-XXXXXX";
  const int fd = ::mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  ::close(fd);
  const std::string key = tmpl;
  std::ofstream(key) << "k-7f3a9c1e\n";
  ::chmod(key.c_str(), 0600);
  s["auth"] = {{"type", "header"}, {"header", "X-Api-Key"}, {"secret_file", key}};
  EXPECT_EQ(check(s, {kClean}, 4000ms, {}, {key}).result.answers.at(0).verdict, "clear");
  EXPECT_HAS(error_of(check(s)), "cannot be opened") << "not granted: not in the sandbox";
  ::chmod(key.c_str(), 0644);
  EXPECT_HAS(error_of(check(s, {kClean}, 4000ms, {}, {key})), "chmod 600");
  ::unlink(key.c_str());
}

TEST(RegisterHttpPrivacy, TheRangeModeSendsNoIdentifierAndNoFullHash) {
  const std::vector<std::string> held = {kStolen, imei("35381208478890"), imei("35381208478891")};
  TestServer server([&](const httplib::Request& req, httplib::Response& res, int) {
    const std::string prefix = req.path.substr(req.path.rfind('/') + 1);
    json matches = json::array();
    for (const auto& id : held) {
      const auto h = sha256_hex(id);
      if (h.rfind(prefix, 0) == 0)
        matches.push_back({{"suffix", h.substr(prefix.size())},
                           {"records", {{{"status", "stolen"}, {"reference", "R-" + id}}}}});
    }
    res.set_content(json{{"matches", matches}}.dump(), "application/json");
  });
  const json s = {
      {"service", "private"},
      {"mode", "range"},
      {"kinds", {"imei"}},
      {"request", {{"url", server.url() + "/v1/range/{kind}/{prefix}"}, {"prefix_length", 5}}},
      {"response",
       {{"matches", "/matches"},
        {"suffix", "/suffix"},
        {"no_match", "miss"},
        {"records", "/records"},
        {"record", {{"status", "/status"}, {"reference", "/reference"}}}}}};
  const auto run = check(s, {kStolen, kClean});
  ASSERT_EQ(run.result.answers.size(), 2u);
  EXPECT_EQ(run.result.answers[0].verdict, "flagged");
  EXPECT_EQ(run.result.answers[1].verdict, "clear");
  const auto got = server.received();
  ASSERT_EQ(got.size(), 2u);
  for (const auto& r : got) {
    for (const auto& id : {kStolen, kClean}) {
      EXPECT_EQ(r.path.find(id), std::string::npos) << r.path;
      EXPECT_EQ(r.body.find(id), std::string::npos);
      EXPECT_EQ(r.path.find(sha256_hex(id).substr(0, 6)), std::string::npos)
          << "no more of the hash than the configured 5 characters";
    }
    EXPECT_EQ(r.path.size(), std::string("/v1/range/imei/").size() + 5) << r.path;
  }
}

}  // namespace
}  // namespace dfx::register_http
