// Fidelity of the emulated iPhone: Debian's real usbmuxd (1.1.1) and libimobiledevice's tools
// (idevice_id, ideviceinfo 1.3.0) against plugins/apple/handsets/iphone-normal.json, plugged in
// a testbed of this process.
//
// usbmuxd has no option for its socket or its folders: it listens on /var/run/usbmuxd (→ /run)
// and creates /var/lib/lockdown. It runs here in a private mount namespace (`unshare -m`, mounts
// private) whose /run and /var/lib are bind mounts of this test's own folders, so nothing of the
// workstation's is touched and its socket is reachable from outside the namespace by the bound
// folder's path (USBMUXD_SOCKET_ADDRESS=UNIX:<folder>/usbmuxd). It runs with -p (no preflight):
// preflight would write UntrustedHostBUID to the phone and ask it to pair. The clients run with
// -s (no pairing attempt). The virtual device is found through the umockdev preload every child
// inherits. All processes started here share one process group (dfx::testing::ProcessGroup),
// killed by id at the end; the test then checks that none is left (by a marker in their
// environment).
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

const fs::path kCatalogue = APPLE_HANDSETS_DIR;

std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(std::string(path ? path : "/usr/bin:/bin") + ":/usr/sbin:/sbin");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  return {};
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The value of "Key: value" in ideviceinfo's output.
std::string field(const std::string& listing, const std::string& key) {
  std::stringstream lines(listing);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(key + ": ", 0) == 0) return line.substr(key.size() + 2);
  return "<missing " + key + ">";
}

/// Fixture: a phone of the catalogue plugged in a testbed, the real usbmuxd serving it from a
/// private mount namespace, and a way to run clients against that usbmuxd.
class UsbmuxdFidelity : public ::testing::Test {
 protected:
  void SetUp() override {
    usbmuxd = find_program("usbmuxd");
    idevice_id = find_program("idevice_id");
    ideviceinfo = find_program("ideviceinfo");
    unshare = find_program("unshare");
    if (usbmuxd.empty()) GTEST_SKIP() << "usbmuxd is not installed (Debian package usbmuxd)";
    if (idevice_id.empty() || ideviceinfo.empty())
      GTEST_SKIP() << "idevice_id/ideviceinfo are not installed (Debian libimobiledevice-utils)";
    if (unshare.empty()) GTEST_SKIP() << "unshare is not installed (util-linux)";
    if (::geteuid() != 0)
      GTEST_SKIP() << "needs root: usbmuxd runs in a private mount namespace (unshare -m)";
    started = Clock::now();
    auto made = dfx::testing::Testbed::create();
    ASSERT_TRUE(made) << made.error();
    tb = std::move(*made);
    const char* tmp = std::getenv("TMPDIR");
    dir = fs::path(tmp ? tmp : "/tmp") / "usbmuxd-fidelity";
    fs::remove_all(dir);
    fs::create_directories(dir / "run");
    fs::create_directories(dir / "varlib" / "lockdown");
    socket = (dir / "run" / "usbmuxd").string();
    procs = std::make_unique<dfx::testing::ProcessGroup>(
        dfx::testing::EnvVar{"DFX_USBMUXD_FIDELITY", dir.string()},
        std::vector<dfx::testing::EnvVar>{{"USBMUXD_SOCKET_ADDRESS", "UNIX:" + socket}});
  }
  void TearDown() override {
    if (procs) procs->kill_all();
    procs.reset();
    tb.reset();
  }

  /// Plugs `name` from the catalogue with its usbmux emulator.
  void plug(const std::string& name) {
    const fs::path file = kCatalogue / (name + ".json");
    auto handset = dfx::testing::load_handset(file);
    ASSERT_TRUE(handset) << handset.error();
    auto emulator = dfx::testing::make_usbmux_emulator(
        {handset->usb, handset->behavior.params_of("usbmux"), file.string()});
    ASSERT_TRUE(emulator) << emulator.error();
    phone = emulator->get();
    auto device = tb->plug(handset->usb, std::move(*emulator));
    ASSERT_TRUE(device) << device.error();
    // iSerialNumber with the hyphen usbmuxd inserts into 24-character UDIDs.
    const std::string serial = handset->usb.serial.text;
    udid = serial.substr(0, 8) + "-" + serial.substr(8);
  }

  /// Starts usbmuxd -f -p with the private /run and /var/lib, and waits until it lists the phone.
  void start_usbmuxd() {
    const std::string script = "mount --bind '" + (dir / "run").string() +
                               "' /run && mount --bind '" + (dir / "varlib").string() +
                               "' /var/lib && exec '" + usbmuxd + "' -f -p -U root -v";
    const auto daemon = procs->spawn(
        {unshare, "-m", "--propagation", "private", "/bin/sh", "-c", script}, dir / "usbmuxd.log");
    ASSERT_TRUE(daemon) << daemon.error();
    const auto socket_deadline = Clock::now() + 10s;
    while (!fs::exists(socket) && Clock::now() < socket_deadline) std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(fs::exists(socket)) << "usbmuxd made no socket; its log:\n" << log();
    daemon_up = Clock::now();
    const auto list_deadline = Clock::now() + 20s;
    while (Clock::now() < list_deadline) {
      if (auto r = client({idevice_id, "-l"}, 10s)) listing = *r;
      if (listing.find(udid) != std::string::npos) break;
      std::this_thread::sleep_for(100ms);
    }
    listed = Clock::now();
    ASSERT_NE(listing.find(udid), std::string::npos) << listing << "\nusbmuxd log:\n" << log();
  }

  std::string log() const { return slurp(dir / "usbmuxd.log"); }

  /// Runs a client to completion (bounded): its output, or why not (it ran over `limit`).
  tl::expected<std::string, std::string> client(const std::vector<std::string>& argv,
                                                std::chrono::milliseconds limit,
                                                int* status = nullptr) {
    return procs->run(argv, dir / "client.out", limit, status);
  }

  /// usbmuxd saw the phone as a version 2 device and complained about nothing: its log has no
  /// fatal, error or warning line ("[time][0..2]").
  void expect_usbmuxd_content() const {
    const std::string text = log();
    EXPECT_NE(text.find("Connected to v2.0 device"), std::string::npos) << text;
    std::stringstream lines(text);
    for (std::string line; std::getline(lines, line);)
      for (const char* level : {"][0] ", "][1] ", "][2] "})
        EXPECT_EQ(line.find(level), std::string::npos) << line;
  }

  /// Kills every process of the test and checks none is left. SIGKILL at once (ProcessGroup):
  /// under the testbed usbmuxd did not act on SIGTERM within a second (outside it, it does), and
  /// nothing it would clean up is the workstation's.
  void stop_everything() { EXPECT_TRUE(procs->kill_all()) << "processes left behind"; }

  void print_timing(const char* what) const {
    auto ms = [](auto d) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    };
    std::cout << "[ timing ] usbmuxd up " << ms(daemon_up - started) << " ms, listed +"
              << ms(listed - daemon_up) << " ms, " << what << " +" << ms(Clock::now() - listed)
              << " ms\n";
  }

  std::string usbmuxd, idevice_id, ideviceinfo, unshare;
  std::unique_ptr<dfx::testing::Testbed> tb;
  fs::path dir;
  std::string socket, udid, listing;
  /// Every process of the test: one process group, killed by id, and a marker in their
  /// environment (DFX_USBMUXD_FIDELITY=<dir>) for any that left it.
  std::unique_ptr<dfx::testing::ProcessGroup> procs;
  dfx::testing::UsbmuxEmulator* phone = nullptr;
  Clock::time_point started, daemon_up, listed;
};

TEST_F(UsbmuxdFidelity, IdeviceinfoReadsTheUnpairedPhone) {
  ASSERT_NO_FATAL_FAILURE(plug("iphone-normal"));
  ASSERT_NO_FATAL_FAILURE(start_usbmuxd());
  EXPECT_EQ(udid, "00008020-001D2CD90128002E");

  int status = 0;
  auto all = client({ideviceinfo, "-s", "-u", udid}, 20s, &status);
  ASSERT_TRUE(all) << all.error() << "; usbmuxd log:\n" << log();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << *all;
  EXPECT_EQ(field(*all, "UniqueDeviceID"), udid) << *all;
  EXPECT_EQ(field(*all, "ProductType"), "iPhone11,2") << *all;
  EXPECT_EQ(field(*all, "UniqueChipID"), "8212084863533102") << *all;
  EXPECT_EQ(field(*all, "HardwareModel"), "D321AP") << *all;
  EXPECT_EQ(field(*all, "SerialNumber"), "<missing SerialNumber>") << "not without pairing";

  auto ecid = client({ideviceinfo, "-s", "-u", udid, "-k", "UniqueChipID"}, 20s, &status);
  ASSERT_TRUE(ecid);
  EXPECT_EQ(*ecid, "8212084863533102\n");
  auto product = client({ideviceinfo, "-s", "-u", udid, "-k", "ProductType"}, 20s, &status);
  ASSERT_TRUE(product);
  EXPECT_EQ(*product, "iPhone11,2\n");

  // What the phone saw: usbmux set up, lockdown read, and nothing that writes (-p works).
  const auto seen = phone->record();
  EXPECT_TRUE(seen.version_answered);
  EXPECT_TRUE(seen.setup_received);
  EXPECT_TRUE(seen.refused_requests.empty()) << seen.refused_requests.front();
  EXPECT_TRUE(seen.errors.empty()) << seen.errors.front();
  std::size_t get_values = 0;
  for (const auto& r : seen.requests) {
    EXPECT_EQ(r.request, "GetValue");
    get_values += r.request == "GetValue";
  }
  EXPECT_EQ(get_values, 3u);
  EXPECT_EQ(seen.sessions_started, 0u);
  expect_usbmuxd_content();
  std::cout << "[ idevice_id ] " << listing << "[ requests   ]";
  for (const auto& r : seen.requests)
    std::cout << " " << r.request << (r.key.empty() ? "" : ":" + r.key);
  std::cout << "\n";

  stop_everything();
  // usbmuxd wrote only into the bound folders, and nothing there: no pair record, no
  // SystemConfiguration.plist; the workstation's /var/lib/lockdown is not touched.
  EXPECT_TRUE(fs::is_empty(dir / "varlib" / "lockdown"));
  print_timing("three ideviceinfo -s runs");
}

TEST_F(UsbmuxdFidelity, IdeviceinfoReadsAPairedSession) {
  // The host side of the pairing where usbmuxd keeps it: ideviceinfo (without -s) then opens a
  // session with its HostID and TLS with its certificate, and never tries to pair.
  ASSERT_NO_FATAL_FAILURE(plug("iphone-normal-paired"));
  fs::copy_file(kCatalogue / "pair-records" / (udid + ".plist"),
                dir / "varlib" / "lockdown" / (udid + ".plist"));
  ASSERT_NO_FATAL_FAILURE(start_usbmuxd());

  int status = 0;
  auto all = client({ideviceinfo, "-u", udid}, 20s, &status);
  ASSERT_TRUE(all) << all.error() << "; usbmuxd log:\n" << log();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << *all;
  EXPECT_EQ(field(*all, "SerialNumber"), "F2LXK0AB3KPF") << *all;
  EXPECT_EQ(field(*all, "InternationalMobileEquipmentIdentity"), "357201091234560") << *all;
  EXPECT_EQ(field(*all, "ProductType"), "iPhone11,2") << *all;
  auto imei2 = client({ideviceinfo, "-u", udid, "-k", "InternationalMobileEquipmentIdentity2"}, 20s,
                      &status);
  ASSERT_TRUE(imei2);
  EXPECT_EQ(*imei2, "357201096543213\n");

  const auto seen = phone->record();
  EXPECT_EQ(seen.sessions_started, 2u);
  EXPECT_EQ(seen.tls_completed, 2u) << "libimobiledevice's TLS client accepted the phone";
  EXPECT_EQ(seen.sessions_stopped, 2u) << "lockdownd_client_free stops the session";
  EXPECT_TRUE(seen.refused_requests.empty()) << seen.refused_requests.front();
  EXPECT_TRUE(seen.errors.empty()) << seen.errors.front();
  expect_usbmuxd_content();
  std::cout << "[ requests   ]";
  for (const auto& r : seen.requests)
    std::cout << " " << r.request << (r.key.empty() ? "" : ":" + r.key)
              << (r.in_session ? "(tls)" : "");
  std::cout << "\n";

  stop_everything();
  print_timing("two paired ideviceinfo runs");
}

}  // namespace
