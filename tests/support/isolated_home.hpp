// Included by test programs that run dfx: before main(), points HOME and the XDG folders at a
// fresh folder of this process, so that nothing a test runs reads or writes the user's own
// configuration, register, TAC list or adb keys (dfx creates the default register and the
// Android plugin creates a workstation key on first use). Removed again at exit.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace dfx::testing_support {

inline const std::filesystem::path& isolated_home() {
  static const std::filesystem::path home = [] {
    auto dir =
        std::filesystem::temp_directory_path() / ("dfx-test-home-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    ::setenv("HOME", dir.c_str(), 1);
    ::setenv("XDG_DATA_HOME", (dir / ".local" / "share").c_str(), 1);
    ::setenv("XDG_CONFIG_HOME", (dir / ".config").c_str(), 1);
    ::unsetenv("DFX_CONFIG");
    ::unsetenv("DFX_REGISTER_DB");
    ::unsetenv("DFX_DB");
    ::unsetenv("ANDROID_USER_HOME");
    ::unsetenv("ADB_VENDOR_KEYS");
    // A leaked copy: the exit handler runs after static destructors of this translation unit.
    static const auto* to_remove = new std::filesystem::path(dir);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(*to_remove, ec);
    });
    return dir;
  }();
  return home;
}

namespace {
// Runs isolated_home() during static initialisation of every program that includes this.
[[maybe_unused]] const bool kHomeIsolated = !isolated_home().empty();
}  // namespace

}  // namespace dfx::testing_support
