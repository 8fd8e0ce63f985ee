// dfx scan: what is plugged in, and what each device plugin read from it.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <optional>

#include "cli/case_recorder.hpp"
#include "cli/command.hpp"
#include "cli/register_options.hpp"
#include "cli/table.hpp"
#include "cli/text_io.hpp"
#include "plugin_host/catalog.hpp"
#include "registers/config.hpp"
#include "registers/register_set.hpp"
#include "scan/assessment.hpp"
#include "scan/report_json.hpp"
#include "tac/tac_source.hpp"

namespace dfx::cli {
namespace {

struct ScanArgs {
  std::string format = "table";
  bool include_hubs = false;
  std::vector<std::string> only_plugins;
  bool no_registers = false;
  RegisterOptions registers;
  std::string db;
  std::string case_dir;
};

std::string device_name(const usb::DeviceFacts& f) {
  std::string maker = f.manufacturer ? *f.manufacturer : f.vendor_name.value_or("");
  std::string model = f.product ? *f.product : f.product_name.value_or("");
  if (maker.empty() && model.empty()) return "(unnamed)";
  return maker.empty() ? model : model.empty() ? maker : maker + " " + model;
}

std::string identifier_details(const scan::DeviceIdentifier& id) {
  const auto& r = id.check;
  if (!r.identifier) return r.identifier.error().reason;
  std::string out;
  const auto add = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  if (!id.brand.empty()) add(id.brand + (id.model.empty() ? "" : " " + id.model));
  if (r.conflict) add("CONFLICT: the reports disagree");
  for (const auto& a : r.answers) {
    if (a.outcome == registers::Outcome::Error) add(a.register_id + ": NOT ASKED: " + a.error);
    for (const auto& h : a.hits)
      add(a.register_id + ": " + h.status +
          (h.reported_at.empty() ? "" : ", reported " + h.reported_at) +
          (h.reporting_party.empty() ? "" : " by " + h.reporting_party) +
          (h.reference.empty() ? "" : ", ref " + h.reference));
  }
  if (r.answers.empty() && !id.checkable) add("no configured register accepts this kind");
  return out;
}

void print_table(const scan::ScanReport& r, const std::vector<scan::Assessment>& assessments) {
  if (r.devices.empty()) {
    std::cout << "no USB devices found\n";
    return;
  }
  Table devices({"LOCATION", "USB ID", "DEVICE", "SERIAL", "STATUS", "VERDICT"});
  Table claims({"LOCATION", "KIND", "VALUE", "PLUGIN", "METHOD"});
  Table identifiers({"LOCATION", "KIND", "IDENTIFIER", "VERDICT", "DETAILS"});
  std::vector<std::string> errors, findings;
  for (std::size_t i = 0; i < r.devices.size(); ++i) {
    const auto& d = r.devices[i];
    const auto& a = assessments[i];
    std::string verdict(registers::to_string(a.verdict));
    if (a.verdict == registers::Verdict::Flagged) verdict = "FLAGGED";
    devices.add({d.facts.location(), d.facts.usb_id(), printable(device_name(d.facts)),
                 printable(d.facts.serial_number.value_or("-")), d.status(), verdict});
    for (const auto& p : d.probes) {
      for (const auto& c : p.claims)
        claims.add({d.facts.location(), c.kind, printable(c.value), p.plugin_id, c.method});
      if (!p.ok) errors.push_back(d.facts.location() + ": " + p.error);
    }
    for (const auto& id : a.identifiers) {
      const auto& c = id.check;
      std::string v(registers::to_string(c.verdict));
      if (c.verdict != registers::Verdict::Clear)
        for (auto& ch : v) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      identifiers.add({d.facts.location(),
                       std::string(c.identifier ? ident::to_string(c.identifier->kind)
                                                : ident::to_string(c.input.kind)),
                       printable(c.identifier ? c.identifier->canonical : c.input.value), v,
                       printable(identifier_details(id))});
    }
    for (const auto& f : a.findings) findings.push_back(d.facts.location() + ": " + f.message);
  }
  devices.print(std::cout);
  if (!claims.empty()) {
    std::cout << '\n';
    claims.print(std::cout);
  }
  if (!identifiers.empty()) {
    std::cout << '\n';
    identifiers.print(std::cout);
  }
  if (!findings.empty()) {
    std::cout << "\nfindings:\n";
    for (const auto& f : findings) std::cout << "  " << printable(f) << '\n';
  }
  if (!errors.empty()) {
    std::cout << "\nerrors:\n";
    for (const auto& e : errors) std::cout << "  " << printable(e) << '\n';
  }
}

// The plugins whose probes ran, with their libraries, for the records' tool description.
std::vector<evidence::PluginUsed> plugins_used(const std::vector<std::filesystem::path>& dirs,
                                               const scan::ScanReport& report) {
  const auto catalog = plugin_host::build_catalog(dirs);
  std::vector<evidence::PluginUsed> out;
  for (const auto& d : report.devices)
    for (const auto& p : d.probes) {
      const bool seen = std::any_of(out.begin(), out.end(), [&](const evidence::PluginUsed& u) {
        return u.id == p.plugin_id;
      });
      const auto* e = catalog.find(p.plugin_id);
      if (seen || e == nullptr || !e->manifest) continue;
      out.push_back({p.plugin_id, e->manifest->version, e->manifest->library_path()});
    }
  return out;
}

Result<void> record_scan(const std::string& dir,
                         const std::vector<std::filesystem::path>& plugin_dirs,
                         const scan::ScanReport& report,
                         const std::vector<scan::Assessment>& assessments,
                         const registers::RegisterSet* regs) {
  auto recorder = CaseRecorder::open(dir, "scan");
  if (!recorder) return tl::unexpected(recorder.error());
  if (regs != nullptr) recorder->set_registers(*regs, plugin_dirs);
  const auto plugins = plugins_used(plugin_dirs, report);
  const auto catalog = plugin_host::build_catalog(plugin_dirs);
  for (std::size_t i = 0; i < report.devices.size(); ++i) {
    auto device = scan::device_json(report.devices[i]);
    if (auto st = recorder->add_transcripts(device, report.devices[i], catalog); !st) return st;
    scan::add_assessment_json(device, assessments[i]);
    if (auto st = recorder->record({{"device", std::move(device)}, {"warnings", report.warnings}},
                                   i == 0 ? plugins : std::vector<evidence::PluginUsed>{});
        !st)
      return st;
  }
  if (report.devices.empty())
    if (auto st = recorder->record({{"devices", 0}, {"warnings", report.warnings}}, plugins); !st)
      return st;
  return recorder->finish();
}

int run_scan(const GlobalOptions& g, const ScanArgs& a) {
  scan::ScanOptions opt;
  opt.plugin_dirs = g.plugin_folders();
  opt.supervisor = g.supervisor();
  opt.supervisor.transcripts = !a.case_dir.empty();  // a case keeps what was asked of each phone
  opt.include_hubs = a.include_hubs;
  opt.only_plugins = a.only_plugins;
  auto report = scan::scan(opt);
  if (!report) {
    std::cerr << "dfx scan: " << report.error().message << '\n';
    return kExitRuntimeError;
  }
  for (const auto& w : report->warnings) spdlog::warn("{}", w);

  // Registers and TAC list: consulted after the probes, so that a slow register never holds a
  // phone's probe. Without them (--no-registers) every verdict is unknown.
  std::optional<registers::RegisterSet> regs;
  if (!a.no_registers) {
    auto opened = open_registers(a.registers, g, "scan");
    if (!opened) return opened.error();
    regs.emplace(std::move(*opened));
  }
  auto tacs = tac::load_tac_cache(a.db);
  if (!tacs) {
    spdlog::warn("TAC list not used: {}", tacs.error().message);
    tacs = tac::TacCache();
  }
  scan::Assessor assessor(regs ? &*regs : nullptr, &*tacs);
  std::vector<scan::Assessment> assessments;
  for (const auto& d : report->devices) assessments.push_back(assessor.assess(d));

  // With --case, every device's record is on disk, and the head signed, before it is shown.
  if (!a.case_dir.empty()) {
    if (auto st =
            record_scan(a.case_dir, opt.plugin_dirs, *report, assessments, regs ? &*regs : nullptr);
        !st) {
      std::cerr << "dfx scan: --case " << a.case_dir << ": " << st.error().message << '\n';
      return kExitRuntimeError;
    }
  }

  if (a.format == "json") {
    auto j = scan::report_json(*report);
    for (std::size_t i = 0; i < assessments.size(); ++i)
      scan::add_assessment_json(j["devices"][i], assessments[i]);
    std::cout << j.dump(2) << '\n';
  } else if (a.format == "jsonl") {
    for (std::size_t i = 0; i < assessments.size(); ++i) {
      auto j = scan::device_json(report->devices[i]);
      scan::add_assessment_json(j, assessments[i]);
      std::cout << j.dump() << '\n';
    }
  } else {
    print_table(*report, assessments);
  }
  Findings found;
  for (const auto& as : assessments) {
    found.flagged |= as.verdict == registers::Verdict::Flagged;
    found.not_clear |= as.verdict != registers::Verdict::Clear;
  }
  for (const auto& d : report->devices) found.incomplete |= d.status() == "error";
  return exit_status(found);
}

}  // namespace

std::vector<Command> add_scan_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<ScanArgs>();
  auto* sub = app.add_subcommand(
      "scan", "List connected USB devices and read their identifiers with the matching plugins");
  sub->add_option("--format", args->format,
                  "table (for people), json (one document), jsonl (one device a line)")
      ->check(CLI::IsMember({"table", "json", "jsonl"}))
      ->capture_default_str();
  sub->add_flag("--include-hubs", args->include_hubs, "Also list USB hubs (never probed)");
  sub->add_option(
      "--plugin", args->only_plugins,
      "Run only this device plugin (repeatable; default: every plugin that matches a device)");
  add_register_options(*sub, args->registers);
  sub->add_flag("--no-registers", args->no_registers,
                "Do not consult registers (every verdict is then unknown)");
  sub->add_option("--db", args->db, kTacDbHelp);
  sub->add_option("--case", args->case_dir,
                  "Append each device's record to this case folder (dfx case new), signed, "
                  "before showing it");
  sub->footer(
      "Every identifier a plugin reads is normalized, checked against the configured registers "
      "and given a fail-closed verdict; a device is flagged when any of its identifiers is, clear "
      "only when every checkable identifier is clear.\n"
      "Exit status (the same rule as dfx check): 0 every device read and clear, 1 runtime error, "
      "2 usage error, 5 some device flagged, 3 (nothing flagged) some device could not be read "
      "completely, 6 (all read, nothing flagged) some device unknown: a register did not answer, "
      "--no-registers, or no handset identity could be checked.\n"
      "Plugins may declare settings, given as --<plugin>-<setting> VALUE (dfx plugins list shows "
      "them), e.g. --apple-pair-records DIR.");
  return {{sub,
           [&global, args] {
             if (!global.apply_plugin_settings(global.extras, "scan")) return int{kExitUsage};
             return static_cast<int>(run_scan(global, *args));
           },
           /*plugin_settings=*/true}};
}

}  // namespace dfx::cli
