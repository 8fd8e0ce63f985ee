// Cases (core/evidence): records appended per second, each written and fsynced before append()
// returns, on the file system the case folder is on; and `dfx case verify` speed over a day of
// depot work (every record's hash, the chain, the signatures).
//   build/bin/dfx_case_bench [--dir /var/tmp] [--appends 2000] [--records 200000]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "evidence/case_log.hpp"
#include "evidence/record.hpp"

namespace {

using namespace dfx::evidence;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// A record the size of one `dfx check` result or a small device: ~600 bytes.
nlohmann::json body(uint64_t i) {
  return {{"results",
           {{{"input", "35390812345678" + std::to_string(i % 10)},
             {"identifier", {{"kind", "imei"}, {"canonical", "353908123456789"}, {"valid", true}}},
             {"verdict", "clear"},
             {"registers",
              {{{"id", "local"}, {"outcome", "miss"}, {"latency_ms", 0.12}, {"error", nullptr}}}},
             {"line", i}}}}};
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  fs::path base = "/var/tmp";
  uint64_t appends = 2000, records = 200000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--dir")) base = argv[i + 1];
    if (!std::strcmp(argv[i], "--appends")) appends = std::strtoull(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--records")) records = std::strtoull(argv[i + 1], nullptr, 10);
  }
  const fs::path root = base / ("dfx-case-bench-" + std::to_string(::getpid()));
  fs::remove_all(root);
  auto key = WorkstationKey::load_or_create(root / "key.pem");
  if (!key) return std::fprintf(stderr, "%s\n", key.error().message.c_str()), 1;

  // 1. Appends through CaseWriter: one write and one fsync each.
  if (!create_case(root / "appends", {"BENCH", "bench", "", ""}, *key)) return 1;
  {
    auto w = CaseWriter::open(root / "appends");
    if (!w) return 1;
    const auto t = Clock::now();
    for (uint64_t i = 0; i < appends; ++i)
      if (!w->append("check", body(i))) return 1;
    const double s = seconds_since(t);
    std::printf("append + fsync: %llu records in %.2f s = %.0f records/s (%.2f ms each), %s\n",
                static_cast<unsigned long long>(appends), s, appends / s, 1000 * s / appends,
                base.c_str());
  }

  // 2. A large case written without per-record fsync (only the writing is skipped: the records
  // are the same chain), a checkpoint every 1,000 records, then verified.
  const fs::path big = root / "big";
  if (!create_case(big, {"BENCH-BIG", "bench", "", ""}, *key)) return 1;
  {
    auto first = verify_case(big);
    std::ofstream out(big / kRecordsFile, std::ios::app | std::ios::binary);
    std::string prev = first->head_hash;
    for (uint64_t seq = 1; seq <= records; ++seq) {
      nlohmann::json r;
      if (seq % 1000 == 0) {
        auto sig = key->sign(signed_head("BENCH-BIG", seq - 1, prev));
        r = {{"head_seq", seq - 1},
             {"head_hash", prev},
             {"key", key->public_hex()},
             {"signature", *sig}};
        r["type"] = "checkpoint";
      } else {
        r = body(seq);
        r["type"] = "check";
      }
      r["seq"] = seq;
      r["prev"] = prev;
      r["time"] = "2026-12-06T00:00:00.000Z";
      r["operator"] = "bench";
      out << record_line(r, &prev) << '\n';
    }
  }
  const auto bytes = fs::file_size(big / kRecordsFile);
  const auto t = Clock::now();
  auto v = verify_case(big);
  const double s = seconds_since(t);
  if (!v || !v->ok()) return std::fprintf(stderr, "verify failed\n"), 1;
  std::printf("verify: %llu records (%.1f MB, %llu signatures) in %.3f s = %.0f records/s\n",
              static_cast<unsigned long long>(v->records), bytes / 1e6,
              static_cast<unsigned long long>(records / 1000), s, v->records / s);
  fs::remove_all(root);
  return 0;
}
