// dfx watch: the depot bench. Reports every device as it arrives (probed like `dfx scan`) and as
// it leaves, in the order the system saw them, until stopped.
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <iostream>
#include <map>

#include "base/utc_time.hpp"
#include "cli/case_recorder.hpp"
#include "cli/command.hpp"
#include "plugin_host/match.hpp"
#include "scan/report_json.hpp"
#include "scan/workstation.hpp"
#include "text/terminal.hpp"
#include "usb/hotplug.hpp"
#include "usb/usb_ids.hpp"

namespace dfx::cli {
namespace {

using text::printable;

std::atomic<bool> g_stop{false};
void request_stop(int) {
  g_stop = true;
}

struct WatchArgs {
  std::string format = "table";
  unsigned max_events = 0;
  unsigned duration_ms = 0;
  bool include_hubs = false;
  std::string case_dir;
};

std::string utc_now() {
  return utc_now_iso8601(true);
}

int run_watch(const GlobalOptions& g, const WatchArgs& a) {
  struct sigaction sa {};
  sa.sa_handler = request_stop;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  const auto catalog = plugin_host::build_catalog(g.plugin_folders());
  for (const auto& w : catalog.warnings) spdlog::warn("{}", w);
  for (const auto& e : catalog.entries)
    if (e.refused) spdlog::warn("plugin refused: {}", e.reason);
  for (const auto& s : scan::services_touching_phones()) spdlog::warn("{}", s.warning);
  // With --case, each event's record is on disk before the event is shown; the writer holds the
  // case for the whole watch (another dfx appending to it waits, then is refused).
  std::optional<CaseRecorder> recorder;
  if (!a.case_dir.empty()) {
    auto opened = CaseRecorder::open(a.case_dir, "watch");
    if (!opened) {
      std::cerr << "dfx watch: --case " << a.case_dir << ": " << opened.error().message << '\n';
      return kExitRuntimeError;
    }
    recorder.emplace(std::move(*opened));
  }
  const auto record = [&recorder, &a](nlohmann::json body) {
    if (!recorder) return true;
    auto st = recorder->record(std::move(body));
    if (!st)
      std::cerr << "dfx watch: --case " << a.case_dir << ": " << st.error().message
                << " (stopping: nothing is shown that is not recorded)\n";
    return static_cast<bool>(st);
  };
  auto monitor = usb::HotplugMonitor::start();
  if (!monitor) {
    std::cerr << "dfx watch: " << monitor.error().message << '\n';
    return kExitRuntimeError;
  }
  std::optional<usb::UsbIds> names;                 // loaded at the first arrival
  std::map<std::string, usb::DeviceFacts> present;  // by location, to name departures
  const auto started = std::chrono::steady_clock::now();
  unsigned events = 0;
  bool any_error = false;
  while (!g_stop && (a.max_events == 0 || events < a.max_events)) {
    if (a.duration_ms &&
        std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(a.duration_ms))
      break;
    auto e = (*monitor)->next(std::chrono::milliseconds(100));
    if (!e || (!a.include_hubs && plugin_host::is_hub(e->device))) continue;
    ++events;
    const std::string location = e->device.location();
    if (e->arrived) {
      if (!names) names = usb::UsbIds::load_system();
      e->device.vendor_name = names->vendor(e->device.vendor_id);
      e->device.product_name = names->product(e->device.vendor_id, e->device.product_id);
      present[location] = e->device;
      auto supervisor = g.supervisor();
      supervisor.transcripts = recorder.has_value();
      auto report = scan::probe_devices({e->device}, catalog, supervisor);
      const auto& d = report.devices.front();
      any_error |= d.status() == "error";
      auto device = scan::device_json(d);
      if (recorder)
        if (auto st = recorder->add_transcripts(device, d, catalog); !st) {
          std::cerr << "dfx watch: --case " << a.case_dir << ": " << st.error().message
                    << " (stopping: nothing is shown that is not recorded)\n";
          return kExitRuntimeError;
        }
      if (!record({{"event", "arrived"}, {"device", std::move(device)}})) return kExitRuntimeError;
      if (a.format == "jsonl") {
        std::cout << nlohmann::json{{"event", "arrived"},
                                    {"time", utc_now()},
                                    {"device", scan::device_json(d)}}
                         .dump()
                  << std::endl;
      } else {
        // Descriptor strings and claims come from the phone and its plugin: escaped, so that
        // no escape sequence or bidi override reaches the terminal.
        std::cout << utc_now() << "  arrived  " << location << "  " << d.facts.usb_id() << "  "
                  << printable(d.facts.product.value_or(d.facts.product_name.value_or("")))
                  << "  serial " << printable(d.facts.serial_number.value_or("-")) << "  "
                  << d.status() << '\n';
        for (const auto& p : d.probes) {
          for (const auto& c : p.claims)
            std::cout << "      " << printable(c.kind) << " = " << printable(c.value) << "  ("
                      << printable(p.plugin_id) << ")\n";
          if (!p.ok) std::cout << "      error: " << printable(p.error) << '\n';
        }
        std::cout.flush();
      }
    } else {
      const auto it = present.find(location);
      const std::optional<std::string> serial =
          it != present.end() ? it->second.serial_number : std::nullopt;
      if (it != present.end()) present.erase(it);
      if (!record({{"event", "left"},
                   {"location", location},
                   {"vendor_id", usb::hex(e->device.vendor_id, 4)},
                   {"product_id", usb::hex(e->device.product_id, 4)},
                   {"serial_number", serial ? nlohmann::json(*serial) : nlohmann::json(nullptr)}}))
        return kExitRuntimeError;
      if (a.format == "jsonl") {
        nlohmann::json j = {
            {"event", "left"},
            {"time", utc_now()},
            {"location", location},
            {"vendor_id", usb::hex(e->device.vendor_id, 4)},
            {"product_id", usb::hex(e->device.product_id, 4)},
            {"serial_number", serial ? nlohmann::json(*serial) : nlohmann::json(nullptr)}};
        std::cout << j.dump() << std::endl;
      } else {
        std::cout << utc_now() << "  left     " << location << "  " << e->device.usb_id()
                  << "  serial " << printable(serial.value_or("-")) << std::endl;
      }
    }
  }
  if (recorder)
    if (auto st = recorder->finish(); !st) {
      std::cerr << "dfx watch: --case " << a.case_dir << ": " << st.error().message << '\n';
      return kExitRuntimeError;
    }
  return any_error ? kExitDeviceErrors : kExitOk;
}

}  // namespace

std::vector<Command> add_watch_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<WatchArgs>();
  auto* sub = app.add_subcommand(
      "watch", "Report devices as they are plugged in (probed) and unplugged, until stopped");
  sub->add_option("--format", args->format, "table (for people) or jsonl (one event a line)")
      ->check(CLI::IsMember({"table", "jsonl"}))
      ->capture_default_str();
  sub->add_option("--max-events", args->max_events, "Stop after this many events (0: no limit)");
  sub->add_option("--duration", args->duration_ms,
                  "Stop after this many milliseconds (0: until Ctrl-C)");
  sub->add_flag("--include-hubs", args->include_hubs, "Also report USB hubs (never probed)");
  sub->add_option("--case", args->case_dir,
                  "Append each event's record to this case folder (dfx case new) before showing "
                  "it; the head is signed when the watch ends");
  sub->footer(
      "Devices present at start are reported as arrivals first. Exit status: 0, or 3 if some "
      "device "
      "could not be read completely, 1 runtime error, 2 usage error.");
  return {{sub,
           [&global, args] {
             if (!global.apply_plugin_settings(global.extras, "watch")) return int{kExitUsage};
             return static_cast<int>(run_watch(global, *args));
           },
           /*plugin_settings=*/true}};
}

}  // namespace dfx::cli
