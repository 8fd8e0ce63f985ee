// Key discovery and generation, always in temporary folders: no real ~/.android is touched.
#include "key_store.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>

#include "fake_peer.hpp"

namespace dfx::android {
namespace {

namespace fs = std::filesystem;

class KeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("dfx-android-keys-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "home");
    env_.home = (root_ / "home").string();
    env_.user_host = "tech@bench";
  }
  void TearDown() override { fs::remove_all(root_); }

  void write_key(const fs::path& p, int which) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << *testing::shared_test_key(which).private_pem();
  }

  fs::path root_;
  KeyEnvironment env_;
};

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 0777;
}

TEST_F(KeyStoreTest, KeyDirFollowsAndroidUserHomeThenHome) {
  EXPECT_EQ(*adb_key_dir(env_), fs::path(env_.home) / ".android");
  env_.android_user_home = (root_ / "auh").string();
  EXPECT_EQ(*adb_key_dir(env_), root_ / "auh");
  KeyEnvironment none;
  EXPECT_EQ(adb_key_dir(none).error().code, Errc::not_found);
}

TEST_F(KeyStoreTest, LoadsTheUserKey) {
  write_key(root_ / "home/.android/adbkey", 0);
  auto ring = load_key_ring(env_, true);
  ASSERT_EQ(ring.count(), 1u);
  EXPECT_FALSE(ring.generated);
  EXPECT_EQ(*ring.keys[0].android_public_key(), *testing::shared_test_key(0).android_public_key());
  auto pub = ring.public_key();
  ASSERT_TRUE(pub);
  EXPECT_TRUE(pub->ends_with(" tech@bench"));
}

TEST_F(KeyStoreTest, GeneratesAPairWhenThereIsNone) {
  env_.android_user_home = (root_ / "android-home").string();
  auto ring = load_key_ring(env_, true);
  ASSERT_EQ(ring.count(), 1u);
  ASSERT_TRUE(ring.generated);
  const fs::path key = root_ / "android-home/adbkey";
  EXPECT_EQ(*ring.generated, key);
  EXPECT_TRUE(fs::exists(key));
  EXPECT_TRUE(fs::exists(key.string() + ".pub"));
  EXPECT_EQ(mode_of(key), 0600u);
  EXPECT_EQ(mode_of(key.string() + ".pub"), 0600u);
  EXPECT_FALSE(fs::exists(root_ / "home/.android"));  // HOME untouched
  // The .pub file is what the phone would be offered, with a newline.
  std::ifstream in(key.string() + ".pub");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, *ring.public_key());
  bool said_where = false;
  for (const auto& n : ring.notes)
    said_where = said_where || n.find(key.string()) != std::string::npos;
  EXPECT_TRUE(said_where);
  // A second load finds it instead of generating again.
  auto again = load_key_ring(env_, true);
  EXPECT_FALSE(again.generated);
  ASSERT_EQ(again.count(), 1u);
  EXPECT_EQ(*again.keys[0].android_public_key(), *ring.keys[0].android_public_key());
}

TEST_F(KeyStoreTest, NoGenerationWhenNotAsked) {
  auto ring = load_key_ring(env_, false);
  EXPECT_EQ(ring.count(), 0u);
  EXPECT_FALSE(fs::exists(root_ / "home/.android/adbkey"));
  EXPECT_FALSE(ring.public_key());
}

TEST_F(KeyStoreTest, VendorKeysFilesAndFolders) {
  write_key(root_ / "home/.android/adbkey", 0);
  write_key(root_ / "vendor/lab.adb_key", 1);
  write_key(root_ / "vendor/dup.adb_key", 0);  // same as the user key: ignored
  std::ofstream(root_ / "vendor/readme.txt") << "not a key";
  std::ofstream(root_ / "vendor/broken.adb_key") << "garbage";
  write_key(root_ / "single/some-key.pem", 1);  // listed as a file: loaded (duplicate)
  env_.vendor_keys = (root_ / "vendor").string() + ":" + (root_ / "missing").string() +
                     "::" + (root_ / "single/some-key.pem").string();
  auto ring = load_key_ring(env_, true);
  ASSERT_EQ(ring.count(), 2u);
  EXPECT_EQ(*ring.keys[1].android_public_key(), *testing::shared_test_key(1).android_public_key());
  std::string all;
  for (const auto& n : ring.notes) all += n + "\n";
  EXPECT_NE(all.find("duplicate"), std::string::npos) << all;
  EXPECT_NE(all.find("broken.adb_key"), std::string::npos) << all;
  EXPECT_NE(all.find("does not exist"), std::string::npos) << all;
  EXPECT_EQ(all.find("readme.txt"), std::string::npos) << all;
}

TEST_F(KeyStoreTest, WriteKeyPairNeverOverwrites) {
  const fs::path key = root_ / "adbkey";
  ASSERT_TRUE(write_key_pair(testing::shared_test_key(0), key, "a@b"));
  auto second = write_key_pair(testing::shared_test_key(1), key, "a@b");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::io);
  std::ifstream in(key);
  std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(pem, *testing::shared_test_key(0).private_pem());
}

TEST_F(KeyStoreTest, SignsWithEachKeyInOrder) {
  write_key(root_ / "home/.android/adbkey", 0);
  write_key(root_ / "vendor/b.adb_key", 1);
  env_.vendor_keys = (root_ / "vendor").string();
  auto ring = load_key_ring(env_, false);
  ASSERT_EQ(ring.count(), 2u);
  std::array<uint8_t, 20> t{};
  auto s0 = ring.sign(0, t);
  auto s1 = ring.sign(1, t);
  ASSERT_TRUE(s0 && s1);
  EXPECT_TRUE(
      testing::verify_adb_signature(*testing::shared_test_key(0).android_public_key(), t, *s0));
  EXPECT_TRUE(
      testing::verify_adb_signature(*testing::shared_test_key(1).android_public_key(), t, *s1));
  EXPECT_EQ(ring.sign(2, t).error().code, Errc::not_found);
}

}  // namespace
}  // namespace dfx::android

namespace dfx::android {
namespace {

TEST(KeyEnvironment, ReadsTheProcessEnvironment) {
  // The test binary runs with HOME and ANDROID_USER_HOME pointing at a temporary folder
  // (fake_peer.cpp), so even this test touches no real key.
  ::setenv("ADB_VENDOR_KEYS", "/nonexistent/a:/nonexistent/b", 1);
  ::setenv("LOGNAME", "tech", 1);
  ::setenv("HOSTNAME", "bench", 1);
  const auto env = KeyEnvironment::from_process();
  EXPECT_EQ(env.home, std::getenv("HOME"));
  EXPECT_EQ(env.android_user_home, std::getenv("ANDROID_USER_HOME"));
  EXPECT_NE(env.home.find("dfx-android-test-home"), std::string::npos);
  EXPECT_EQ(env.vendor_keys, "/nonexistent/a:/nonexistent/b");
  EXPECT_EQ(env.user_host, "tech@bench");
  ::unsetenv("ADB_VENDOR_KEYS");
}

}  // namespace
}  // namespace dfx::android
