// dfx-lab: runs any command with virtual handsets plugged in (umockdev), for tests, the demo and
// plugin authors. See docs/testing-without-hardware.md.
//
//   dfx-lab run --handsets samples/lab [--hotplug script] -- dfx scan --format json
//   dfx-lab list --handsets samples/lab
//   dfx-lab run --handsets CASE/transcripts/<sha256>.jsonl -- dfx scan   (a recorded reading)
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <dfx/testing/handset.hpp>
#include <dfx/testing/testbed.hpp>
#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "lab/hotplug_script.hpp"
#include "lab/transcript_handset.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using dfx::testing::HandsetSpec;

constexpr int kExitLabError = 70;  // EX_SOFTWARE: the lab itself could not be set up

std::atomic<pid_t> g_child{0};

void forward_signal(int sig) {
  if (const pid_t pid = g_child.load(); pid > 0) ::kill(pid, sig);
}

dfx::Result<std::vector<HandsetSpec>> load_all(const std::vector<std::string>& paths) {
  std::vector<HandsetSpec> all;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::path(p).extension() == ".jsonl") {  // a recorded reading (a case's transcript)
      auto recorded = dfx::lab::transcript_handset(p);
      if (!recorded) return dfx::fail(recorded.error().message);
      all.push_back(std::move(*recorded));
      continue;
    }
    auto loaded = fs::is_directory(p, ec) ? dfx::testing::load_handset_directory(p)
                                          : dfx::testing::load_handset(p).map([](HandsetSpec h) {
                                              return std::vector<HandsetSpec>{std::move(h)};
                                            });
    if (!loaded) return dfx::fail(loaded.error());
    for (auto& h : *loaded) all.push_back(std::move(h));
  }
  std::map<std::string, fs::path> seen;
  for (const auto& h : all)
    if (auto [it, fresh] = seen.emplace(h.id, h.source); !fresh)
      return dfx::fail("handset id \"" + h.id + "\" appears twice: " + it->second.string() +
                       " and " + h.source.string());
  return all;
}

std::string usb_id(const HandsetSpec& h) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04x:%04x", h.usb.vendor_id, h.usb.product_id);
  return buf;
}

// Re-runs this program under umockdev's preload (umockdev-wrapper), once.
[[noreturn]] void reexec_under_preload(int argc, char** argv) {
  if (std::getenv("DFX_LAB_REEXEC")) {
    std::cerr
        << "dfx-lab: still not under umockdev's preload after re-running; is libumockdev-preload "
           "installed (Debian package umockdev)?\n";
    std::exit(kExitLabError);
  }
  ::setenv("DFX_LAB_REEXEC", "1", 1);
  std::error_code ec;
  const std::string self = fs::read_symlink("/proc/self/exe", ec).string();
  std::vector<char*> args;
  std::string wrapper = "umockdev-wrapper";
  args.push_back(wrapper.data());
  args.push_back(const_cast<char*>(self.c_str()));
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  ::execvp("umockdev-wrapper", args.data());
  std::cerr << "dfx-lab: cannot run umockdev-wrapper (" << std::strerror(errno)
            << "); install the Debian package umockdev (scripts/setup does)\n";
  std::exit(kExitLabError);
}

class Lab {
 public:
  Lab(const dfx::testing::BehaviorRegistry& registry, bool verbose)
      : registry_(registry), verbose_(verbose) {}

  dfx::Result<void> start(const std::vector<HandsetSpec>& handsets,
                          const std::vector<dfx::lab::HotplugEvent>& script) {
    auto tb = dfx::testing::Testbed::create();
    if (!tb) return dfx::fail(tb.error());
    testbed_ = std::move(*tb);
    for (const auto& h : handsets) specs_.emplace(h.id, h);
    for (const auto& e : script)
      if (!specs_.count(e.handset))
        return dfx::fail("hotplug line " + std::to_string(e.line) + ": no handset \"" + e.handset +
                         "\" loaded");
    // A handset whose first scripted event is "plug" waits for it; all others start plugged.
    std::map<std::string, bool> first_is_plug;
    for (const auto& e : script) first_is_plug.emplace(e.handset, e.plug);
    // Up to 15 handsets sit on the root hub's ports (1-1 ... 1-15). A depot bench with more uses
    // 7-port hubs, as real ones do: handset i goes to port (i % 7 + 1) of the hub on root port
    // (i / 7 + 1), e.g. 1-1.1 ... 1-1.7, 1-2.1 ...
    const bool hubs = handsets.size() > 15;
    for (std::size_t i = 0; i < handsets.size(); ++i) {
      if (hubs)
        ports_[handsets[i].id] = {static_cast<uint8_t>(i / 7 + 1), static_cast<uint8_t>(i % 7 + 1)};
      if (first_is_plug.count(handsets[i].id) && first_is_plug[handsets[i].id]) continue;
      if (auto r = plug(handsets[i].id); !r) return r;
    }
    return {};
  }

  dfx::Result<void> plug(const std::string& id) {
    dfx::testing::Placement place;
    if (auto it = ports_.find(id); it != ports_.end())
      place.ports = it->second;  // replug: same port
    auto dev = dfx::testing::plug_handset(*testbed_, specs_.at(id), registry_, place);
    if (!dev) return dfx::fail(specs_.at(id).source.string() + ": " + dev.error());
    plugged_[id] = *dev;
    ports_[id] = (*dev)->port_path();
    if (verbose_)
      std::cerr << "dfx-lab: plugged " << id << " (" << usb_id(specs_.at(id)) << ") at "
                << (*dev)->sysfs_name() << '\n';
    return {};
  }

  dfx::Result<void> unplug(const std::string& id) {
    auto it = plugged_.find(id);
    if (it == plugged_.end()) return dfx::fail("handset \"" + id + "\" is not plugged");
    if (auto r = it->second->unplug(); !r) return dfx::fail(r.error());
    if (verbose_) std::cerr << "dfx-lab: unplugged " << id << '\n';
    plugged_.erase(it);
    return {};
  }

  void shutdown() { testbed_.reset(); }

 private:
  const dfx::testing::BehaviorRegistry& registry_;
  bool verbose_;
  std::unique_ptr<dfx::testing::Testbed> testbed_;
  std::map<std::string, HandsetSpec> specs_;
  std::map<std::string, dfx::testing::VirtualUsbDevice*> plugged_;
  std::map<std::string, std::vector<uint8_t>> ports_;
};

int run_command(const dfx::testing::BehaviorRegistry& registry,
                const std::vector<std::string>& handset_paths, const std::string& hotplug_path,
                const std::vector<std::string>& command, bool verbose) {
  auto handsets = load_all(handset_paths);
  if (!handsets) {
    std::cerr << "dfx-lab: " << handsets.error().message << '\n';
    return kExitLabError;
  }
  std::vector<dfx::lab::HotplugEvent> script;
  if (!hotplug_path.empty()) {
    std::ifstream in(hotplug_path);
    if (!in) {
      std::cerr << "dfx-lab: cannot read hotplug script " << hotplug_path << '\n';
      return kExitLabError;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = dfx::lab::parse_hotplug_script(ss.str(), hotplug_path);
    if (!parsed) {
      std::cerr << "dfx-lab: " << parsed.error().message << '\n';
      return kExitLabError;
    }
    script = std::move(*parsed);
  }
  Lab lab(registry, verbose);
  if (auto r = lab.start(*handsets, script); !r) {
    std::cerr << "dfx-lab: " << r.error().message << '\n';
    return kExitLabError;
  }

  std::vector<char*> argv;
  for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  // The command starts with only stdin, stdout and stderr. Descriptors inherited from whoever
  // started dfx-lab (ctest keeps its log on fd 3) are not the command's business, and measured
  // here: with a foreign fd 3 in dfx, umockdev 0.17.16 loses dfx's ioctl stream once a probe
  // worker has used the device, and hotplug events stop arriving.
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    std::cerr << "dfx-lab: cannot run " << command[0] << ": " << std::strerror(rc) << '\n';
    return kExitLabError;
  }
  g_child = pid;
  std::signal(SIGINT, forward_signal);
  std::signal(SIGTERM, forward_signal);

  // Hotplug events run on their own thread, timed from the command's start.
  std::atomic<bool> child_done{false};
  std::thread hotplug([&] {
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& e : script) {
      while (!child_done && std::chrono::steady_clock::now() - t0 < e.at)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      if (child_done) return;
      auto r = e.plug ? lab.plug(e.handset) : lab.unplug(e.handset);
      if (!r)
        std::cerr << "dfx-lab: " << hotplug_path << ":" << e.line << ": " << r.error().message
                  << '\n';
    }
  });
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  child_done = true;
  hotplug.join();
  g_child = 0;
  lab.shutdown();
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return kExitLabError;
}

int list_handsets(const std::vector<std::string>& paths, const std::string& format) {
  auto handsets = load_all(paths);
  if (!handsets) {
    std::cerr << "dfx-lab: " << handsets.error().message << '\n';
    return kExitLabError;
  }
  if (format == "json") {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& h : *handsets) {
      nlohmann::json itfs = nlohmann::json::array();
      for (const auto& c : h.usb.configurations)
        for (const auto& i : c.interfaces)
          for (const auto& alt : i.alt_settings) {
            char triple[16];
            std::snprintf(triple, sizeof triple, "%02x/%02x/%02x", alt.interface_class,
                          alt.interface_subclass, alt.interface_protocol);
            itfs.push_back(triple);
          }
      arr.push_back({{"id", h.id},
                     {"name", h.name},
                     {"usb_id", usb_id(h)},
                     {"serial", h.usb.serial.text},
                     {"behavior", h.behavior.module},
                     {"interfaces", itfs},
                     {"file", h.source.string()}});
    }
    std::cout << arr.dump(2) << '\n';
    return 0;
  }
  for (const auto& h : *handsets)
    std::cout << h.id << "  " << usb_id(h) << "  [" << h.behavior.module << "]  " << h.name << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dfx-lab: run a command with virtual USB handsets plugged in (umockdev)"};
  app.require_subcommand(1);
  std::vector<std::string> handsets;
  std::string hotplug, format = "table";
  std::vector<std::string> command, emulators;
  bool verbose = false;

  auto* run = app.add_subcommand(
      "run", "Plug the handsets, run COMMAND, unplug; exits with COMMAND's status");
  run->add_option("--handsets", handsets,
                  "Handset JSON file or folder, or a recorded USB transcript (.jsonl, from a case) "
                  "(repeatable)")
      ->required();
  run->add_option("--hotplug", hotplug,
                  "Script of timed plug/unplug events (see docs/testing-without-hardware.md)");
  run->add_flag("-v,--verbose", verbose, "Say on stderr what is plugged and unplugged");
  run->add_option(
      "--emulators", emulators,
      "Folder of emulator modules (vendor behaviours; repeatable), besides $DFX_EMULATOR_PATH and "
      "<prefix>/lib/dfx/emulators");
  run->add_option("command", command, "The command to run, after --")->required();
  run->positionals_at_end();
  run->footer(
      "Exit status: COMMAND's, 128+N if it died of signal N, 70 if the lab could not be set up.");

  auto* list = app.add_subcommand("list", "Describe the handsets in a catalogue");
  list->add_option("--handsets", handsets,
                   "Handset JSON file or folder, or a recorded USB transcript (.jsonl, from a "
                   "case) (repeatable)")
      ->required();
  list->add_option("--format", format, "table or json")->check(CLI::IsMember({"table", "json"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (list->parsed()) return list_handsets(handsets, format);
  if (!dfx::testing::in_mock_environment()) reexec_under_preload(argc, argv);
  std::vector<fs::path> emulator_dirs(emulators.begin(), emulators.end());
  for (const auto& d : dfx::testing::BehaviorRegistry::default_emulator_dirs())
    emulator_dirs.push_back(d);
  auto registry = dfx::testing::BehaviorRegistry::with_emulators(emulator_dirs);
  if (!registry) {
    std::cerr << "dfx-lab: emulator modules: " << registry.error() << '\n';
    return kExitLabError;
  }
  if (auto added = registry->add(dfx::lab::transcript_module()); !added) {
    std::cerr << "dfx-lab: " << added.error() << '\n';
    return kExitLabError;
  }
  return run_command(*registry, handsets, hotplug, command, verbose);
}
