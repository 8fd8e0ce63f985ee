// Fidelity of the emulated adbd: Debian's real adb (29.x, libusb backend)
// against the sample authorised phone, inside a testbed of this process.
//
// The adb server runs on a private port with a private HOME whose key it
// generated itself (`adb keygen`); the phone authorises ${HOME}/.android/
// adbkey.pub exactly as the catalogue file says. Every adb process started
// here lives in one process group that is killed by id at the end, whatever
// the outcome, and the test then checks that no adb process with our HOME is
// left (the daemonising client could otherwise leave a server behind).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
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

/// Every adb process of the test: one process group, killed by id.
class AdbProcesses {
 public:
  AdbProcesses(std::string adb, std::string home, int port)
      : adb_(std::move(adb)), home_(std::move(home)), port_(port) {}
  ~AdbProcesses() { kill_all(); }

  /// Starts `adb <args>` in the group with stdout to `out_file`; returns its pid.
  pid_t spawn(const std::vector<std::string>& args, const std::string& out_file) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, group_);  // group_ 0: this child founds the group
      const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(out, 1);
      ::dup2(out, 2);
      // Only fds 0-2, like dfx-lab: an inherited fd broke umockdev's ioctl stream before.
      for (int fd = 3; fd < 1024; ++fd) ::close(fd);
      ::setenv("HOME", home_.c_str(), 1);
      ::setenv("ADB_LIBUSB", "1", 1);
      ::setenv("ANDROID_ADB_SERVER_PORT", std::to_string(port_).c_str(), 1);
      std::vector<char*> argv{const_cast<char*>("adb"), const_cast<char*>("-P"), nullptr};
      const std::string port = std::to_string(port_);
      argv[2] = const_cast<char*>(port.c_str());
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(adb_.c_str(), argv.data());
      ::_exit(127);
    }
    if (pid > 0) {
      if (group_ == 0) group_ = pid;
      ::setpgid(pid, group_);  // both sides set it: no race with the exec
    }
    return pid;
  }

  /// Runs a client command to completion (bounded); its output, or nullopt on timeout.
  std::optional<std::string> run(const std::vector<std::string>& args,
                                 std::chrono::milliseconds limit, int* status = nullptr) {
    const std::string out_file = home_ + "/client.out";
    const pid_t pid = spawn(args, out_file);
    const auto deadline = Clock::now() + limit;
    int st = 0;
    while (::waitpid(pid, &st, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &st, 0);
        return std::nullopt;
      }
      std::this_thread::sleep_for(10ms);
    }
    if (status) *status = st;
    std::ifstream in(out_file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  /// Processes whose environment holds our private HOME: adb servers and clients of this test.
  std::vector<pid_t> ours() const {
    std::vector<pid_t> found;
    const std::string needle = "HOME=" + home_;
    for (const auto& e : fs::directory_iterator("/proc")) {
      const std::string name = e.path().filename();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream env(e.path() / "environ");
      std::string all((std::istreambuf_iterator<char>(env)), {});
      std::stringstream vars(all);
      for (std::string v; std::getline(vars, v, '\0');)
        if (v == needle) found.push_back(static_cast<pid_t>(std::stoi(name)));
    }
    return found;
  }

  void kill_all() {
    if (group_ > 0) ::kill(-group_, SIGKILL);
    for (pid_t p : ours()) ::kill(p, SIGKILL);  // anything that left the group (setsid)
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {}
    const auto deadline = Clock::now() + 2s;
    while (!ours().empty() && Clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
      while (::waitpid(-1, nullptr, WNOHANG) > 0) {}
    }
  }

 private:
  std::string adb_, home_;
  int port_;
  pid_t group_ = 0;
};

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
  AdbProcesses adbs(adb, home, port);

  // The workstation key, made by adb itself.
  auto keygen = adbs.run({"keygen", home + "/.android/adbkey"}, 20s);
  ASSERT_TRUE(keygen);
  ASSERT_TRUE(fs::exists(home + "/.android/adbkey.pub")) << *keygen;

  // The sample phone, unchanged: it trusts ${HOME}/.android/adbkey.pub.
  ::setenv("HOME", home.c_str(), 1);
  auto handset = dfx::testing::load_handset(kCatalogue / "android-pixel-mtp-adb.json");
  ASSERT_TRUE(handset) << handset.error();
  // Built from the file's params directly (not plug_handset) to keep a handle on what adbd saw.
  auto emulator =
      dfx::testing::make_adbd_emulator({handset->usb, handset->behavior.params, handset->id});
  ASSERT_TRUE(emulator) << emulator.error();
  dfx::testing::AdbdEmulator* adbd = emulator->get();
  auto device = (*tb)->plug(handset->usb, std::move(*emulator));
  ASSERT_TRUE(device) << device.error();
  const std::string serial = handset->usb.serial.text;

  adbs.spawn({"nodaemon", "server"}, home + "/server.log");
  const auto server_deadline = Clock::now() + 10s;
  while (!port_listens(port) && Clock::now() < server_deadline) std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(port_listens(port)) << "adb server did not listen on port " << port;
  const auto server_up = Clock::now();

  std::string listing;
  const auto deadline = Clock::now() + 20s;
  while (Clock::now() < deadline) {
    auto r = adbs.run({"devices", "-l"}, 10s);
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
  auto model = adbs.run({"-s", serial, "shell", "getprop", "ro.product.model"}, 20s, &status);
  ASSERT_TRUE(model) << "adb shell timed out";
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

  adbs.kill_all();
  EXPECT_TRUE(adbs.ours().empty()) << "adb processes left behind";

  auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  std::cout << "[ timing ] server up " << ms(server_up - started) << " ms, listed as device +"
            << ms(listed - server_up) << " ms, shell getprop +" << ms(shelled - listed)
            << " ms, total " << ms(Clock::now() - started) << " ms\n";
}

}  // namespace
