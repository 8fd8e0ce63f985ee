// plan_for: the plugin's folder, its declared data paths resolved with the environment, and its
// declared variables; nothing else.
#include "probe/sandbox_plan.hpp"

#include <gtest/gtest.h>

#include <map>

#include "support/temp_dir.hpp"

namespace dfx::probe {
namespace {

namespace fs = std::filesystem;

GetEnv env_of(const std::map<std::string, std::string>& vars) {
  return [vars](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

plugin_host::Manifest manifest(const fs::path& folder) {
  plugin_host::Manifest m;
  m.id = "android";
  m.path = folder / "android.json";
  m.sandbox.environment = {"HOME", "ADB_VENDOR_KEYS", "UNSET"};
  m.sandbox.paths = {{{"$ANDROID_USER_HOME", "$HOME/.android"}, true, false, "key"},
                     {{"$ADB_VENDOR_KEYS"}, false, true, "keys"}};
  return m;
}

TEST(SandboxPlan, ThePluginFolderAndTheDeclaredPathsOnly) {
  testing_support::TempDir t;
  const auto vendor = t.path() / "vendor.key";
  t.write("vendor.key", "k");
  const auto plan = plan_for(manifest(t.path()),
                             env_of({{"HOME", t.path().string()},
                                     {"ADB_VENDOR_KEYS", vendor.string() + "::/nonexistent"},
                                     {"DFX_TEST_SECRET", "hunter2"}}),
                             std::chrono::seconds(12));
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->paths.size(), 3u);
  EXPECT_EQ(plan->paths[0].path, t.path());
  EXPECT_FALSE(plan->paths[0].writable);
  EXPECT_EQ(plan->paths[1].path, t.path() / ".android") << "$HOME/.android, as ANDROID_USER_HOME "
                                                           "is unset";
  EXPECT_TRUE(plan->paths[1].writable);
  EXPECT_TRUE(fs::is_directory(t.path() / ".android")) << "created, for the key";
  EXPECT_EQ(fs::status(t.path() / ".android").permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(plan->paths[2].path, vendor) << "a list: each existing item, read-only";
  EXPECT_FALSE(plan->paths[2].writable);
  EXPECT_EQ(plan->environment,
            (std::vector<std::string>{"HOME=" + t.path().string(),
                                      "ADB_VENDOR_KEYS=" + vendor.string() + "::/nonexistent"}));
  EXPECT_EQ(plan->cpu_time, std::chrono::seconds(12));
}

TEST(SandboxPlan, TheWholeFileSystemIsRefused) {
  testing_support::TempDir t;
  auto m = manifest(t.path());
  m.sandbox.paths = {{{"$ROOTISH"}, false, false, "everything"}};
  const auto plan = plan_for(m, env_of({{"ROOTISH", "/usr/.."}}), std::chrono::seconds(1));
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().message, "plugin android: data path /usr/.. is the whole file system");
}

}  // namespace
}  // namespace dfx::probe
