// dfx::base: hex, SHA-256, UTC timestamps, JSON error places and the user-file locations.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "base/hex.hpp"
#include "base/json_file.hpp"
#include "base/paths.hpp"
#include "base/sha256.hpp"
#include "base/utc_time.hpp"

namespace {

TEST(Hex, BytesAsTwoDigitsEach) {
  const std::array<unsigned char, 4> b{0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(dfx::to_hex(b), "000fa5ff");
  EXPECT_EQ(dfx::to_hex(b, true), "000FA5FF");
  EXPECT_EQ(dfx::to_hex(std::string_view("AZ")), "415a");
  std::string out = "x";
  dfx::append_hex(out, 0x9b);
  EXPECT_EQ(out, "x9b");
}

TEST(Sha256, KnownVectorsAndARunningDigest) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(dfx::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(dfx::sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  dfx::Sha256 running;
  running.update("a");
  EXPECT_EQ(running.hex(), dfx::sha256_hex("a")) << "hex() leaves the digest usable";
  running.update("bc");
  EXPECT_EQ(running.hex(), dfx::sha256_hex("abc"));
}

TEST(UtcTime, SecondsAndMilliseconds) {
  using namespace std::chrono;
  const auto t =
      sys_days{year{2024} / 5 / 1} + hours{12} + minutes{34} + seconds{56} + milliseconds{7};
  EXPECT_EQ(dfx::utc_iso8601(t), "2024-05-01T12:34:56Z");
  EXPECT_EQ(dfx::utc_iso8601(t, true), "2024-05-01T12:34:56.007Z");
}

TEST(JsonFile, LineAndColumnOfTheFault) {
  EXPECT_EQ(dfx::line_column("ab\ncd", 4), "line 2, column 2");
  auto j = dfx::parse_json("{\n  x", "cfg.json");
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().message.rfind("cfg.json: invalid JSON at line 2, column ", 0), 0u)
      << j.error().message;
  EXPECT_EQ((*dfx::parse_json(R"({"a": 1})", "x"))["a"], 1);
}

TEST(JsonFile, ReadsSmallRegularFilesOnly) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("dfx-base-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.json") << "{}";
  EXPECT_EQ(*dfx::read_small_file(dir / "a.json", 10, "not a test file"), "{}");
  std::ofstream(dir / "big.json") << std::string(2048, ' ');
  EXPECT_EQ(dfx::read_small_file(dir / "big.json", 1024, "not a test file").error().message,
            (dir / "big.json").string() + ": larger than 1 KiB, not a test file");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(dfx::read_small_file(dir / "fifo", 10, "x").error().message,
            (dir / "fifo").string() + ": not a regular file")
      << "a FIFO is refused at once, not waited on";
  std::filesystem::remove_all(dir);
}

TEST(UserFile, OptionThenVariableThenXdgThenHome) {
  std::map<std::string, std::string> env;
  const dfx::GetEnv get = [&](const char* n) -> const char* {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  using dfx::XdgBase;
  using Source = dfx::UserFile::Source;
  env = {{"DFX_DB", "/e/dfx.sqlite"},
         {"XDG_DATA_HOME", "/x"},
         {"XDG_CONFIG_HOME", "/c"},
         {"HOME", "/h"}};
  auto r = dfx::locate_user_file("/o/db.sqlite", "DFX_DB", XdgBase::Data, "dfx.sqlite", get);
  EXPECT_EQ(r->path, "/o/db.sqlite");
  EXPECT_EQ(r->source, Source::Option);
  EXPECT_TRUE(r->named());
  r = dfx::locate_user_file("", "DFX_DB", XdgBase::Data, "dfx.sqlite", get);
  EXPECT_EQ(r->path, "/e/dfx.sqlite");
  EXPECT_EQ(r->source, Source::Environment);
  env["DFX_DB"] = "";
  r = dfx::locate_user_file("", "DFX_DB", XdgBase::Data, "dfx.sqlite", get);
  EXPECT_EQ(r->path, "/x/dfx/dfx.sqlite");
  EXPECT_EQ(r->source, Source::Default);
  EXPECT_FALSE(r->named());
  EXPECT_EQ(dfx::locate_user_file("", "DFX_CONFIG", XdgBase::Config, "config.json", get)->path,
            "/c/dfx/config.json");
  env["XDG_DATA_HOME"] = "relative/data";  // the XDG spec says: ignore a relative path
  env["XDG_CONFIG_HOME"] = "relative";
  EXPECT_EQ(dfx::locate_user_file("", "DFX_DB", XdgBase::Data, "dfx.sqlite", get)->path,
            "/h/.local/share/dfx/dfx.sqlite");
  EXPECT_EQ(dfx::locate_user_file("", "DFX_CONFIG", XdgBase::Config, "config.json", get)->path,
            "/h/.config/dfx/config.json");
  env.clear();
  r = dfx::locate_user_file("", "DFX_DB", XdgBase::Data, "dfx.sqlite", get);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("set $DFX_DB"), std::string::npos) << r.error().message;
}

}  // namespace
