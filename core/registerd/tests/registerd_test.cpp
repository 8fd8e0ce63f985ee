// dfx-registerd as a depot runs it: a real server process on 127.0.0.1 with a free port, started
// and stopped by the test, asked over real HTTP and HTTPS.
#define CPPHTTPLIB_OPENSSL_SUPPORT
#include <httplib.h>

#include <gtest/gtest.h>

#include <dfx/testing/process_group.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "base/sha256.hpp"
#include "support/build_paths.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;
const std::string kToken = "depot-token-for-tests";

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Server {
  dfx::testing_support::TempDir dir;
  dfx::testing::ProcessGroup group{{"DFX_REGISTERD_TEST", dir.path().string()}};
  fs::path db = dir.path() / "register.sqlite", log = dir.path() / "server.log";
  int port = 0;

  void import(const std::string& csv_rows) {
    const auto csv = dir.path() / "reports.csv";
    std::ofstream(csv) << "identifier,kind,status,reported_at,source,reference,notes\n" << csv_rows;
    const auto r =
        dfx::testing_support::run(std::string(DFX_CLI_PATH) + " register import --register-db " +
                                  db.string() + " " + csv.string());
    ASSERT_EQ(r.status, 0) << r.err;
  }
  // Starts dfx-registerd and waits (at most 10 s) for the port it says it listens on.
  void start(std::vector<std::string> extra = {}) {
    const auto tokens = dir.path() / "tokens";
    std::ofstream(tokens) << "bench-1 " << dfx::sha256_hex(kToken) << '\n';
    fs::permissions(tokens, fs::perms::owner_read | fs::perms::owner_write);
    std::vector<std::string> argv = {DFX_REGISTERD_PATH, "serve",    "--register-db",
                                     db.string(),        "--tokens", tokens.string(),
                                     "--port",           "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    ASSERT_TRUE(group.spawn(argv, log));
    const std::regex listening(R"(listening on https?://127\.0\.0\.1:(\d+))");
    for (int i = 0; i < 200 && port == 0; ++i) {
      std::smatch m;
      const std::string text = read_text(log);
      if (std::regex_search(text, m, listening))
        port = std::stoi(m[1]);
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_NE(port, 0) << read_text(log);
  }
};

TEST(Registerd, ServesTheRegisterOverHttpAndLogsNoIdentifier) {
  Server s;
  s.import("353908123456789,imei,stolen,2025-03-02,Metropolitan Police,MPS-1,\n");
  s.start();
  httplib::Client c("127.0.0.1", s.port);
  const httplib::Headers auth = {{"Authorization", "Bearer " + kToken}};
  auto health = c.Get("/v1/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto denied = c.Get("/v1/identifiers/imei:353908123456789");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
  auto hit = c.Get("/v1/identifiers/imei:353908123456789", auth);
  ASSERT_TRUE(hit);
  EXPECT_EQ(json::parse(hit->body)["outcome"], "hit") << hit->body;
  auto batch = c.Post("/v1/check", auth,
                      R"({"identifiers":["imei:353908123456789","imei:490154203237518"]})",
                      "application/json");
  ASSERT_TRUE(batch);
  const auto results = json::parse(batch->body)["results"];
  EXPECT_EQ(results[0]["outcome"], "hit");
  EXPECT_EQ(results[1]["outcome"], "miss");

  // An import while it runs is seen at the next request: each lookup reads the last import.
  s.import(
      "353908123456789,imei,stolen,2025-03-02,Metropolitan Police,MPS-1,\n"
      "490154203237518,imei,lost,2025-04-01,Owner,LOST-9,\n");
  auto now = c.Get("/v1/identifiers/imei:490154203237518", auth);
  ASSERT_TRUE(now);
  EXPECT_EQ(json::parse(now->body)["outcome"], "hit") << now->body;

  EXPECT_TRUE(s.group.kill_all());
  const std::string log = read_text(s.log);
  EXPECT_NE(log.find("bench-1 GET /v1/identifiers/{id} 200"), std::string::npos) << log;
  EXPECT_NE(log.find("POST /v1/check 200 2 identifiers"), std::string::npos) << log;
  EXPECT_EQ(log.find("353908123456789"), std::string::npos) << "no identifier in the log";
  EXPECT_EQ(log.find("490154203237518"), std::string::npos) << "no identifier in the log";
}

TEST(Registerd, AnswersRangeQueriesOverHttpAndLogsNoPrefix) {
  Server s;
  s.import("353908123456789,imei,stolen,2025-03-02,Metropolitan Police,MPS-1,\n");
  s.start();
  httplib::Client c("127.0.0.1", s.port);
  const httplib::Headers auth = {{"Authorization", "Bearer " + kToken}};
  const std::string stored = dfx::sha256_hex("353908123456789"),
                    added = dfx::sha256_hex("490154203237518");
  auto denied = c.Get("/v1/range/imei/" + stored.substr(0, 12));
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
  auto hit = c.Get("/v1/range/imei/" + stored.substr(0, 12), auth);
  ASSERT_TRUE(hit);
  ASSERT_EQ(hit->status, 200) << hit->body;
  const auto body = json::parse(hit->body);
  ASSERT_EQ(body["matches"].size(), 1u) << hit->body;
  EXPECT_EQ(body["matches"][0]["suffix"], stored.substr(12));
  EXPECT_EQ(body["matches"][0]["records"][0]["status"], "stolen");
  auto miss = c.Get("/v1/range/imei/" + added.substr(0, 12), auth);
  ASSERT_TRUE(miss);
  EXPECT_EQ(json::parse(miss->body)["matches"], json::array()) << miss->body;
  auto bad = c.Get("/v1/range/imei/" + added.substr(0, 3), auth);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);

  // An import while it runs is found by the next range request (the index is rebuilt).
  s.import(
      "353908123456789,imei,stolen,2025-03-02,Metropolitan Police,MPS-1,\n"
      "490154203237518,imei,lost,2025-04-01,Owner,LOST-9,\n");
  auto now = c.Get("/v1/range/imei/" + added.substr(0, 12), auth);
  ASSERT_TRUE(now);
  const auto found = json::parse(now->body);
  ASSERT_EQ(found["matches"].size(), 1u) << now->body;
  EXPECT_EQ(found["matches"][0]["suffix"], added.substr(12));

  EXPECT_TRUE(s.group.kill_all());
  const std::string log = read_text(s.log);
  EXPECT_NE(log.find("bench-1 GET /v1/range/{kind}/{prefix} 200"), std::string::npos) << log;
  EXPECT_NE(log.find("- GET /v1/range/{kind}/{prefix} 401"), std::string::npos) << log;
  EXPECT_NE(log.find("bench-1 GET /v1/range/{kind}/{prefix} 400"), std::string::npos) << log;
  for (const auto& secret : {stored.substr(0, 12), added.substr(0, 12), added.substr(0, 3) + "/",
                             std::string("353908123456789"), std::string("490154203237518")})
    EXPECT_EQ(log.find(secret), std::string::npos) << "no prefix nor identifier in the log";
}

TEST(Registerd, ServesHttpsWithTheGivenCertificate) {
  Server s;
  s.import("353908123456789,imei,stolen,2025-03-02,Metropolitan Police,MPS-1,\n");
  const auto cert = s.dir.path() / "cert.pem", key = s.dir.path() / "key.pem";
  const auto made = dfx::testing_support::run(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
      key.string() + " -out " + cert.string());
  ASSERT_EQ(made.status, 0) << made.err;
  s.start({"--tls-cert", cert.string(), "--tls-key", key.string()});
  httplib::SSLClient trusted("127.0.0.1", s.port);
  trusted.set_ca_cert_path(cert.string().c_str());
  trusted.enable_server_certificate_verification(true);
  auto hit =
      trusted.Get("/v1/identifiers/imei:353908123456789", {{"Authorization", "Bearer " + kToken}});
  ASSERT_TRUE(hit) << httplib::to_string(hit.error());
  EXPECT_EQ(json::parse(hit->body)["outcome"], "hit");
  // A client that does not trust the certificate is refused by TLS, before any HTTP.
  httplib::SSLClient stranger("127.0.0.1", s.port);
  stranger.enable_server_certificate_verification(true);
  stranger.set_ca_cert_path("/nonexistent");
  EXPECT_FALSE(stranger.Get("/v1/health"));
}

}  // namespace
