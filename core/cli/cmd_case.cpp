// dfx case: a case folder, the tamper-evident record of readings (core/evidence, docs/evidence.md).
//   dfx case new DIR --case-id ID --operator NAME [--exhibit REF] [--note TEXT]
//   dfx case verify DIR [--format text|json]
//   dfx case close DIR
//   dfx case repair DIR
//   dfx case replay DIR [--record N] [--format text|json]
// scan and check append to a case with --case DIR.
#include <iostream>

#include "cli/case_replay.hpp"
#include "cli/cmd_case_report.hpp"
#include "cli/command.hpp"
#include "evidence/case_log.hpp"
#include "evidence/verify.hpp"
#include "text/terminal.hpp"

namespace dfx::cli {
namespace {

struct CaseArgs {
  std::string dir;
  evidence::CaseInfo info;
  std::string format = "text";
  std::optional<uint64_t> record;
  std::optional<std::string> transcript;
};

Result<evidence::WorkstationKey> workstation_key() {
  auto path = evidence::WorkstationKey::default_path();
  if (!path) return tl::unexpected(path.error());
  return evidence::WorkstationKey::load_or_create(*path);
}

int run_new(const CaseArgs& a) {
  auto key = workstation_key();
  if (!key) {
    std::cerr << "dfx case new: " << key.error().message << '\n';
    return kExitRuntimeError;
  }
  auto made = evidence::create_case(a.dir, a.info, *key);
  if (!made) {
    std::cerr << "dfx case new: " << text::printable(made.error().message) << '\n';
    return kExitRuntimeError;
  }
  std::cout << "case " << text::printable(a.info.case_id) << " created in " << a.dir
            << " (workstation key " << key->public_hex().substr(0, 16) << "...)\n";
  return kExitOk;
}

int run_verify(const CaseArgs& a) {
  auto v = evidence::verify_case(a.dir);
  if (!v) {
    std::cerr << "dfx case verify: " << v.error().message << '\n';
    return kExitRuntimeError;
  }
  if (a.format == "json") {
    nlohmann::json j = {{"case", a.dir},
                        {"case_id", v->case_id},
                        {"ok", v->ok()},
                        {"problem", std::string(evidence::to_string(v->problem))},
                        {"message", v->message},
                        {"records", v->records},
                        {"head_hash", v->head_hash},
                        {"signed_through", v->signed_through},
                        {"closed", v->closed},
                        {"keys", v->keys}};
    std::cout << j.dump(2) << '\n';
  } else if (v->ok()) {
    std::cout << "case " << text::printable(v->case_id) << ": " << v->records
              << " records verify; head " << v->head_hash << "; signed through record "
              << v->signed_through << (v->closed ? "; closed" : "; open") << '\n';
  } else {
    std::cout << "case " << text::printable(v->case_id) << ": does NOT verify ("
              << evidence::to_string(v->problem) << "): " << text::printable(v->message) << '\n';
  }
  return v->ok() ? kExitOk : kExitInvalidInput;
}

int run_close(const CaseArgs& a) {
  auto key = workstation_key();
  if (!key) {
    std::cerr << "dfx case close: " << key.error().message << '\n';
    return kExitRuntimeError;
  }
  auto w = evidence::CaseWriter::open(a.dir);
  if (!w) {
    std::cerr << "dfx case close: " << text::printable(w.error().message) << '\n';
    return kExitRuntimeError;
  }
  auto r = w->sign(*key, "close", "dfx case close");
  if (!r) {
    std::cerr << "dfx case close: " << r.error().message << '\n';
    return kExitRuntimeError;
  }
  std::cout << "case closed: " << w->state().records << " records, head signed ("
            << (*r)["hash"].get<std::string>() << ")\n";
  return kExitOk;
}

int run_repair(const CaseArgs& a) {
  auto r = evidence::repair_case(a.dir);
  if (!r) {
    std::cerr << "dfx case repair: " << text::printable(r.error().message) << '\n';
    return kExitInvalidInput;
  }
  if (r->is_null())
    std::cout << "nothing to repair: the case verifies\n";
  else
    std::cout << "removed a torn last line of " << (*r)["removed_bytes"] << " bytes (sha256 "
              << (*r)["removed_sha256"].get<std::string>() << "), recorded as record "
              << (*r)["seq"] << '\n';
  return kExitOk;
}

int run_replay(const GlobalOptions& g, const CaseArgs& a) {
  ReplayOptions opt;
  opt.record = a.record;
  if (a.transcript) opt.transcript = *a.transcript;
  opt.plugin_dirs = g.plugin_folders();
  opt.supervisor = g.supervisor();
  auto replayed = replay_case(a.dir, opt);
  if (!replayed) {
    std::cerr << "dfx case replay: " << text::printable(replayed.error().message) << '\n';
    return kExitInvalidInput;
  }
  const bool all_same = std::all_of(replayed->begin(), replayed->end(),
                                    [](const ReplayedProbe& r) { return r.identical(); });
  if (a.format == "json") {
    nlohmann::json readings = nlohmann::json::array();
    for (const auto& r : *replayed)
      readings.push_back({{"record", r.record},
                          {"plugin", r.plugin},
                          {"version", r.version},
                          {"device", r.device},
                          {"transcript", r.transcript},
                          {"exchanges", r.exchanges},
                          {"claims", r.claims},
                          {"identical", r.identical()},
                          {"differences", r.differences}});
    std::cout << nlohmann::json{{"case", a.dir}, {"identical", all_same}, {"readings", readings}}
                     .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << '\n';
  } else {
    for (const auto& r : *replayed) {
      std::cout << "record " << r.record << ", " << text::printable(r.plugin) << ' '
                << text::printable(r.version) << " on " << r.device << ": "
                << (r.identical() ? "identical" : "DIFFERENT") << " (" << r.exchanges
                << " exchanges, " << r.claims << " claims recorded)\n";
      for (const auto& d : r.differences) std::cout << "  " << text::printable(d) << '\n';
    }
    std::cout << (all_same ? "every replayed reading is identical to its record\n"
                           : "the replay differs from the record (see above)\n");
  }
  return all_same ? kExitOk : kExitInvalidInput;
}

}  // namespace

std::vector<Command> add_case_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<CaseArgs>();
  auto* c = app.add_subcommand(
      "case", "A case folder: the hash-chained, signed record of readings and checks");
  c->require_subcommand(1);
  auto* make =
      c->add_subcommand("new", "Create a case folder (scan and check add to it with --case)");
  make->add_option("dir", args->dir, "The case folder (new, or empty)")->required();
  make->add_option("--case-id", args->info.case_id, "The case reference")->required();
  make->add_option("--operator", args->info.operator_name, "Who examines")->required();
  make->add_option("--exhibit", args->info.exhibit, "The exhibit reference");
  make->add_option("--note", args->info.note, "A note recorded with the case");
  auto* verify = c->add_subcommand(
      "verify", "Check every record's hash, the chain, the order and the signatures");
  verify->add_option("dir", args->dir, "The case folder")->required();
  verify->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  verify->footer(
      "Exit status: 0 the case verifies, 4 it does not (the first wrong record is "
      "named), 1 it cannot be read.");
  auto* close = c->add_subcommand("close", "Sign the chain's head and take no more records");
  close->add_option("dir", args->dir, "The case folder")->required();
  auto* repair = c->add_subcommand(
      "repair", "Remove a torn last line (an interrupted write) and record that it was removed");
  repair->add_option("dir", args->dir, "The case folder")->required();
  auto* replay = c->add_subcommand(
      "replay",
      "Re-run each recorded reading's plugin against its USB transcript and compare with the "
      "record");
  replay->add_option("dir", args->dir, "The case folder")->required();
  replay->add_option("--record", args->record, "Only the reading of this record");
  replay->add_option("--transcript", args->transcript,
                     "With --record: answer from this transcript file instead of the recorded "
                     "one (another recording, or an edited one); compared with the record");
  replay->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  replay->footer(
      "The same plugin (checked by the SHA-256 of its library) answers from the transcript "
      "instead of the phone. Exit status: 0 every replay is identical, 4 a difference (named) "
      "or a case that does not verify.");
  return {{make, [args] { return run_new(*args); }},
          {replay,
           [args, &global] {
             // The plugin's settings (--apple-pair-records...) as the reading had them.
             if (!global.apply_plugin_settings(global.extras, "case replay"))
               return int{kExitUsage};
             return run_replay(global, *args);
           },
           true},
          {verify, [args] { return run_verify(*args); }},
          {close, [args] { return run_close(*args); }},
          {repair, [args] { return run_repair(*args); }},
          add_case_report(*c)};
}

}  // namespace dfx::cli
