// Fidelity of the emulated adbd: Debian's real adb (29.x, libusb backend)
// against the sample authorised phone, inside a testbed of this process.
//
// The adb server runs on a private port with a private HOME whose key it
// generated itself (`adb keygen`); the phone authorises ${HOME}/.android/
// adbkey.pub exactly as the catalogue file says. Every adb process started
// here lives in one process group (dfx::testing::ProcessGroup) that is killed
// by id at the end, whatever the outcome, and the test then checks that no adb
// process with our HOME is left (the daemonising client could otherwise leave
// a server behind).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <dfx/testing/testing.hpp>

#include <gtest/gtest.h>
#include "emulator.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const fs::path kCatalogue = ANDROID_HANDSETS_DIR;

std::string find_adb() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && ::access((dir + "/adb").c_str(), X_OK) == 0) return dir + "/adb";
  return {};
}

int free_tcp_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(s);
  return port;
}

bool port_listens(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

/// `adb -P <port> <args>`: every client talks to the test's private server.
std::vector<std::string> adb_command(const std::string& adb, int port,
                                     const std::vector<std::string>& args) {
  std::vector<std::string> argv{adb, "-P", std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

TEST(AdbFidelity, RealAdbListsThePhoneAndReadsItsModel) {
  const std::string adb = find_adb();
  if (adb.empty())
    GTEST_SKIP()
        << "adb is not installed (Debian package adb); the fidelity check needs the real client";
  const auto started = Clock::now();

  auto tb = dfx::testing::Testbed::create();
  ASSERT_TRUE(tb) << tb.error();
  const char* tmp = std::getenv("TMPDIR");
  const std::string home = std::string(tmp ? tmp : "/tmp") + "/adbhome";
  fs::remove_all(home);
  fs::create_directories(home + "/.android");

  const int port = free_tcp_port();
  ASSERT_GT(port, 0);
  // Every adb process of the test: one process group, killed by id; the private HOME in their
  // environment finds any that left it (setsid).
  dfx::testing::ProcessGroup adbs(
      {"HOME", home}, {{"ADB_LIBUSB", "1"}, {"ANDROID_ADB_SERVER_PORT", std::to_string(port)}});
  auto run_adb = [&](const std::vector<std::string>& args, std::chrono::milliseconds limit,
                     int* status = nullptr) {
    return adbs.run(adb_command(adb, port, args), home + "/client.out", limit, status);
  };

  // The workstation key, made by adb itself.
  auto keygen = run_adb({"keygen", home + "/.android/adbkey"}, 20s);
  ASSERT_TRUE(keygen) << keygen.error();
  ASSERT_TRUE(fs::exists(home + "/.android/adbkey.pub")) << *keygen;

  // The sample phone, unchanged: it trusts ${HOME}/.android/adbkey.pub.
  ::setenv("HOME", home.c_str(), 1);
  auto handset = dfx::testing::load_handset(kCatalogue / "android-pixel-mtp-adb.json");
  ASSERT_TRUE(handset) << handset.error();
  // Built from the file's params directly (not plug_handset) to keep a handle on what adbd saw.
  auto emulator = dfx::testing::make_adbd_emulator(
      {handset->usb, handset->behavior.params_of("adbd"), handset->id});
  ASSERT_TRUE(emulator) << emulator.error();
  dfx::testing::AdbdEmulator* adbd = emulator->get();
  auto device = (*tb)->plug(handset->usb, std::move(*emulator));
  ASSERT_TRUE(device) << device.error();
  const std::string serial = handset->usb.serial.text;

  auto server = adbs.spawn(adb_command(adb, port, {"nodaemon", "server"}), home + "/server.log");
  ASSERT_TRUE(server) << server.error();
  const auto server_deadline = Clock::now() + 10s;
  while (!port_listens(port) && Clock::now() < server_deadline) std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(port_listens(port)) << "adb server did not listen on port " << port;
  const auto server_up = Clock::now();

  std::string listing;
  const auto deadline = Clock::now() + 20s;
  while (Clock::now() < deadline) {
    auto r = run_adb({"devices", "-l"}, 10s);
    if (r) listing = *r;
    if (listing.find(serial + " ") != std::string::npos &&
        listing.find(" device ") != std::string::npos)
      break;
    std::this_thread::sleep_for(100ms);
  }
  const auto listed = Clock::now();
  std::ifstream log(home + "/server.log");
  const std::string server_log((std::istreambuf_iterator<char>(log)), {});
  ASSERT_NE(listing.find(serial), std::string::npos) << listing << "\nserver log:\n" << server_log;
  const auto seen = adbd->record();
  EXPECT_TRUE(seen.online) << "tokens " << seen.tokens_sent << ", signatures "
                           << seen.signatures_received;
  EXPECT_GE(seen.signatures_accepted, 1u) << "adb's own key must pass the RSA check";
  EXPECT_NE(listing.find(" device "), std::string::npos) << listing;
  EXPECT_NE(listing.find("model:Pixel_7"), std::string::npos) << listing;
  EXPECT_NE(listing.find("product:panther"), std::string::npos) << listing;
  EXPECT_NE(listing.find("device:panther"), std::string::npos) << listing;

  int status = 0;
  auto model = run_adb({"-s", serial, "shell", "getprop", "ro.product.model"}, 20s, &status);
  ASSERT_TRUE(model) << "adb shell: " << model.error();
  EXPECT_EQ(*model, "Pixel 7\n") << "server log:\n" << server_log;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  const auto shelled = Clock::now();
  // adb 29 without shell_v2 in the banner uses a plain shell: stream; exactly what it sent:
  const auto services = adbd->record().services;
  ASSERT_FALSE(services.empty());
  EXPECT_EQ(services.back(), "shell:getprop ro.product.model");
  std::cout << "[ devices  ] " << listing;
  std::cout << "[ services ]";
  for (const auto& s : services) std::cout << " \"" << s << "\"";
  std::cout << "\n";

  EXPECT_TRUE(adbs.kill_all()) << "adb processes left behind";

  auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  std::cout << "[ timing ] server up " << ms(server_up - started) << " ms, listed as device +"
            << ms(listed - server_up) << " ms, shell getprop +" << ms(shelled - listed)
            << " ms, total " << ms(Clock::now() - started) << " ms\n";
}

}  // namespace
