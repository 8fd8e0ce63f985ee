// Shared by the tests of dfx-registerd's requests: a token, a register made by
// `dfx register import`, and requests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "base/sha256.hpp"
#include "registerd/service.hpp"
#include "support/build_paths.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace dfx::registerd::test {

inline const std::string kToken = "s3cret-token-for-tests";

/// Tokens that know kToken, as "bench-1".
inline Tokens tokens() {
  auto t = Tokens::parse("# depot tokens\nbench-1 " + sha256_hex(kToken) + "\n", "test");
  EXPECT_TRUE(t) << t.error().message;
  return *t;
}

/// A register holding one report, of imei:353908123456789.
struct Fixture {
  testing_support::TempDir dir;
  std::filesystem::path db = dir.path() / "register.sqlite";
  Fixture() { import("353908123456789,imei,stolen,2025-03-02,Metropolitan Police,MPS-1,\n"); }

  /// `dfx register import` of these CSV rows (identifier,kind,status,reported_at,source,
  /// reference,notes) into `into` (the fixture's register by default).
  void import(const std::string& rows, const std::filesystem::path& into = {}) {
    const auto csv = dir.path() / "reports.csv";
    std::ofstream(csv) << "identifier,kind,status,reported_at,source,reference,notes\n" << rows;
    const auto r =
        testing_support::run(std::string(DFX_CLI_PATH) + " register import --register-db " +
                             (into.empty() ? db : into).string() + " " + csv.string());
    EXPECT_EQ(r.status, 0) << r.err;
  }
};

/// A GET with `token` ("" for none).
inline Request get(const std::string& path, const std::string& token = kToken) {
  return {"GET", path, token.empty() ? "" : "Bearer " + token, ""};
}

}  // namespace dfx::registerd::test
