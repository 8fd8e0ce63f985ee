// Field rules (status, reported_at) and where the register file is.
#include <gtest/gtest.h>

#include <map>

#include "register_store/location.hpp"
#include "register_store/record.hpp"

namespace dfx::register_store {
namespace {

TEST(RegisterRecord, StatusIsCaseInsensitiveAndStoredLowerCase) {
  EXPECT_EQ(parse_status("Stolen"), "stolen");
  EXPECT_EQ(parse_status(" LOST "), "lost");
  for (auto s : kStatuses) EXPECT_EQ(parse_status(s), std::string(s));
  EXPECT_FALSE(parse_status("stole"));
  EXPECT_FALSE(parse_status(""));
  EXPECT_FALSE(parse_status("recovered"));
}

TEST(RegisterRecord, ReportedAtAcceptsIsoDatesAndDateTimes) {
  for (const char* ok :
       {"2024-03-18", "2024-02-29", "2024-03-18T14:05", "2024-03-18T14:05:09",
        "2024-03-18T14:05:09Z", "2024-03-18T14:05:09.123Z", "2024-03-18T14:05:09+01:00",
        "2024-03-18T14:05-0530", "2024-12-31T23:59:60Z"})
    EXPECT_EQ(reported_at_problem(ok), "") << ok;
}

TEST(RegisterRecord, ReportedAtRejectionsSayWhy) {
  EXPECT_EQ(reported_at_problem("2024-13-01"), "month 13 does not exist");
  EXPECT_EQ(reported_at_problem("2023-02-29"), "day 29 does not exist in 2023-02");
  EXPECT_EQ(reported_at_problem("2024-04-31"), "day 31 does not exist in 2024-04");
  EXPECT_EQ(reported_at_problem("2024-03-18T24:00"), "time 24:00 does not exist");
  for (const char* bad : {"18/03/2024", "2024-3-18", "2024-03-18 14:05", "2024-03-18T14",
                          "2024-03-18T14:05:09X", "yesterday", "2024-03-18T14:05:09."})
    EXPECT_NE(reported_at_problem(bad).find("expected YYYY-MM-DD"), std::string::npos) << bad;
}

TEST(RegisterLocation, ExplicitThenEnvironmentThenXdgThenHome) {
  std::map<std::string, std::string> env;
  const GetEnv get = [&](const char* n) -> const char* {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  env = {{"DFX_REGISTER_DB", "/e/r.sqlite"}, {"XDG_DATA_HOME", "/x"}, {"HOME", "/h"}};
  EXPECT_EQ(*resolve_register_path("/opt/r.sqlite", get), "/opt/r.sqlite");
  EXPECT_EQ(*resolve_register_path("", get), "/e/r.sqlite");
  env.erase("DFX_REGISTER_DB");
  EXPECT_EQ(*resolve_register_path("", get), "/x/dfx/register.sqlite");
  env["XDG_DATA_HOME"] = "relative/data";  // ignored, as the XDG spec says
  EXPECT_EQ(*resolve_register_path("", get), "/h/.local/share/dfx/register.sqlite");
  env.clear();
  EXPECT_FALSE(resolve_register_path("", get));
}

}  // namespace
}  // namespace dfx::register_store
