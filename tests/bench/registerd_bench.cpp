// dfx-registerd throughput on loopback: single-identifier GETs with 1 and 8 requests in flight,
// and batch POSTs of 10,000 identifiers (docs/benchmarks.md). Talks to a running server; run it
// through tests/bench/registerd_bench.sh, which starts one on the demo register.
//
//   dfx_registerd_bench PORT TOKEN [SECONDS]
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// IMEIs with valid check digits, from a 14-digit counter: mostly misses, as at a depot.
std::string imei(unsigned long long n) {
  std::string d = std::to_string(35000000000000ULL + n);
  int sum = 0;
  for (int i = 0; i < 14; ++i) {
    int v = d[13 - i] - '0';
    if (i % 2 == 0) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
  }
  return d + std::to_string((10 - sum % 10) % 10);
}

void singles(int port, const std::string& token, int in_flight, double seconds) {
  std::atomic<long> done{0}, failed{0};
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < in_flight; ++t)
    threads.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", port);
      c.set_keep_alive(true);
      c.set_tcp_nodelay(true);
      const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
      for (unsigned long long n = static_cast<unsigned long long>(t) * 1000000;
           Clock::now() < until; ++n) {
        auto r = c.Get("/v1/identifiers/imei:" + imei(n), auth);
        (r && r->status == 200 ? done : failed)++;
      }
    });
  for (auto& t : threads) t.join();
  std::printf("single GET, %d in flight: %.0f checks/s (%ld failed)\n", in_flight,
              static_cast<double>(done) / seconds, failed.load());
}

void batches(int port, const std::string& token, double seconds) {
  httplib::Client c("127.0.0.1", port);
  c.set_tcp_nodelay(true);
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  long ids = 0, requests = 0;
  const auto start = Clock::now();
  for (unsigned long long base = 0; Clock::now() - start < std::chrono::duration<double>(seconds);
       base += 10000) {
    std::string body = "{\"identifiers\":[";
    for (int i = 0; i < 10000; ++i) body += (i ? ",\"imei:" : "\"imei:") + imei(base + i) + "\"";
    body += "]}";
    auto r = c.Post("/v1/check", auth, body, "application/json");
    if (!r || r->status != 200) {
      std::printf("batch failed\n");
      return;
    }
    ids += 10000;
    ++requests;
  }
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("batch POST of 10,000: %.0f identifiers/s (%ld requests)\n", ids / s, requests);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: dfx_registerd_bench PORT TOKEN [SECONDS]\n");
    return 2;
  }
  const int port = std::stoi(argv[1]);
  const std::string token = argv[2];
  const double seconds = argc > 3 ? std::stod(argv[3]) : 5;
  singles(port, token, 1, seconds);
  singles(port, token, 8, seconds);
  batches(port, token, seconds);
  return 0;
}
