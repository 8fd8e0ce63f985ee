// dfx scan: what is plugged in, and what each device plugin read from it.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/command.hpp"
#include "cli/table.hpp"
#include "scan/report_json.hpp"

namespace dfx::cli {
namespace {

struct ScanArgs {
  std::string format = "table";
  bool include_hubs = false;
};

std::string device_name(const usb::DeviceFacts& f) {
  std::string maker = f.manufacturer ? *f.manufacturer : f.vendor_name.value_or("");
  std::string model = f.product ? *f.product : f.product_name.value_or("");
  if (maker.empty() && model.empty()) return "(unnamed)";
  return maker.empty() ? model : model.empty() ? maker : maker + " " + model;
}

void print_table(const scan::ScanReport& r) {
  if (r.devices.empty()) {
    std::cout << "no USB devices found\n";
    return;
  }
  Table devices({"LOCATION", "USB ID", "DEVICE", "SERIAL", "STATUS"});
  Table claims({"LOCATION", "KIND", "VALUE", "PLUGIN", "METHOD"});
  std::vector<std::string> errors;
  for (const auto& d : r.devices) {
    devices.add({d.facts.location(), d.facts.usb_id(), device_name(d.facts),
                 d.facts.serial_number.value_or("-"), d.status()});
    for (const auto& p : d.probes) {
      for (const auto& c : p.claims) claims.add({d.facts.location(), c.kind, c.value, p.plugin_id, c.method});
      if (!p.ok) errors.push_back(d.facts.location() + ": " + p.error);
    }
  }
  devices.print(std::cout);
  if (!claims.empty()) {
    std::cout << '\n';
    claims.print(std::cout);
  }
  if (!errors.empty()) {
    std::cout << "\nerrors:\n";
    for (const auto& e : errors) std::cout << "  " << e << '\n';
  }
}

int run_scan(const GlobalOptions& g, const ScanArgs& a) {
  scan::ScanOptions opt;
  opt.plugin_dirs = g.plugin_folders();
  opt.supervisor = g.supervisor();
  opt.include_hubs = a.include_hubs;
  auto report = scan::scan(opt);
  if (!report) {
    std::cerr << "dfx scan: " << report.error().message << '\n';
    return kExitRuntimeError;
  }
  for (const auto& w : report->warnings) spdlog::warn("{}", w);
  if (a.format == "json") {
    std::cout << scan::report_json(*report).dump(2) << '\n';
  } else if (a.format == "jsonl") {
    for (const auto& d : report->devices) std::cout << scan::device_json(d).dump() << '\n';
  } else {
    print_table(*report);
  }
  for (const auto& d : report->devices)
    if (d.status() == "error") return kExitDeviceErrors;
  return kExitOk;
}

}  // namespace

std::vector<Command> add_scan_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<ScanArgs>();
  auto* sub = app.add_subcommand("scan", "List connected USB devices and read their identifiers with the matching plugins");
  sub->add_option("--format", args->format, "table (for people), json (one document), jsonl (one device a line)")
      ->check(CLI::IsMember({"table", "json", "jsonl"}))
      ->capture_default_str();
  sub->add_flag("--include-hubs", args->include_hubs, "Also list USB hubs (never probed)");
  sub->footer("Exit status: 0 every device read, 1 runtime error, 2 usage error, 3 some device could not be read.");
  return {{sub, [&global, args] { return run_scan(global, *args); }}};
}

}  // namespace dfx::cli
