// The range query's index, without a register: prefixes parsed strictly, and exactly the
// identifiers whose SHA-256 starts with a prefix found, at every length and at the edges of
// the hash space (checked against a scan of every hash).
#include "registerd/key_hash_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/sha256.hpp"

namespace dfx::registerd {
namespace {

// Distinct identifiers, enough for several to share their first four hex digits (2,000 hashes
// over 65,536 four-digit prefixes: dozens of pairs).
std::vector<std::string> identifiers(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("35390812" + std::to_string(1000000 + i));
  return out;
}

// What matching() must find: the identifiers whose hash's hex starts with `prefix`, by scan.
std::set<std::string> scan(const std::vector<std::string>& ids, const std::string& prefix) {
  static std::map<std::string, std::string> hex_of;  // hashed once for every test
  std::set<std::string> out;
  for (const auto& id : ids) {
    auto [at, added] = hex_of.try_emplace(id);
    if (added) at->second = sha256_hex(id);
    if (at->second.rfind(prefix, 0) == 0) out.insert(id);
  }
  return out;
}

std::set<std::string> found(const KeyHashIndex& index, const std::string& prefix) {
  std::set<std::string> out;
  for (const auto& e : index.matching(prefix)) {
    EXPECT_EQ(hash_hex(e.hash), sha256_hex(e.identifier));
    out.insert(e.identifier);
  }
  return out;
}

TEST(KeyHashIndex, PrefixesAreFourToThirtyTwoHexDigitsLowerCased) {
  EXPECT_EQ(parse_hash_prefix("3fa9").value_or(""), "3fa9");
  EXPECT_EQ(parse_hash_prefix("3FA9C").value_or(""), "3fa9c");
  const std::string longest(32, 'e');
  EXPECT_EQ(parse_hash_prefix(longest).value_or(""), longest);
  for (const std::string& bad :
       std::vector<std::string>{"", "3fa", std::string(33, 'e'), std::string(64, 'e')}) {
    auto r = parse_hash_prefix(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("4 to 32 hex digits"), std::string::npos) << r.error().message;
  }
  for (const std::string bad : {"3fag", "3fa-9", "3fa 9", "0x3fa9", "3fa9\xc3\xa9"}) {
    auto r = parse_hash_prefix(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("hex digits (0-9, a-f)"), std::string::npos)
        << r.error().message;
    EXPECT_EQ(r.error().message.find(bad), std::string::npos) << "the reason repeats no prefix";
  }
}

TEST(KeyHashIndex, FindsExactlyTheIdentifiersWithAFourDigitPrefix) {
  const auto ids = identifiers(2000);
  auto index = KeyHashIndex::from_identifiers("tag", ids);
  ASSERT_TRUE(index) << index.error().message;
  EXPECT_EQ(index->size(), ids.size());
  EXPECT_EQ(index->content_sha256(), "tag");
  std::map<std::string, int> by_prefix;
  for (const auto& id : ids) ++by_prefix[sha256_hex(id).substr(0, 4)];
  int shared = 0;
  for (const auto& [prefix, n] : by_prefix) {
    const auto got = found(*index, prefix);
    EXPECT_EQ(got, scan(ids, prefix)) << prefix;
    EXPECT_EQ(got.size(), static_cast<std::size_t>(n)) << prefix;
    shared += n > 1;
  }
  EXPECT_GT(shared, 0) << "some four-digit prefixes are shared, and all their identifiers found";
}

TEST(KeyHashIndex, FindsOneIdentifierByThirtyTwoDigitsAndNoneByANeighbour) {
  const auto ids = identifiers(2000);
  auto index = KeyHashIndex::from_identifiers("tag", ids);
  ASSERT_TRUE(index);
  for (const auto& id : ids) {
    const std::string prefix = sha256_hex(id).substr(0, 32);
    EXPECT_EQ(found(*index, prefix), std::set<std::string>{id});
    // The same prefix with its last digit one off either way: a different range entirely.
    for (int step : {-1, 1}) {
      std::string other = prefix;
      const char c = other.back();
      const int v = (c <= '9' ? c - '0' : c - 'a' + 10) + step;
      if (v < 0 || v > 15) continue;
      other.back() = "0123456789abcdef"[v];
      EXPECT_TRUE(found(*index, other).empty()) << other;
    }
  }
}

TEST(KeyHashIndex, EveryLengthAndTheEdgesOfTheHashSpaceAgreeWithAScan) {
  const auto ids = identifiers(300);
  auto index = KeyHashIndex::from_identifiers("tag", ids);
  ASSERT_TRUE(index);
  for (const auto& id : ids) {
    const std::string hex = sha256_hex(id);
    // Odd lengths end in half a byte: the bound of the last nibble must hold too.
    for (std::size_t n = kMinPrefixDigits; n <= kMaxPrefixDigits; ++n) {
      const std::string prefix = hex.substr(0, n);
      EXPECT_EQ(found(*index, prefix), scan(ids, prefix)) << prefix;
      ASSERT_TRUE(found(*index, prefix).count(id)) << prefix;
    }
  }
  for (const std::string& edge :
       std::vector<std::string>{"0000", "00000", "ffff", "fffff", std::string(32, '0'),
                                std::string(32, 'f'), "7fff", "8000"})
    EXPECT_EQ(found(*index, edge), scan(ids, edge)) << edge;
  // The lowest and highest hashes of the sample: the first and the last entries of the index.
  std::vector<std::string> hexes;
  for (const auto& id : ids) hexes.push_back(sha256_hex(id));
  std::sort(hexes.begin(), hexes.end());
  for (const auto& hex : {hexes.front(), hexes.back()})
    for (std::size_t n : {kMinPrefixDigits, kMaxPrefixDigits}) {
      const auto got = found(*index, hex.substr(0, n));
      EXPECT_FALSE(got.empty()) << hex;
      EXPECT_EQ(got, scan(ids, hex.substr(0, n))) << hex;
    }
}

TEST(KeyHashIndex, AnEmptyIndexMatchesNothing) {
  auto index = KeyHashIndex::from_identifiers("", {});
  ASSERT_TRUE(index);
  EXPECT_EQ(index->size(), 0u);
  EXPECT_TRUE(index->matching("0000").empty());
  EXPECT_TRUE(index->matching(std::string(32, 'f')).empty());
}

}  // namespace
}  // namespace dfx::registerd
