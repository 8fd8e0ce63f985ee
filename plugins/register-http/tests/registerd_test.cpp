// The acceptance of the remote registers: `dfx check` with a configuration naming the embedded
// register and a running dfx-registerd (through register-http, with the shipped configuration)
// folds both answers with their provenance; stopping dfx-registerd turns what was clear into
// unknown, and starting it again brings the answers back with nothing else restarted. The private
// mode is asked of the real server too.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <dfx/testing/harness.hpp>
#include <dfx/testing/process_group.hpp>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "request_plan.hpp"

namespace dfx::register_http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kToken = "station-7-token-for-tests";
const std::string kDepotStolen = "353812084788745";  // reported to the depot's register only
const std::string kLocalLost = "356763003735910";    // reported to the embedded register only
const std::string kClean = "353812084788752";        // in neither

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

json shipped(const std::string& name) {
  return json::parse(read_text(fs::path(REGISTER_HTTP_SERVICES_DIR) / name));
}

class Depot : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/dfx-register-http-depot-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    group_ = std::make_unique<dfx::testing::ProcessGroup>(
        dfx::testing::EnvVar{"DFX_REGISTER_HTTP_DEPOT_TEST", dir_.string()});
    import(dir_ / "depot.sqlite", kDepotStolen +
                                      ",imei,stolen,2025-03-02,Metropolitan Police,"
                                      "MPS-1,\n");
    import(dir_ / "local.sqlite", kLocalLost + ",imei,lost,2025-04-01,Owner,L-9,\n");
    std::ofstream(dir_ / "tokens") << "station-7 " << sha256_hex(kToken) << '\n';
    fs::permissions(dir_ / "tokens", fs::perms::owner_read | fs::perms::owner_write);
  }
  void TearDown() override {
    group_->kill_all();
    fs::remove_all(dir_);
  }

  void import(const fs::path& db, const std::string& rows) {
    const auto csv = dir_ / "reports.csv";
    std::ofstream(csv) << "identifier,kind,status,reported_at,source,reference,notes\n" << rows;
    auto r = dfx::testing::run_program(
        "dfx", {"register", "import", "--register-db", db.string(), csv.string()}, {},
        std::chrono::seconds(60));
    ASSERT_TRUE(r && r->exit_status == 0) << (r ? r->err : r.error());
  }

  // Starts dfx-registerd on `port` (0: a free one) and returns the port it listens on.
  int start(int port = 0) {
    const auto log = dir_ / ("server-" + std::to_string(++starts_) + ".log");
    auto pid = group_->spawn(
        {DFX_REGISTERD_PATH, "serve", "--register-db", (dir_ / "depot.sqlite").string(), "--tokens",
         (dir_ / "tokens").string(), "--port", std::to_string(port)},
        log);
    EXPECT_TRUE(pid) << (pid ? "" : pid.error());
    const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
    for (int i = 0; i < 200; ++i) {
      std::smatch m;
      const std::string text = read_text(log);
      if (std::regex_search(text, m, listening)) return std::stoi(m[1]);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "dfx-registerd did not start: " << read_text(log);
    return 0;
  }

  // The configuration: the embedded register and the depot's, from the shipped entry.
  fs::path config(int port, const std::string& service = "dfx-registerd.json") {
    auto depot = shipped(service);
    std::string url = depot["settings"]["request"]["url"];
    url.replace(0, url.find("/v1/"), "http://127.0.0.1:" + std::to_string(port));
    depot["settings"]["request"]["url"] = url;
    depot["settings"]["limits"]["retries"] = 1;
    const json doc = {{"registers",
                       {{{"id", "local"},
                         {"builtin", "sqlite"},
                         {"settings", {{"path", (dir_ / "local.sqlite").string()}}}},
                        depot}}};
    const auto path = dir_ / "config.json";
    std::ofstream(path) << doc.dump(2);
    return path;
  }

  // dfx check --format json: one object per identifier.
  std::vector<json> check(const fs::path& cfg, const std::vector<std::string>& ids) {
    std::vector<std::string> args = {
        "check",    "--config", cfg.string(), "--plugin-dir", REGISTER_HTTP_PLUGIN_DIR,
        "--format", "json"};
    args.insert(args.end(), ids.begin(), ids.end());
    auto r = dfx::testing::run_program("dfx", args, {{"DFX_REGISTERD_TOKEN", kToken}},
                                       std::chrono::seconds(60));
    EXPECT_TRUE(r) << r.error();
    std::vector<json> out;
    std::istringstream lines(r->out);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) out.push_back(json::parse(line));
    EXPECT_EQ(out.size(), ids.size()) << r->err;
    last_log_ = r->err;
    return out;
  }

  static const json& register_answer(const json& result, const std::string& id) {
    for (const auto& r : result["registers"])
      if (r["id"] == id) return r;
    throw std::runtime_error("no answer of register " + id);
  }

  fs::path dir_;
  std::unique_ptr<dfx::testing::ProcessGroup> group_;
  int starts_ = 0;
  std::string last_log_;
};

TEST_F(Depot, CheckFoldsTheEmbeddedAndTheDepotRegisterAndFollowsTheServerDownAndBack) {
  const int port = start();
  ASSERT_NE(port, 0);
  const auto cfg = config(port);
  auto results = check(cfg, {kDepotStolen, kLocalLost, kClean});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]["verdict"], "flagged") << last_log_;
  ASSERT_EQ(results[0]["hits"].size(), 1u);
  EXPECT_EQ(results[0]["hits"][0]["register"], "depot") << "its provenance: the depot's register";
  EXPECT_EQ(results[0]["hits"][0]["reference"], "MPS-1");
  EXPECT_EQ(register_answer(results[0], "local")["outcome"], "miss");
  EXPECT_FALSE(register_answer(results[0], "depot")["answer_sha256"].get<std::string>().empty());
  EXPECT_EQ(results[1]["verdict"], "flagged");
  EXPECT_EQ(results[1]["hits"][0]["register"], "local");
  EXPECT_EQ(register_answer(results[1], "depot")["outcome"], "miss");
  EXPECT_EQ(results[2]["verdict"], "clear") << "both registers answered a miss";

  group_->kill_all();  // the server stops
  results = check(cfg, {kDepotStolen, kClean});
  EXPECT_EQ(results[0]["verdict"], "unknown") << "what the depot held cannot be known without it";
  EXPECT_EQ(results[1]["verdict"], "unknown") << "clear no longer: the depot could not be asked";
  EXPECT_NE(register_answer(results[1], "depot")["error"].get<std::string>().find("did not answer"),
            std::string::npos)
      << register_answer(results[1], "depot");
  EXPECT_EQ(register_answer(results[1], "local")["outcome"], "miss") << "the other register stays";

  ASSERT_EQ(start(port), port);  // the server again, on the same port; nothing else restarted
  results = check(cfg, {kDepotStolen, kClean});
  EXPECT_EQ(results[0]["verdict"], "flagged") << last_log_;
  EXPECT_EQ(results[1]["verdict"], "clear") << last_log_;
}

TEST_F(Depot, ThePrivateModeFindsTheDepotsReportsFromHashPrefixes) {
  const int port = start();
  ASSERT_NE(port, 0);
  const auto results =
      check(config(port, "dfx-registerd-private.json"), {kDepotStolen, kLocalLost, kClean});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]["verdict"], "flagged") << last_log_;
  EXPECT_EQ(results[0]["hits"][0]["register"], "depot-private");
  EXPECT_EQ(results[0]["hits"][0]["status"], "stolen");
  EXPECT_EQ(register_answer(results[1], "depot-private")["outcome"], "miss");
  EXPECT_EQ(results[2]["verdict"], "clear");
  // What the server logged of the requests: the route, never a prefix or an identifier.
  const std::string log = read_text(dir_ / "server-1.log");
  for (const auto& id : {kDepotStolen, kLocalLost, kClean}) {
    EXPECT_EQ(log.find(id), std::string::npos);
    EXPECT_EQ(log.find(sha256_hex(id).substr(0, 6)), std::string::npos);
  }
}

}  // namespace
}  // namespace dfx::register_http
