// Shared by the register tests: a register in a temporary folder, files written into it, and
// one-identifier lookups.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "register_store/import.hpp"
#include "register_store/register_store.hpp"
#include "support/imei.hpp"
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
using dfx::testing_support::imei;

}  // namespace dfx::register_store::test
