// Cases: the hash chain, signatures and verification against every kind of tampering, repair of
// a torn line, one writer at a time across processes, and writers killed mid-append.
#include "evidence/case_log.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "evidence/record.hpp"

namespace {

using namespace dfx::evidence;
using nlohmann::json;
namespace fs = std::filesystem;

class Case : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "dfx-case-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    dir_ = root_ / "case";
    auto key = WorkstationKey::load_or_create(root_ / "keys" / "ws.pem");
    ASSERT_TRUE(key) << key.error().message;
    key_.emplace(std::move(*key));
    auto made = create_case(dir_, {"OP-2026-117", "PC 4471 Example", "EX-1", ""}, *key_);
    ASSERT_TRUE(made) << made.error().message;
  }
  void TearDown() override { fs::remove_all(root_); }

  // The case with `n` scan records and a checkpoint after them.
  void fill(int n) {
    auto w = CaseWriter::open(dir_);
    ASSERT_TRUE(w) << w.error().message;
    for (int i = 0; i < n; ++i) ASSERT_TRUE(w->append("scan", {{"device", i}}));
    ASSERT_TRUE(w->sign(*key_));
  }
  std::vector<std::string> lines() {
    std::ifstream in(dir_ / kRecordsFile);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  void write_lines(const std::vector<std::string>& ls, bool final_newline = true) {
    std::ofstream out(dir_ / kRecordsFile, std::ios::trunc | std::ios::binary);
    for (std::size_t i = 0; i < ls.size(); ++i)
      out << ls[i] << (i + 1 < ls.size() || final_newline ? "\n" : "");
  }
  Verification verify() {
    auto v = verify_case(dir_);
    EXPECT_TRUE(v) << v.error().message;
    return v ? *v : Verification{};
  }
  static std::string rehashed(const json& r) { return record_line(r); }

  fs::path root_, dir_;
  std::optional<WorkstationKey> key_;
};

TEST_F(Case, RecordsChainAndACheckpointSignsTheHead) {
  fill(3);
  const Verification v = verify();
  ASSERT_TRUE(v.ok()) << v.message;
  EXPECT_EQ(v.records, 5u) << "case, 3 scans, checkpoint";
  EXPECT_EQ(v.case_id, "OP-2026-117");
  EXPECT_EQ(v.signed_through, 3);
  const auto ls = lines();
  const json scan = json::parse(ls[1]);
  EXPECT_EQ(scan["operator"], "PC 4471 Example") << "each record says who";
  EXPECT_EQ(scan["prev"], json::parse(ls[0])["hash"]);
  EXPECT_FALSE(scan["workstation"].get<std::string>().empty());
  EXPECT_FALSE(scan["time"].get<std::string>().empty());
  {
    auto w = CaseWriter::open(dir_);
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->sign(*key_, "close", "examination finished"));
  }
  EXPECT_TRUE(verify().closed);
  auto more = CaseWriter::open(dir_);
  ASSERT_FALSE(more);
  EXPECT_NE(more.error().message.find("closed"), std::string::npos);
}

TEST_F(Case, AChangedRecordIsNamed) {
  fill(3);
  auto ls = lines();
  const auto at = ls[2].find("\"device\":1");
  ASSERT_NE(at, std::string::npos);
  ls[2].replace(at, 10, "\"device\":7");
  write_lines(ls);
  const Verification v = verify();
  EXPECT_EQ(v.problem, Problem::changed);
  EXPECT_NE(v.message.find("line 3 (record 2 expected) does not match its own hash"),
            std::string::npos)
      << v.message;
  EXPECT_EQ(v.records, 2u);
}

TEST_F(Case, ARecordChangedAndRehashedBreaksTheLinkAfterIt) {
  fill(3);
  auto ls = lines();
  json r = json::parse(ls[2]);
  r["device"] = 7;
  ls[2] = rehashed(r);
  write_lines(ls);
  const Verification v = verify();
  EXPECT_EQ(v.problem, Problem::reordered);
  EXPECT_NE(v.message.find("record 3 (line 4) does not follow the record before it"),
            std::string::npos)
      << v.message;
}

TEST_F(Case, AMissingRecordIsNamed) {
  fill(3);
  auto ls = lines();
  ls.erase(ls.begin() + 2);
  write_lines(ls);
  const Verification v = verify();
  EXPECT_EQ(v.problem, Problem::missing);
  EXPECT_NE(v.message.find("records 2 to 2 are missing"), std::string::npos) << v.message;
}

TEST_F(Case, ReorderedRecordsAreNamed) {
  fill(3);
  auto ls = lines();
  std::swap(ls[2], ls[3]);
  write_lines(ls);
  const Verification v = verify();
  EXPECT_EQ(v.problem, Problem::reordered);
  EXPECT_NE(v.message.find("record 3 (line 3) comes where record 2 belongs"), std::string::npos)
      << v.message;
  auto repeated = lines();
  std::swap(repeated[2], repeated[3]);  // back in order
  repeated.insert(repeated.begin() + 3, repeated[2]);
  write_lines(repeated);
  EXPECT_EQ(verify().problem, Problem::reordered) << "a record given twice";
}

TEST_F(Case, ATornLastLineIsReportedAndRepairedExplicitly) {
  fill(2);
  auto ls = lines();
  ls.back().resize(ls.back().size() / 2);
  write_lines(ls, /*final_newline=*/false);
  const Verification v = verify();
  EXPECT_EQ(v.problem, Problem::torn);
  EXPECT_EQ(v.records, 3u) << "the records before it are intact";
  auto refused = CaseWriter::open(dir_);
  ASSERT_FALSE(refused) << "nothing is appended after a torn line";
  EXPECT_NE(refused.error().message.find("torn"), std::string::npos);
  auto repaired = repair_case(dir_);
  ASSERT_TRUE(repaired) << repaired.error().message;
  EXPECT_EQ((*repaired)["type"], "repair");
  EXPECT_EQ((*repaired)["removed_bytes"], ls.back().size());
  EXPECT_TRUE(verify().ok());
  auto again = repair_case(dir_);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->is_null()) << "nothing to repair";
}

TEST_F(Case, RepairTouchesNothingButATornLine) {
  fill(2);
  auto ls = lines();
  ls.erase(ls.begin() + 1);
  write_lines(ls);
  auto r = repair_case(dir_);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("must be examined, not repaired"), std::string::npos);
  EXPECT_EQ(lines(), ls) << "the file is left as it was";
}

TEST_F(Case, ABadSignatureAndAnUnknownKeyAreNamed) {
  fill(2);
  auto ls = lines();
  json cp = json::parse(ls.back());
  std::string sig = cp["signature"];
  sig[0] = sig[0] == 'a' ? 'b' : 'a';
  cp["signature"] = sig;
  ls.back() = rehashed(cp);
  write_lines(ls);
  Verification v = verify();
  EXPECT_EQ(v.problem, Problem::bad_signature);
  EXPECT_NE(v.message.find("record 3 (line 4): the signature does not verify"), std::string::npos)
      << v.message;

  // A checkpoint signed by a key the case never introduced.
  auto other = WorkstationKey::load_or_create(root_ / "keys" / "other.pem");
  ASSERT_TRUE(other);
  ls.pop_back();
  write_lines(ls);
  const json head = json::parse(ls.back());
  const uint64_t head_seq = head["seq"];
  auto foreign_sig = other->sign(signed_head("OP-2026-117", head_seq, head["hash"]));
  ASSERT_TRUE(foreign_sig);
  json forged = {{"seq", head_seq + 1},        {"prev", head["hash"]},
                 {"type", "checkpoint"},       {"time", "2026-12-06T00:00:00.000Z"},
                 {"head_seq", head_seq},       {"head_hash", head["hash"]},
                 {"key", other->public_hex()}, {"signature", *foreign_sig}};
  ls.push_back(rehashed(forged));
  write_lines(ls);
  v = verify();
  EXPECT_EQ(v.problem, Problem::unknown_key);
  EXPECT_NE(v.message.find("unknown key"), std::string::npos) << v.message;
}

TEST_F(Case, NothingMayFollowTheClose) {
  fill(1);
  {
    auto w = CaseWriter::open(dir_);
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->sign(*key_, "close"));
  }
  auto ls = lines();
  const json close = json::parse(ls.back());
  json after = {{"seq", close["seq"].get<uint64_t>() + 1},
                {"prev", close["hash"]},
                {"type", "scan"},
                {"time", "2026-12-06T00:00:00.000Z"}};
  ls.push_back(rehashed(after));
  write_lines(ls);
  EXPECT_EQ(verify().problem, Problem::after_close);
}

TEST_F(Case, ASecondWriterWaitsThenIsRefusedWithAReason) {
  auto first = CaseWriter::open(dir_);
  ASSERT_TRUE(first);
  auto second = CaseWriter::open(dir_, std::chrono::milliseconds(50));
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("another dfx process is appending"), std::string::npos);
  first = tl::unexpected(dfx::Error{"released"});
  EXPECT_TRUE(CaseWriter::open(dir_, std::chrono::milliseconds(50)));
}

// Two processes appending to one case at once serialize on the lock: every record lands and
// the chain never forks.
TEST_F(Case, ConcurrentWritersNeverForkTheChain) {
  constexpr int kEach = 60;
  pid_t children[2];
  for (pid_t& child : children) {
    child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      for (int i = 0; i < kEach; ++i) {
        auto w = CaseWriter::open(dir_, std::chrono::seconds(30));
        if (!w || !w->append("scan", {{"pid", ::getpid()}, {"i", i}})) ::_exit(1);
      }
      ::_exit(0);
    }
  }
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  const Verification v = verify();
  ASSERT_TRUE(v.ok()) << v.message;
  EXPECT_EQ(v.records, 1u + 2 * kEach);
}

// A writer killed at any moment: every record it reported done is intact and verifies; at worst
// the last line is torn, said so, and repaired explicitly. 100 kills of a writer appending 64 KiB
// records, each in a case of its own: the kill comes as soon as the writer has reported 0 to 4
// records done (a fixed seed), so it lands while the next record is being built, hashed or
// written. Where in that record is up to the scheduler; what must hold holds wherever it lands.
TEST_F(Case, AWriterKilledAtAnyMomentLosesNothingItReportedDone) {
  std::mt19937 random(20261206);
  int torn = 0;
  for (int round = 0; round < 100; ++round) {
    const fs::path dir = root_ / ("round-" + std::to_string(round));
    ASSERT_TRUE(create_case(dir, {"KILL-" + std::to_string(round), "test", "", ""}, *key_));
    int done_pipe[2];
    ASSERT_EQ(::pipe(done_pipe), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(done_pipe[0]);
      auto w = CaseWriter::open(dir, std::chrono::seconds(30));
      uint64_t ready = 0;
      if (!w || ::write(done_pipe[1], &ready, sizeof ready) != sizeof ready) ::_exit(1);
      for (uint64_t i = 0;; ++i) {
        auto r = w->append("scan", {{"round", round}, {"pad", std::string(65536 + i % 7, 'x')}});
        if (!r) ::_exit(2);
        const uint64_t seq = (*r)["seq"];
        if (::write(done_pipe[1], &seq, sizeof seq) != sizeof seq) ::_exit(3);
      }
    }
    ::close(done_pipe[1]);
    uint64_t seq = 0, last_done = 0;
    ASSERT_EQ(::read(done_pipe[0], &seq, sizeof seq), static_cast<ssize_t>(sizeof seq))
        << "the writer opened the case";
    const unsigned wait_for = random() % 5;
    for (unsigned i = 0; i < wait_for; ++i) {
      ASSERT_EQ(::read(done_pipe[0], &seq, sizeof seq), static_cast<ssize_t>(sizeof seq));
      last_done = seq;
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    bool any = wait_for > 0;
    while (::read(done_pipe[0], &seq, sizeof seq) == sizeof seq) last_done = seq, any = true;
    ::close(done_pipe[0]);
    auto v = verify_case(dir);
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->ok() || v->problem == Problem::torn) << "round " << round << ": " << v->message;
    if (any) {
      ASSERT_GT(v->records, last_done) << "round " << round << ": record " << last_done
                                       << " was reported done and must be intact";
    }
    if (v->problem == Problem::torn) {
      ++torn;
      ASSERT_TRUE(repair_case(dir)) << "round " << round;
      auto again = verify_case(dir);
      ASSERT_TRUE(again && again->ok()) << "round " << round;
    }
  }
  RecordProperty("torn_lines_repaired", torn);
}

TEST(WorkstationKey, IsCreatedPrivateAndRefusedWhenOthersCanReadIt) {
  std::string tmpl = (fs::temp_directory_path() / "dfx-key-test-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  const fs::path path = fs::path(tmpl) / "sub" / "k.pem";
  auto k = WorkstationKey::load_or_create(path);
  ASSERT_TRUE(k) << k.error().message;
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  auto again = WorkstationKey::load_or_create(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->public_hex(), k->public_hex()) << "the same key on every use";
  auto sig = k->sign("head");
  ASSERT_TRUE(sig);
  EXPECT_TRUE(verify_signature(k->public_hex(), "head", *sig));
  EXPECT_FALSE(verify_signature(k->public_hex(), "head2", *sig));
  fs::permissions(path, fs::perms::group_read, fs::perm_options::add);
  auto refused = WorkstationKey::load_or_create(path);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("readable by others"), std::string::npos);
  fs::remove_all(tmpl);
}

}  // namespace
