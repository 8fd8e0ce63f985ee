// Shared by the register tests: a register in a temporary folder, files written into it, and
// one-identifier lookups.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "register_store/import.hpp"
#include "register_store/register_store.hpp"
#include "support/temp_dir.hpp"

namespace dfx::register_store::test {

using dfx::testing_support::TempDir;

inline constexpr const char* kHeader = "identifier,status,reported_at,source,reference,notes\n";

/// The records the store holds for (kind, identifier).
inline std::vector<Record> records_of(RegisterStore& store, std::string_view kind,
                                      std::string_view identifier) {
  const LookupKey key{kind, identifier};
  auto r = store.lookup(std::span<const LookupKey>(&key, 1));
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? (*r)[0] : std::vector<Record>{};
}

/// Number of records in the store.
inline std::int64_t record_count(RegisterStore& store) {
  auto s = store.stats();
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  return s ? s->records : -1;
}

/// A valid IMEI (Luhn check digit added) from a 14-digit body.
inline std::string imei(std::string body) {
  int sum = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    int d = body[body.size() - 1 - i] - '0';
    if (i % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + static_cast<char>('0' + (10 - sum % 10) % 10);
}

}  // namespace dfx::register_store::test
