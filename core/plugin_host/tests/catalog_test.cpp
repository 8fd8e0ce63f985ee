#include "plugin_host/catalog.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/temp_dir.hpp"

namespace dfx::plugin_host {
namespace {

using testing_support::TempDir;

std::string manifest(const std::string& id, const std::string& abi = "1.0") {
  return R"({"id":")" + id + R"(","version":"1","kind":"device","abi":")" + abi +
         R"(","library":")" + id + R"(.so","match":[{"any":true}]})";
}

TEST(Catalog, ReadsManifestsInNameOrderAndKeepsGoingPastBrokenOnes) {
  TempDir dir;
  dir.write("b.json", manifest("bravo"));
  dir.write("a.json", "{ not json");
  dir.write("c.json", manifest("charlie", "2.0"));
  dir.write("d.json", manifest("delta", "1.99"));
  dir.write("readme.txt", "ignored");
  const auto cat = build_catalog({dir.path()});
  ASSERT_EQ(cat.entries.size(), 4u);
  EXPECT_TRUE(cat.entries[0].refused);
  EXPECT_NE(cat.entries[0].reason.find("a.json: invalid JSON at line 1"), std::string::npos)
      << cat.entries[0].reason;
  EXPECT_FALSE(cat.entries[1].refused);
  EXPECT_EQ(cat.entries[1].manifest->id, "bravo");
  EXPECT_NE(cat.entries[2].reason.find("c.json: manifest declares ABI 2.0 has a different major"),
            std::string::npos)
      << cat.entries[2].reason;
  EXPECT_NE(cat.entries[3].reason.find("newer than the host's"), std::string::npos)
      << cat.entries[3].reason;
  ASSERT_EQ(cat.usable(PluginKind::Device).size(), 1u);
  EXPECT_EQ(cat.usable(PluginKind::Device)[0]->id, "bravo");
  EXPECT_TRUE(cat.usable(PluginKind::Register).empty());
}

TEST(Catalog, DuplicateIdIsRefusedNamingTheFirst) {
  TempDir one, two;
  one.write("x.json", manifest("same"));
  two.write("y.json", manifest("same"));
  const auto cat = build_catalog({one.path(), two.path()});
  ASSERT_EQ(cat.entries.size(), 2u);
  EXPECT_FALSE(cat.entries[0].refused);
  EXPECT_TRUE(cat.entries[1].refused);
  EXPECT_NE(cat.entries[1].reason.find("already provided by " + (one.path() / "x.json").string()),
            std::string::npos);
}

TEST(Catalog, FolderWritableByOthersRefusesEverythingInIt) {
  TempDir dir;
  dir.write("x.json", manifest("x"));
  ASSERT_EQ(::chmod(dir.path().c_str(), 0777), 0);
  const auto cat = build_catalog({dir.path()});
  ASSERT_EQ(cat.entries.size(), 1u);
  EXPECT_TRUE(cat.entries[0].refused);
  EXPECT_NE(cat.entries[0].reason.find("writable by other users"), std::string::npos)
      << cat.entries[0].reason;
  EXPECT_NE(cat.entries[0].reason.find(dir.path().string()), std::string::npos);
}

TEST(Catalog, ManifestWritableByOthersIsRefused) {
  TempDir dir;
  const auto p = dir.write("x.json", manifest("x"));
  ASSERT_EQ(::chmod(p.c_str(), 0666), 0);
  const auto cat = build_catalog({dir.path()});
  ASSERT_EQ(cat.entries.size(), 1u);
  EXPECT_NE(cat.entries[0].reason.find("file " + p.string() + " is writable by other users"),
            std::string::npos);
}

TEST(Catalog, MissingFolderIsAWarningNotAFailure) {
  const auto cat = build_catalog({"/nonexistent/dfx/plugins"});
  EXPECT_TRUE(cat.entries.empty());
  ASSERT_EQ(cat.warnings.size(), 1u);
  EXPECT_NE(cat.warnings[0].find("/nonexistent/dfx/plugins does not exist"), std::string::npos);
}

TEST(Catalog, PluginPathEnvironmentAddsToTheDefault) {
  ::setenv("DFX_PLUGIN_PATH", "/a:/b::/c", 1);
  const auto dirs = default_plugin_dirs();
  ::unsetenv("DFX_PLUGIN_PATH");
  ASSERT_EQ(dirs.size(), 4u);
  EXPECT_EQ(dirs[2], "/c");
  EXPECT_EQ(dirs[3].filename(), "plugins") << "the installed plugins stay";
  const auto fallback = default_plugin_dirs();
  ASSERT_EQ(fallback.size(), 1u);
  EXPECT_EQ(fallback[0].filename(), "plugins");
}

TEST(Catalog, ExplicitFoldersComeFirstAndEachFolderIsSearchedOnce) {
  const auto builtin = default_plugin_dirs().back();
  const auto dirs = plugin_dirs({"/x", builtin, "/x/../x"});
  ASSERT_EQ(dirs.size(), 2u) << "the built-in folder named again, and /x twice, are searched once";
  EXPECT_EQ(dirs[0], "/x");
  EXPECT_EQ(dirs[1], builtin);
  const auto only = plugin_dirs({"/x"}, false);
  ASSERT_EQ(only.size(), 1u) << "--no-default-plugins";
}

}  // namespace
}  // namespace dfx::plugin_host
