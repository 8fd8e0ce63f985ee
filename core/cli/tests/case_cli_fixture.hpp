// The folder a dfx case CLI test works in: its own HOME and XDG folders (so the workstation key
// is the test's own), a configuration with one in-memory register that reports 352099001761481
// stolen, and the case folder's path. Shared by case_test.cpp and case_report_test.cpp.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/build_paths.hpp"

namespace dfx::testing_support {

class CaseCliFixture : public ::testing::Test {
 protected:
  /// `name` makes the folder unique to the test program ("case-cli", "case-report-cli").
  explicit CaseCliFixture(std::string name) : name_(std::move(name)) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("dfx-" + name_ + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "config.json") << R"({"registers": [
      {"id": "met", "plugin": "register-memory", "settings": {"records": {"imei:352099001761481":
        [{"status": "stolen", "reported_at": "2024-03-01", "reporting_party": "Metropolitan Police",
          "reference": "CR/1"}]}}}]})";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  /// The dfx command line running `args` with the test's HOME and XDG folders.
  std::string dfx(const std::string& args) const {
    return "HOME=" + dir_.string() + " XDG_DATA_HOME=" + dir_.string() +
           " XDG_CONFIG_HOME=" + dir_.string() +
           " " DFX_CLI_PATH " --plugin-dir " DFX_TEST_REGISTER_DIR " " + args;
  }
  [[nodiscard]] std::filesystem::path case_path() const { return dir_ / "case"; }
  [[nodiscard]] std::string case_dir() const { return case_path().string(); }

  /// Edits the case as a forger would: the first "flagged" verdict in case.jsonl becomes
  /// "clear" (padded to the same length). False when there was no flagged verdict to change.
  bool change_a_flagged_verdict_to_clear() const {
    const auto file = case_path() / "case.jsonl";
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    const auto at = text.find("\"verdict\":\"flagged\"");
    if (at == std::string::npos) return false;
    text.replace(at, 19, "\"verdict\":\"clear\"  ");
    std::ofstream(file, std::ios::trunc) << text;
    return true;
  }

  std::filesystem::path dir_;

 private:
  std::string name_;
};

}  // namespace dfx::testing_support
