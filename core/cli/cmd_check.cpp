// dfx check: identifiers as typed, scanned or listed in an intake file -> canonical form ->
// every configured register -> a fail-closed verdict each (see registers/verdict.hpp).
//
// Built for bulk use like dfx normalize: stdin is read line by line and checked in batches of
// kBatch, so that 100,000 identifiers stream through without being held at once (except for the
// table, which is for people and small lists).
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/case_recorder.hpp"
#include "cli/check_output.hpp"
#include "cli/command.hpp"
#include "cli/register_options.hpp"
#include "cli/text_io.hpp"
#include "ident/identifier.hpp"
#include "intake/intake.hpp"
#include "plugin_host/catalog.hpp"
#include "registers/checker.hpp"
#include "registers/config.hpp"
#include "registers/register_set.hpp"
#include "text/terminal.hpp"

namespace dfx::cli {
namespace {

using registers::CheckInput;
using registers::CheckResult;
using registers::Verdict;

constexpr std::size_t kBatch = 4096;

struct CheckArgs {
  std::vector<std::string> values;
  std::string file;
  std::string kind = "auto";
  std::string format = "table";
  RegisterOptions registers;
  std::string case_dir;
};

// A batch's results as the records of a case hold them: the objects --format json prints.
nlohmann::json results_json(const std::vector<CheckResult>& results) {
  text::OutputBuffer out;
  for (const auto& r : results) write_check_json(out, r);
  nlohmann::json list = nlohmann::json::array();
  const std::string_view all = out.view();
  for (std::size_t at = 0; at < all.size();) {
    const std::size_t end = std::min(all.find('\n', at), all.size());
    list.push_back(nlohmann::json::parse(all.substr(at, end - at)));
    at = end + 1;
  }
  return list;
}

// Where results go: JSON or CSV streamed to stdout, or the table collected for the end.
class Sink {
 public:
  explicit Sink(std::string format) : format_(std::move(format)) {
    if (format_ == "csv") out_.buffer().raw(check_csv_header());
  }
  void add(const CheckResult& r) {
    verdicts_[static_cast<int>(r.verdict)] = true;
    if (format_ == "json")
      write_check_json(out_.buffer(), r);
    else if (format_ == "csv")
      write_check_csv(out_.buffer(), r);
    else
      table_.add(r);
    out_.maybe_flush();
  }
  // Writes what is left; false when stdout failed.
  bool finish(std::span<const registers::RegisterStatus> registers) {
    if (format_ == "table") {
      table_.print(std::cout, registers);
      std::cout.flush();
      return static_cast<bool>(std::cout);
    }
    out_.flush();
    if (out_.error())
      std::cerr << "dfx check: writing stdout: " << std::strerror(out_.error()) << '\n';
    return out_.error() == 0;
  }
  [[nodiscard]] bool failed() const { return out_.error() != 0; }
  [[nodiscard]] bool seen(Verdict v) const { return verdicts_[static_cast<int>(v)]; }

 private:
  std::string format_;
  StdoutBuffer out_;
  CheckTable table_;
  bool verdicts_[4] = {false, false, false, false};
};

int run_check(const CheckArgs& a, const GlobalOptions& global) {
  const ident::Kind kind = ident::kind_from_string(a.kind).value_or(ident::Kind::Auto);
  auto opened = open_registers(a.registers, global, "check");
  if (!opened) return opened.error();
  auto& set = *opened;
  registers::Checker checker(set);
  Sink sink(a.format);
  std::optional<CaseRecorder> recorder;
  if (!a.case_dir.empty()) {
    auto opened = CaseRecorder::open(a.case_dir, "check");
    if (!opened) {
      std::cerr << "dfx check: --case " << a.case_dir << ": " << opened.error().message << '\n';
      return kExitRuntimeError;
    }
    recorder.emplace(std::move(*opened));
    recorder->set_registers(set, global.plugin_folders());
  }
  std::optional<std::string> case_error;

  std::vector<CheckInput> batch;
  const auto flush = [&] {
    const auto results = checker.check(batch);
    batch.clear();
    // With --case, a batch's record is on disk before its results are shown.
    if (recorder) {
      auto st = recorder->record({{"results", results_json(results)}});
      if (!st) {
        case_error = st.error().message;
        return false;
      }
    }
    for (const auto& r : results) sink.add(r);
    return !sink.failed();
  };
  Result<void> read_ok;
  if (!a.values.empty()) {
    for (const auto& v : a.values) batch.push_back({v, 0, kind});
    flush();
  } else {
    std::optional<text::LineReader> file;
    if (!a.file.empty() && a.file != "-") {
      auto opened = text::LineReader::open_file(a.file, a.file);
      if (!opened) {
        std::cerr << "dfx check: " << text::printable(opened.error().message) << '\n';
        return kExitRuntimeError;
      }
      file.emplace(std::move(*opened));
    } else if (::isatty(STDIN_FILENO)) {
      std::cerr << "dfx check: reading values from stdin, one per line (end with Ctrl-D)\n";
    }
    auto lines = file ? std::move(*file) : text::LineReader::from_fd(STDIN_FILENO, "stdin");
    const bool from_stdin = !file;
    // What the input is (a table with a header, or one value per line) comes from its content.
    const intake::Options options{.kind = kind,
                                  .judge_lists = !from_stdin || !::isatty(STDIN_FILENO)};
    read_ok = intake::read(lines, options, [&](intake::Value v) {
      batch.push_back({std::move(v.text), v.line, v.kind});
      return batch.size() < kBatch || flush();
    });
    if (read_ok) flush();
  }
  if (recorder && !case_error)
    if (auto st = recorder->finish(); !st) case_error = st.error().message;
  if (case_error) {
    std::cerr << "dfx check: --case " << a.case_dir << ": " << *case_error
              << " (results after the last record written were not shown)\n";
    return kExitRuntimeError;
  }
  const auto regs = set.status();
  if (!sink.finish(regs)) return kExitRuntimeError;
  if (checker.duplicates_saturated())
    std::cerr << "dfx check: note: more than " << registers::DuplicateTracker::kMaxTracked
              << " distinct identifiers: duplicates of identifiers after them are not marked "
                 "(memory stays bounded; verdicts are unaffected)\n";
  if (!read_ok) {
    std::cerr << "dfx check: " << text::printable(read_ok.error().message) << '\n';
    return kExitRuntimeError;
  }
  return exit_status({.flagged = sink.seen(Verdict::Flagged),
                      .incomplete = false,
                      .not_clear = sink.seen(Verdict::Unknown) || sink.seen(Verdict::Invalid)});
}

}  // namespace

std::vector<Command> add_check_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<CheckArgs>();
  auto* sub = app.add_subcommand(
      "check", "Check identifiers against the configured stolen/lost-device registers");
  sub->add_option("values", args->values,
                  "Identifiers to check; when none is given, --file or stdin");
  sub->add_option("-f,--file", args->file,
                  "Intake list, read by content whatever its name: a table whose header names "
                  "an identifier, imei, meid, esn, iccid, eid, ecid, udid, serial or value column "
                  "(delimiter , ; or tab), else one value per line (stdin likewise). A regular "
                  "file, or - for stdin (a FIFO or a device is refused)");
  sub->add_option("--kind", args->kind,
                  "Read values as imei, imeisv, meid, esn, iccid, imsi, eid, ecid, udid, serial, "
                  "or auto (recognise the identifier; a free-form serial number needs serial)")
      ->check(CLI::IsMember({"auto", "imei", "imeisv", "meid", "esn", "iccid", "imsi", "eid",
                             "ecid", "udid", "serial"},
                            CLI::ignore_case))
      ->capture_default_str();
  sub->add_option("--case", args->case_dir,
                  "Append the results to this case folder (dfx case new), signed, before showing "
                  "them");
  sub->add_option("--format", args->format, "table (for people), json (one object a line) or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  add_register_options(*sub, args->registers);
  sub->get_option("--file")->excludes(sub->get_option("values"));
  sub->footer(
      "Verdicts (fail-closed): flagged = some register holds a report; clear = every register "
      "that accepts the kind was asked and holds none; unknown = a register could not be asked, "
      "or none accepts the kind; invalid = not a valid identifier (never sent).\n"
      "Exit status (the same rule as dfx scan): 0 everything clear, 1 runtime error, 2 usage "
      "error, 5 something flagged, 6 nothing flagged but something unknown or invalid.");
  return {{sub, [args, &global] { return run_check(*args, global); }}};
}

}  // namespace dfx::cli
