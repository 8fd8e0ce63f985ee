// Lookups per second of RegisterStore::lookup (the batch lookup the built-in sqlite register uses)
// against an existing register file.
//
//   dfx_register_lookup_bench REGISTER.sqlite KEYS.txt [BATCH [PASSES]]
//
// KEYS.txt holds one "kind<TAB>canonical identifier" per line (tests/bench/register_bench.py
// writes it: a mix of identifiers in the register and absent ones). The keys are looked up in
// batches of BATCH (default 1000, what `dfx check` sends a register at a time); a first pass warms
// the page cache, the last of PASSES (default 2) is timed. Prints: keys, hits (records), found
// keys, seconds, lookups/s.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "register_store/register_store.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: dfx_register_lookup_bench REGISTER.sqlite KEYS.txt [BATCH]\n";
    return 2;
  }
  const std::size_t batch = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 1000;
  const int passes = argc > 4 ? std::atoi(argv[4]) : 2;
  std::vector<std::string> kinds, ids;
  std::ifstream in(argv[2]);
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    kinds.push_back(line.substr(0, tab));
    ids.push_back(line.substr(tab + 1));
  }
  std::vector<dfx::register_store::LookupKey> keys;
  keys.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) keys.push_back({kinds[i], ids[i]});

  auto store = dfx::register_store::RegisterStore::open_for_reading(argv[1]);
  if (!store) {
    std::cerr << store.error().message << '\n';
    return 1;
  }
  std::size_t records = 0, found = 0;
  double seconds = 0;
  for (int pass = 0; pass < passes; ++pass) {
    records = found = 0;
    std::size_t last = SIZE_MAX;
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t b = 0; b < keys.size(); b += batch) {
      const std::size_t n = std::min(batch, keys.size() - b);
      auto r = store->lookup(std::span(keys).subspan(b, n),
                             [&](std::size_t i, const dfx::register_store::RecordView&) {
                               ++records;
                               if (b + i != last) ++found, last = b + i;
                             });
      if (!r) {
        std::cerr << r.error().message << '\n';
        return 1;
      }
    }
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  std::printf("keys %zu records %zu found %zu seconds %.3f lookups_per_s %.0f\n", keys.size(),
              records, found, seconds, static_cast<double>(keys.size()) / seconds);
  return 0;
}
