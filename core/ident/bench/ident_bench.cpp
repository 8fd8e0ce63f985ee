// Throughput of the identifier library (not run by ctest):
//   cmake --build <build> --target dfx_ident_bench && <build>/dfx_ident_bench
// Targets from the project goals: is_valid_imei >= 25 M/s per core; normalize >= 1 M lines/s.
// Inputs are pre-generated (fixed seed) so that the loop measures the library only; about 90 %
// of the IMEIs are valid so that the early exits are exercised realistically.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "ident/identifier.hpp"

namespace {

using dfx::ident::Kind;

std::string random_digits(std::mt19937_64& rng, std::size_t n) {
  std::string s(n, '0');
  for (char& c : s) c = static_cast<char>('0' + rng() % 10);
  return s;
}

std::vector<std::string> imeis(bool formatted) {
  std::mt19937_64 rng(42);
  std::vector<std::string> out;
  for (int i = 0; i < 4096; ++i) {
    std::string s = random_digits(rng, 14);
    s.push_back(*dfx::ident::luhn_check_digit(s));
    if (i % 10 == 0) s[14] = static_cast<char>('0' + (s[14] - '0' + 1) % 10);  // invalid
    if (formatted)
      s = "IMEI: " + s.substr(0, 2) + "-" + s.substr(2, 6) + "-" + s.substr(8, 6) + "-" +
          s.substr(14);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> meids(bool decimal) {
  std::mt19937_64 rng(43);
  std::vector<std::string> out;
  for (int i = 0; i < 4096; ++i) {
    std::string h(14, '0');
    for (char& c : h) c = "0123456789ABCDEF"[rng() % 16];
    h[0] = "ABCDEF"[rng() % 6];
    out.push_back(decimal ? *dfx::ident::meid_hex_to_decimal(h) : h);
  }
  return out;
}

void BM_IsValidImei(benchmark::State& state) {
  const auto in = imeis(false);
  std::size_t i = 0, valid = 0;
  for (auto _ : state) {
    valid += dfx::ident::is_valid_imei(in[i++ & 4095]);
  }
  benchmark::DoNotOptimize(valid);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_IsValidImei);

void normalize_loop(benchmark::State& state, const std::vector<std::string>& in, Kind kind) {
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = dfx::ident::normalize(in[i++ & 4095], kind);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_NormalizeImei(benchmark::State& state) {
  normalize_loop(state, imeis(false), Kind::Imei);
}
void BM_NormalizeImeiFormattedAuto(benchmark::State& state) {
  normalize_loop(state, imeis(true), Kind::Auto);
}
void BM_NormalizeMeidHex(benchmark::State& state) {
  normalize_loop(state, meids(false), Kind::Meid);
}
void BM_NormalizeMeidDecimalAuto(benchmark::State& state) {
  normalize_loop(state, meids(true), Kind::Auto);
}
void BM_PseudoEsn(benchmark::State& state) {
  const auto in = meids(false);
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = dfx::ident::to_pseudo_esn(in[i++ & 4095]);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_PseudoEsn);

BENCHMARK(BM_NormalizeImei);
BENCHMARK(BM_NormalizeImeiFormattedAuto);
BENCHMARK(BM_NormalizeMeidHex);
BENCHMARK(BM_NormalizeMeidDecimalAuto);

}  // namespace

BENCHMARK_MAIN();
