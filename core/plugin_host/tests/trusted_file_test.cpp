// Plugin files are checked where they really are and used through the descriptor that was
// checked: symbolic links into folders others can write, folders above a plugin folder that
// others can write, and a library swapped after the checks.
#include "plugin_host/trusted_file.hpp"

#include <dfx/plugin.h>
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "plugin_host/catalog.hpp"
#include "plugin_host/loader.hpp"
#include "support/build_paths.hpp"
#include "support/temp_dir.hpp"

namespace dfx::plugin_host {
namespace {

namespace fs = std::filesystem;
using testing_support::TempDir;

const fs::path kDir = DFX_TEST_PLUGIN_DIR;

// A copy of fixture plugin `name` (manifest and library) in `dir`.
void copy_plugin(const std::string& name, const fs::path& dir) {
  fs::copy_file(kDir / (name + ".json"), dir / (name + ".json"));
  fs::copy_file(kDir / (name + ".so"), dir / (name + ".so"));
}

TEST(TrustedFile, ALinkIntoAFolderOthersCanWriteIsRefused) {
  TempDir tmp;
  const auto plugins = tmp.path() / "plugins";
  const auto open_folder = tmp.path() / "anyone";
  fs::create_directories(plugins);
  fs::create_directories(open_folder);
  ASSERT_EQ(::chmod(open_folder.c_str(), 0777), 0);
  copy_plugin("good", plugins);
  fs::rename(plugins / "good.so", open_folder / "good.so");
  fs::create_symlink(open_folder / "good.so", plugins / "good.so");

  const auto cat = build_catalog({plugins});
  ASSERT_EQ(cat.entries.size(), 1u);
  EXPECT_FALSE(cat.entries[0].refused) << "the manifest and its folder are fine";
  auto m = read_manifest(plugins / "good.json");
  ASSERT_TRUE(m) << m.error().message;
  auto p = load_plugin(*m);
  ASSERT_FALSE(p) << "the link's folder is safe, the folder it points into is not";
  EXPECT_EQ(p.error().message, (plugins / "good.so").string() + " leads to " +
                                   (open_folder / "good.so").string() + ", but folder " +
                                   open_folder.string() +
                                   " is writable by other users (chmod o-w it)");
}

TEST(TrustedFile, EveryFolderUpToTheRootIsChecked) {
  TempDir tmp;
  const auto parent = tmp.path() / "shared";
  const auto plugins = parent / "dfx" / "plugins";
  fs::create_directories(plugins);
  copy_plugin("good", plugins);
  ASSERT_EQ(::chmod(parent.c_str(), 0777), 0);  // anyone could rename dfx/ and put theirs there
  const auto cat = build_catalog({plugins});
  ASSERT_EQ(cat.entries.size(), 1u);
  EXPECT_TRUE(cat.entries[0].refused);
  EXPECT_EQ(cat.entries[0].reason,
            "folder " + parent.string() + " is writable by other users (chmod o-w it)");
  ASSERT_EQ(::chmod(parent.c_str(), 01777), 0);  // sticky, as /tmp: others cannot replace ours
  EXPECT_FALSE(build_catalog({plugins}).entries[0].refused);
}

TEST(TrustedFile, AFileSwappedAfterTheChecksIsNotTheOneLoaded) {
  TempDir tmp;
  copy_plugin("good", tmp.path());
  copy_plugin("declines", tmp.path());
  auto file = TrustedFile::open(tmp.path() / "good.so");
  ASSERT_TRUE(file) << file.error().message;
  // Between the checks and the load, another library takes the name.
  fs::rename(tmp.path() / "declines.so", tmp.path() / "good.so");
  void* handle = ::dlopen(file->descriptor_path().c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << ::dlerror();
  using Entry = const dfx_plugin_info*(uint16_t, uint16_t);
  auto* entry = reinterpret_cast<Entry*>(::dlsym(handle, DFX_PLUGIN_ENTRY_NAME));
  ASSERT_NE(entry, nullptr);
  const dfx_plugin_info* info = entry(DFX_ABI_MAJOR, DFX_ABI_MINOR);
  ASSERT_NE(info, nullptr) << "the swapped-in library declines; the checked one answers";
  EXPECT_STREQ(info->id, "good");
  ::dlclose(handle);
}

TEST(TrustedFile, OwnerModeAndTypeOfTheOpenFileAreChecked) {
  TempDir tmp;
  const auto f = tmp.write("x.so", "not a library");
  ASSERT_EQ(::chmod(f.c_str(), 0646), 0);
  auto open = TrustedFile::open(f);
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().message,
            "file " + f.string() + " is writable by other users (chmod o-w it)");
  ASSERT_EQ(::mkfifo((tmp.path() / "fifo.so").c_str(), 0600), 0);
  auto fifo = TrustedFile::open(tmp.path() / "fifo.so");
  ASSERT_FALSE(fifo) << "opened without waiting, then refused";
  EXPECT_EQ(fifo.error().message, (tmp.path() / "fifo.so").string() + ": not a regular file");
  EXPECT_EQ(unsafe_owner_or_mode(1234, 0, S_IFREG | 0644, "file f"),
            ::geteuid() == 1234 ? std::nullopt
                                : std::optional<std::string>("file f is owned by another user "
                                                             "(uid 1234)"));
}

TEST(TrustedFile, ReadsAreBoundedAndComeFromTheDescriptor) {
  TempDir tmp;
  const auto f = tmp.write("m.json", "{\"id\": \"x\"}");
  auto file = TrustedFile::open(f);
  ASSERT_TRUE(file) << file.error().message;
  fs::rename(tmp.write("new.json", "replaced"), f);  // a new file under the same name
  auto text = file->read(1024, "not a manifest");
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "{\"id\": \"x\"}");
  auto small = file->read(4, "not a manifest");
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().message, f.string() + ": larger than 4 bytes, not a manifest");
}

}  // namespace
}  // namespace dfx::plugin_host
