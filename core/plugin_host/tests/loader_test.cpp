// Loads the deliberately broken test plugins in this process and checks each refusal's reason.
#include "plugin_host/loader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include "support/build_paths.hpp"

namespace dfx::plugin_host {
namespace {

const std::filesystem::path kDir = DFX_TEST_PLUGIN_DIR;

std::string refusal(const std::string& name) {
  auto m = read_manifest(kDir / (name + ".json"));
  EXPECT_TRUE(m) << (m ? "" : m.error().message);
  if (!m) return "";
  auto p = load_plugin(*m);
  EXPECT_FALSE(p.has_value()) << name << " should be refused";
  return p ? "" : p.error().message;
}

TEST(Loader, LoadsAGoodPlugin) {
  auto m = read_manifest(kDir / "good.json");
  ASSERT_TRUE(m);
  auto p = load_plugin(*m);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_STREQ(p->info().id, "good");
  EXPECT_EQ(p->abi(), host_abi());
  EXPECT_NE(p->info().probe, nullptr);
}

TEST(Loader, RefusesMissingEntrySymbol) {
  const auto e = refusal("no-entry");
  EXPECT_NE(e.find("no-entry.so: missing entry symbol dfx_plugin_entry"), std::string::npos) << e;
}

TEST(Loader, RefusesOtherAbiMajor) {
  const auto e = refusal("abi-major");
  EXPECT_NE(e.find("abi-major.so: library reports ABI 2.0 has a different major"),
            std::string::npos)
      << e;
}

TEST(Loader, RefusesNewerAbiMinor) {
  const auto e = refusal("abi-minor");
  const AbiVersion newer{DFX_ABI_MAJOR, DFX_ABI_MINOR + 1};
  EXPECT_NE(e.find("abi-minor.so: library reports ABI " + newer.str() +
                   " is newer than the host's " + host_abi().str()),
            std::string::npos)
      << e;
}

TEST(Loader, RefusesIdMismatch) {
  const auto e = refusal("id-mismatch");
  EXPECT_NE(e.find("library reports id \"somebody-else\" but its manifest id-mismatch.json "
                   "declares \"id-mismatch\""),
            std::string::npos)
      << e;
}

TEST(Loader, RefusesMissingLibrary) {
  const auto e = refusal("missing-library");
  EXPECT_NE(e.find("missing-library.so named by"), std::string::npos) << e;
  EXPECT_NE(e.find("does not exist"), std::string::npos) << e;
}

TEST(Loader, RefusesAnEntryThatDeclines) {
  const auto e = refusal("declines");
  EXPECT_NE(e.find("declined to load"), std::string::npos) << e;
}

TEST(Loader, RefusesALibraryThatIsNotAnElfFile) {
  const auto dir = std::filesystem::temp_directory_path() / "dfx-loader-notelf";
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms(0755));
  std::ofstream(dir / "fake.so") << "this is not a shared object";
  std::ofstream(dir / "fake.json")
      << R"({"id":"fake","version":"1","kind":"device","abi":"1.0","library":"fake.so","match":[{"any":true}]})";
  auto m = read_manifest(dir / "fake.json");
  ASSERT_TRUE(m);
  auto p = load_plugin(*m);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("fake.so: cannot load"), std::string::npos) << p.error().message;
}

}  // namespace
}  // namespace dfx::plugin_host
