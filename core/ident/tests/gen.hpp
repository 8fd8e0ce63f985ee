// Deterministic generators of identifiers for the property and differential tests. Uses
// std::mt19937_64 (fully specified by the standard) and plain modulo instead of the
// distributions (whose output differs between standard libraries), so a seed gives the same
// inputs everywhere.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "ident/checksum.hpp"

namespace dfx::ident::testing {

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}

  /// Uniform-enough integer in [0, n).
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }
  bool coin(unsigned percent = 50) { return below(100) < percent; }

  std::string digits(std::size_t n) {
    std::string s(n, '0');
    for (char& c : s) c = static_cast<char>('0' + below(10));
    return s;
  }
  std::string hex(std::size_t n) {
    std::string s(n, '0');
    for (char& c : s) c = "0123456789ABCDEF"[below(16)];
    return s;
  }

  /// A valid 15-digit IMEI.
  std::string imei() {
    std::string s = digits(14);
    s.push_back(*luhn_check_digit(s));
    return s;
  }
  /// A 14-digit hex MEID body with regional code A0-FF (so it contains at least one letter).
  std::string meid_hex() { return std::string(1, "ABCDEF"[below(6)]) + hex(13); }

  /// `s` with `count` separators from `seps` inserted at random places.
  std::string sprinkle(const std::string& s, std::string_view seps, std::size_t count) {
    std::string out = s;
    for (std::size_t i = 0; i < count; ++i)
      out.insert(below(out.size() + 1), 1, seps[below(seps.size())]);
    return out;
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace dfx::ident::testing
