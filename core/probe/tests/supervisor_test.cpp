// Isolation: real dfx-probe worker processes running misbehaving plugins.
#include "probe/supervisor.hpp"

#include <dfx/plugin.h>

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include "support/build_paths.hpp"

namespace dfx::probe {
namespace {

const std::filesystem::path kDir = DFX_TEST_PLUGIN_DIR;

usb::DeviceFacts device(const std::string& serial) {
  usb::DeviceFacts d;
  d.bus = 1;
  d.address = 9;
  d.port_path = {3};
  d.vendor_id = 0x18D1;
  d.product_id = 0x4EE2;
  d.serial_number = serial;
  return d;
}

ProbeJob job(const std::string& plugin, const std::string& serial = "SERIAL-1") {
  return {Mode::Probe, plugin, kDir / (plugin + ".json"), device(serial), ""};
}

SupervisorOptions options(int timeout_ms = 5000) {
  SupervisorOptions o;
  o.worker = DFX_PROBE_PATH;
  o.timeout = std::chrono::milliseconds(timeout_ms);
  return o;
}

std::string claim(const ProbeOutcome& o, const std::string& kind) {
  for (const auto& c : o.claims)
    if (c.kind == kind) return c.value;
  return "";
}

TEST(Supervisor, GoodPluginReturnsClaimsAndLogs) {
  const auto out = run_probes({job("good")}, options());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].ok) << out[0].error;
  EXPECT_EQ(out[0].code, "ok");
  EXPECT_EQ(claim(out[0], "serial"), "SERIAL-1");
  ASSERT_TRUE(out[0].plugin);
  EXPECT_EQ(out[0].plugin->version, "0.0.1");
  ASSERT_FALSE(out[0].logs.empty());
  EXPECT_EQ(out[0].logs[0].message, "good plugin saw SERIAL-1");
  EXPECT_GT(out[0].worker_pid, 0);
  EXPECT_NE(out[0].worker_pid, ::getpid());
}

TEST(Supervisor, CrashBecomesAnErrorAndKeepsEarlierClaims) {
  const auto out = run_probes({job("crash"), job("good")}, options());
  EXPECT_FALSE(out[0].ok);
  EXPECT_EQ(out[0].code, "crashed");
  EXPECT_NE(out[0].error.find("plugin crash crashed: SIGSEGV"), std::string::npos) << out[0].error;
  EXPECT_EQ(claim(out[0], "serial"), "BEFORE-CRASH");
  EXPECT_TRUE(out[1].ok) << "the host goes on: " << out[1].error;
}

TEST(Supervisor, HangIsKilledAtTheDeadline) {
  // 1.5 s: long enough for the good plugin's worker to start and answer on a loaded machine
  // under AddressSanitizer (300 ms was not), short enough to keep the test quick.
  const auto out = run_probes({job("hang"), job("good")}, options(1500));
  EXPECT_FALSE(out[0].ok);
  EXPECT_EQ(out[0].code, "timeout");
  EXPECT_NE(out[0].error.find("plugin hang timed out after 1500 ms; worker killed"),
            std::string::npos)
      << out[0].error;
  EXPECT_GE(out[0].duration_ms, 1500.0);
  EXPECT_EQ(::kill(static_cast<pid_t>(out[0].worker_pid), 0), -1) << "the hung worker must be gone";
  EXPECT_TRUE(out[1].ok) << out[1].error;
}

TEST(Supervisor, GarbageReplyIsAProtocolErrorWithoutWaitingForTheDeadline) {
  const auto out = run_probes({job("junk"), job("good")}, options(20000));
  EXPECT_FALSE(out[0].ok);
  EXPECT_EQ(out[0].code, "protocol");
  EXPECT_NE(out[0].error.find("plugin junk: malformed reply from worker: bad magic 0x48545450"),
            std::string::npos)
      << out[0].error;
  // Deterministic bound: far below the 20 s deadline means the junk, not the clock, ended it.
  EXPECT_LT(out[0].duration_ms, 10000.0);
  EXPECT_TRUE(out[1].ok) << out[1].error;
}

// A plugin can write frames of its own on fd 3, around the worker's limits: the host applies
// them again, ends the probe as `protocol` at once and keeps what arrived before.
TEST(Supervisor, TheHostEnforcesTheLimitsOnRawFrames) {
  auto out = run_probes({job("flood", "BIG-CLAIM"), job("flood", "LOG-FLOOD"),
                         job("flood", "MANY-BYTES"), job("good")},
                        options(60000));
  // The findings flood runs on its own: four floods at once under a sanitizer on two cores take
  // long (15 s seen). The deadline is far beyond that, so that "ended by the limit" below is
  // told from "ended by the deadline" by a wide margin, not by the machine's speed.
  out.push_back(run_probes({job("flood", "FINDINGS")}, options(60000)).front());
  const char* expected[] = {"bytes exceeds the 65536-byte limit", "more than 1001 log lines",
                            "worker sent more than 64 MiB", "", "more than 64 findings"};
  for (int i : {0, 1, 2, 4}) {
    SCOPED_TRACE(i);
    EXPECT_EQ(out[i].code, "protocol");
    EXPECT_NE(out[i].error.find(expected[i]), std::string::npos) << out[i].error;
    EXPECT_EQ(claim(out[i], "serial"), "BEFORE-FLOOD") << "what came before is kept";
    EXPECT_LE(out[i].logs.size(), 1001u);
    EXPECT_LE(out[i].claims.size(), 4096u);
    EXPECT_LT(out[i].duration_ms, 40000.0) << "ended by the limit, not by the 60 s deadline";
  }
  EXPECT_GT(out[2].claims.size(), 1u) << "claims of legal size before the byte limit are kept";
  EXPECT_TRUE(out[3].ok) << out[3].error;
  EXPECT_EQ(out[4].findings.size(), 72u) << "the findings up to the limit are kept";
}

// The worker sends the USB transcript after Done, from outside the sandbox. A plugin that forges
// one on the socket it shares (even a complete one, with a true hash) ends its probe as
// `protocol`: the worker's real transcript follows the forged one, and the host takes one only.
TEST(Supervisor, AForgedTranscriptEndsTheProbeAndIsNotTaken) {
  auto opt = options(20000);
  opt.transcripts = true;
  const auto out = run_probes({job("flood", "FORGE-TRANSCRIPT"), job("good")}, opt);
  EXPECT_FALSE(out[0].ok);
  EXPECT_EQ(out[0].code, "protocol");
  EXPECT_NE(out[0].error.find("a second transcript"), std::string::npos) << out[0].error;
  EXPECT_FALSE(out[0].transcript) << "the forged (or any) transcript is not kept";
  EXPECT_FALSE(out[0].transcript_missing.empty());
  EXPECT_EQ(claim(out[0], "serial"), "BEFORE-FLOOD") << "what came before is kept";
  // The good plugin's worker sent its transcript: a header and an end, no USB call made.
  ASSERT_TRUE(out[1].ok) << out[1].error;
  ASSERT_TRUE(out[1].transcript) << out[1].transcript_missing;
  EXPECT_NE(out[1].transcript->find("\"dfx_transcript\":1"), std::string::npos);
  EXPECT_NE(out[1].transcript->find("\"end\":true"), std::string::npos);
  // Without transcripts asked for, a Transcript frame is refused too.
  const auto unasked = run_probes({job("flood", "FORGE-TRANSCRIPT")}, options(20000));
  EXPECT_EQ(unasked[0].code, "protocol");
  EXPECT_NE(unasked[0].error.find("not asked for"), std::string::npos) << unasked[0].error;
}

// What a hostile plugin tries from inside dfx-probe's sandbox (the escape fixture reports each
// attempt as a claim): it runs without capabilities or a way to gain them, sees no secret of the
// environment, no file outside its own folder and the system's libraries, no network, no other
// device, cannot start processes or reset and reconfigure a device, and leaves nothing running.
bool process_named(const std::string& name) {
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::ifstream comm(e.path() / "comm");
    std::string c;
    if (std::getline(comm, c) && c == name) return true;
  }
  return false;
}

TEST(Supervisor, ThePluginRunsInASandbox) {
  ::setenv("DFX_TEST_SECRET", "hunter2", 1);
  const auto out = run_probes({job("escape"), job("good")}, options());
  ::unsetenv("DFX_TEST_SECRET");
  ASSERT_TRUE(out[0].ok) << out[0].error;
  const auto status = claim(out[0], "x_status");
  EXPECT_NE(status.find("Uid:\t" + std::to_string(::getuid()) + "\t"), std::string::npos)
      << "the same user, without its rights: " << status;
  EXPECT_NE(status.find("CapEff:\t0000000000000000"), std::string::npos) << status;
  EXPECT_NE(status.find("CapBnd:\t0000000000000000"), std::string::npos) << status;
  EXPECT_NE(status.find("NoNewPrivs:\t1"), std::string::npos) << status;
  EXPECT_NE(status.find("Seccomp:\t2"), std::string::npos) << status;
  EXPECT_EQ(claim(out[0], "x_secret"), "-") << "the environment is cleared";
  EXPECT_EQ(claim(out[0], "x_shadow"), "No such file or directory");
  EXPECT_EQ(claim(out[0], "x_other_device"), "No such file or directory");
  EXPECT_EQ(claim(out[0], "x_network"), "Operation not permitted");
  EXPECT_NE(claim(out[0], "x_write_home"), "ok");
  EXPECT_NE(claim(out[0], "x_write_tmp"), "ok");
  EXPECT_EQ(claim(out[0], "x_escapee"), "Operation not permitted") << "no new processes";
  EXPECT_EQ(claim(out[0], "x_reset"), "Operation not permitted");
  EXPECT_EQ(claim(out[0], "x_set_configuration"), "Operation not permitted");
  EXPECT_FALSE(process_named("dfx-escapee")) << "a setsid() grandchild dies with the probe";
  // It holds 0, 1, 2, the protocol socket, its library, the USB broker's socket and the
  // sandbox's report pipe: no device, none of the worker's other descriptors.
  const auto fds = claim(out[0], "x_descriptors");
  EXPECT_EQ(fds.find("/dev/bus/usb"), std::string::npos) << fds;
  EXPECT_LE(std::count(fds.begin(), fds.end(), '='), 7) << fds;
  EXPECT_NE(fds.find("escape.so"), std::string::npos) << fds;
  // Its USB call went to the worker, which holds the device (absent here) and said why it failed.
  EXPECT_NE(claim(out[0], "x_device_read").find("/dev/bus/usb/001/009"), std::string::npos)
      << claim(out[0], "x_device_read");
  EXPECT_TRUE(out[1].ok) << out[1].error;
}

// The host API sends only what the plugin's manifest declares (this one declares nothing);
// each refusal is returned as DFX_ERR_DENIED and said in the probe's log with the device.
TEST(Supervisor, UndeclaredRequestsAreRefusedAndLogged) {
  const auto out = run_probes({job("undeclared")}, options());
  ASSERT_TRUE(out[0].ok) << out[0].error;
  const std::string denied = std::to_string(DFX_ERR_DENIED) + " refused: ";
  for (const char* kind :
       {"x_vendor_in", "x_class_out", "x_accessory_start", "x_bulk_out", "x_claim"}) {
    SCOPED_TRACE(kind);
    EXPECT_EQ(claim(out[0], kind).rfind(denied, 0), 0u) << claim(out[0], kind);
  }
  EXPECT_NE(claim(out[0], "x_vendor_in").find("0xc0/0x01 (vendor, device, IN) is not declared"),
            std::string::npos);
  EXPECT_NE(claim(out[0], "x_accessory_start").find("accessory-mode requests"), std::string::npos);
  const auto logged = std::count_if(out[0].logs.begin(), out[0].logs.end(), [](const LogLine& l) {
    return l.level == "warn" &&
           l.message.rfind("USB request to 18d1:4ee2 at 1-3 refused: ", 0) == 0;
  });
  EXPECT_EQ(logged, 5);
}

TEST(Supervisor, EarlyExitAndExceptionsAreReported) {
  const auto out = run_probes({job("exit-early"), job("throws")}, options());
  EXPECT_EQ(out[0].code, "worker");
  EXPECT_NE(out[0].error.find("worker exited with status 7 without an answer"), std::string::npos)
      << out[0].error;
  EXPECT_EQ(out[1].code, "plugin_error");
  EXPECT_NE(out[1].error.find("plugin throws: unhandled exception: vendor library lost its mind"),
            std::string::npos)
      << out[1].error;
}

TEST(Supervisor, RefusedPluginIsReportedByTheWorker) {
  const auto out = run_probes({job("id-mismatch")}, options());
  EXPECT_EQ(out[0].code, "refused");
  EXPECT_NE(out[0].error.find("library reports id \"somebody-else\""), std::string::npos)
      << out[0].error;
}

TEST(Supervisor, ReadOnlyPolicyDeniesStateChangingControlRequests) {
  const auto out = run_probes({job("denied")}, options());
  ASSERT_TRUE(out[0].ok) << out[0].error;
  const auto why = claim(out[0], "x_denied");
  EXPECT_EQ(why.rfind(std::to_string(DFX_ERR_DENIED) + " ", 0), 0u) << why;
  EXPECT_NE(why.find("SET_CONFIGURATION"), std::string::npos) << why;
}

TEST(Supervisor, MissingWorkerIsAnErrorPerJob) {
  auto o = options();
  o.worker = "/nonexistent/dfx-probe";
  const auto out = run_probes({job("good")}, o);
  EXPECT_EQ(out[0].code, "worker");
  EXPECT_NE(out[0].error.find("cannot start worker /nonexistent/dfx-probe"), std::string::npos)
      << out[0].error;
}

TEST(Supervisor, ConcurrentProbesOverlapAndNeverMixResults) {
  ::setenv("DFX_TEST_SLEEP_MS", "150", 1);
  std::vector<ProbeJob> jobs;
  for (int i = 0; i < 12; ++i)
    jobs.push_back(job(i % 4 == 3 ? "crash" : "good", "SERIAL-" + std::to_string(i)));
  auto o = options();
  o.parallel = 6;
  const auto out = run_probes(jobs, o);
  ::unsetenv("DFX_TEST_SLEEP_MS");
  ASSERT_EQ(out.size(), jobs.size());
  std::vector<std::pair<long long, long long>> spans;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i % 4 == 3) {
      EXPECT_EQ(out[i].code, "crashed");
      continue;
    }
    ASSERT_TRUE(out[i].ok) << out[i].error;
    EXPECT_EQ(claim(out[i], "serial"), "SERIAL-" + std::to_string(i))
        << "results must stay with their device";
    spans.emplace_back(std::stoll(claim(out[i], "x_started_us")),
                       std::stoll(claim(out[i], "x_ended_us")));
  }
  // At least two probes ran at the same time (their [start, end] intervals intersect).
  bool overlap = false;
  for (std::size_t a = 0; a < spans.size(); ++a)
    for (std::size_t b = a + 1; b < spans.size(); ++b)
      overlap |= spans[a].first < spans[b].second && spans[b].first < spans[a].second;
  EXPECT_TRUE(overlap);
}

TEST(Supervisor, InProcessModeRunsTheSameCode) {
  auto o = options();
  o.in_process = true;
  const auto out = run_probes({job("good"), job("throws")}, o);
  EXPECT_TRUE(out[0].ok) << out[0].error;
  EXPECT_EQ(claim(out[0], "serial"), "SERIAL-1");
  EXPECT_EQ(out[0].worker_pid, -1);
  EXPECT_EQ(out[1].code, "plugin_error");
}

}  // namespace
}  // namespace dfx::probe

namespace dfx::probe {
namespace {

TEST(Supervisor, JobsOfOneDeviceRunOneAtATime) {
  ::setenv("DFX_TEST_SLEEP_MS", "60", 1);
  std::vector<ProbeJob> jobs;
  for (int i = 0; i < 6; ++i) {
    auto j = job("good", "SERIAL-" + std::to_string(i));
    j.exclusive_key = i < 3 ? "1-1" : "1-2";
    jobs.push_back(j);
  }
  const auto out = run_probes(jobs, options());
  ::unsetenv("DFX_TEST_SLEEP_MS");
  auto span = [&](int i) {
    return std::make_pair(std::stoll(claim(out[i], "x_started_us")),
                          std::stoll(claim(out[i], "x_ended_us")));
  };
  for (const auto& o : out) ASSERT_TRUE(o.ok) << o.error;
  for (int a = 0; a < 6; ++a)
    for (int b = a + 1; b < 6; ++b) {
      const auto sa = span(a), sb = span(b);
      const bool overlap = sa.first < sb.second && sb.first < sa.second;
      if ((a < 3) == (b < 3)) {
        EXPECT_FALSE(overlap) << "same device, jobs " << a << " and " << b;
      }
    }
}

}  // namespace
}  // namespace dfx::probe
