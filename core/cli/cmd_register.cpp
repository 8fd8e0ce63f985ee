// dfx register import | stats: the local register (core/register_store), the embedded
// default register that `dfx check` asks when no configuration names others.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/register_options.hpp"
#include "cli/table.hpp"
#include "register_store/import.hpp"
#include "register_store/location.hpp"
#include "register_store/register_store.hpp"
#include "text/terminal.hpp"

namespace dfx::cli {
namespace {

struct RegisterArgs {
  std::string db;
  std::string file;
  bool skip_invalid = false;
  std::string import_format;  // "" = from the extension
  std::string format = "table";
};

std::string plural(std::int64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string human_bytes(std::uintmax_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

int run_import(const RegisterArgs& a) {
  register_store::ImportOptions options;
  options.skip_invalid = a.skip_invalid;
  if (!a.import_format.empty())
    options.format =
        a.import_format == "csv" ? register_store::Format::Csv : register_store::Format::JsonLines;
  else if (!(options.format = register_store::format_from_extension(a.file))) {
    std::cerr << "dfx register import: cannot tell the format of " << a.file
              << " from its extension (.csv, .jsonl, .ndjson): give --format csv or jsonl\n";
    return kExitUsage;
  }
  // Checked before the register is opened, which would create it for nothing. Only a regular
  // file: opening a FIFO to probe it would wait for a writer forever, and a device never ends.
  {
    std::error_code ec;
    const auto status = std::filesystem::status(a.file, ec);
    const char* why = !std::filesystem::exists(status) ? "no such file"
                      : ec                             ? "cannot read it"
                      : !std::filesystem::is_regular_file(status)
                          ? "not a regular file (a FIFO, a device or a folder)"
                      : ::access(a.file.c_str(), R_OK) != 0 ? "permission denied"
                                                            : nullptr;
    if (why != nullptr) {
      std::cerr << "dfx register import: " << text::printable(a.file) << ": " << why
                << "\nnothing was imported\n";
      return kExitRuntimeError;
    }
  }
  auto where = register_store::resolve_register_path(a.db);
  if (!where) {
    std::cerr << "dfx register import: " << where.error().message << '\n';
    return kExitRuntimeError;
  }
  auto store = register_store::RegisterStore::open_for_import(*where);
  if (!store) {
    std::cerr << "dfx register import: " << text::printable(store.error().message) << '\n';
    return kExitRuntimeError;
  }
  auto report = register_store::import_file(*store, a.file, options);
  if (!report) {
    std::cerr << "dfx register import: " << text::printable(report.error().message)
              << "\nnothing was imported";
    if (report.error().invalid_input && !a.skip_invalid)
      std::cerr << " (--skip-invalid leaves invalid rows out)";
    std::cerr << '\n';
    return report.error().invalid_input ? kExitInvalidInput : kExitRuntimeError;
  }
  const auto& r = report->info;
  for (const auto& s : report->skipped)
    std::cerr << "dfx register import: skipped " << a.file << ':' << s.line << ": " << s.reason
              << '\n';
  if (r.rows_skipped > static_cast<std::int64_t>(report->skipped.size()))
    std::cerr << "dfx register import: ... and "
              << r.rows_skipped - static_cast<std::int64_t>(report->skipped.size())
              << " more skipped rows not listed\n";
  std::cout << "imported " << text::printable(a.file) << " into "
            << text::printable(store->path().string()) << ": " << plural(r.rows_added, "record")
            << " added, " << r.rows_updated << " updated, " << r.rows_unchanged
            << " already present, " << r.rows_skipped << " skipped\n";
  return kExitOk;
}

void print_stats_table(const register_store::Stats& s) {
  const auto join = [](const std::vector<std::pair<std::string, std::int64_t>>& v) {
    std::string out;
    for (const auto& [name, n] : v)
      out += (out.empty() ? "" : ", ") + name + " " + std::to_string(n);
    return out.empty() ? std::string("-") : out;
  };
  std::cout << "register:    " << text::printable(s.path.string()) << " ("
            << human_bytes(s.file_bytes) << ")\n"
            << "records:     " << s.records << " (" << s.distinct_identifiers
            << " distinct identifiers)\n"
            << "by kind:     " << join(s.by_kind) << '\n'
            << "by status:   " << join(s.by_status) << '\n'
            << "history:     " << s.history << " earlier versions of changed records\n"
            << "content:     "
            << (s.content_sha256.empty() ? std::string("-")
                                         : "sha256 " + s.content_sha256 + " (sealed)")
            << '\n';
  if (s.imports.empty()) {
    std::cout << "imports:     none yet (dfx register import FILE); the register answers every "
                 "query with an error until then\n";
    return;
  }
  std::cout << "imports:\n";
  Table t({"ID", "IMPORTED (UTC)", "ADDED", "UPDATED", "UNCHANGED", "SKIPPED", "RECORDS", "FILE",
           "SHA-256"});
  for (const auto& i : s.imports)
    t.add({std::to_string(i.id), i.imported_at, std::to_string(i.rows_added),
           std::to_string(i.rows_updated), std::to_string(i.rows_unchanged),
           std::to_string(i.rows_skipped), std::to_string(i.records), i.file, i.sha256});
  t.print(std::cout);
}

void print_stats_json(const register_store::Stats& s) {
  nlohmann::ordered_json j;
  j["path"] = s.path.string();
  j["file_bytes"] = s.file_bytes;
  j["records"] = s.records;
  j["distinct_identifiers"] = s.distinct_identifiers;
  j["by_kind"] = nlohmann::ordered_json::object();
  for (const auto& [k, n] : s.by_kind) j["by_kind"][k] = n;
  j["by_status"] = nlohmann::ordered_json::object();
  for (const auto& [k, n] : s.by_status) j["by_status"][k] = n;
  j["history"] = s.history;
  j["content_sha256"] = s.content_sha256.empty() ? nlohmann::ordered_json(nullptr)
                                                 : nlohmann::ordered_json(s.content_sha256);
  j["imports"] = nlohmann::ordered_json::array();
  for (const auto& i : s.imports)
    j["imports"].push_back({{"id", i.id},
                            {"file", i.file},
                            {"sha256", i.sha256},
                            {"format", i.format},
                            {"imported_at", i.imported_at},
                            {"rows_added", i.rows_added},
                            {"rows_updated", i.rows_updated},
                            {"rows_unchanged", i.rows_unchanged},
                            {"rows_skipped", i.rows_skipped},
                            {"records", i.records},
                            {"content_sha256", i.content_sha256}});
  // replace: a file name that is not UTF-8 must not make the JSON writer throw.
  std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

int run_stats(const RegisterArgs& a) {
  auto where = register_store::resolve_register_path(a.db);
  if (!where) {
    std::cerr << "dfx register stats: " << where.error().message << '\n';
    return kExitRuntimeError;
  }
  auto store = register_store::RegisterStore::open_for_reading(*where);  // creates nothing
  if (!store) {
    std::cerr << "dfx register stats: " << text::printable(store.error().message) << '\n';
    return kExitRuntimeError;
  }
  auto stats = store->stats();
  if (!stats) {
    std::cerr << "dfx register stats: " << stats.error().message << '\n';
    return kExitRuntimeError;
  }
  if (a.format == "json")
    print_stats_json(*stats);
  else
    print_stats_table(*stats);
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "dfx register stats: writing stdout failed\n";
    return kExitRuntimeError;
  }
  return kExitOk;
}

int run_verify(const RegisterArgs& a) {
  auto where = register_store::resolve_register_path(a.db);
  if (!where) {
    std::cerr << "dfx register verify: " << where.error().message << '\n';
    return kExitRuntimeError;
  }
  // Read-only, and without the checks of open_for_reading, which would refuse a damaged
  // register before it could be walked: verify names what is wrong.
  std::error_code ec;
  if (!std::filesystem::exists(*where, ec)) {
    std::cerr << "dfx register verify: no register at " << text::printable(where->string()) << '\n';
    return kExitRuntimeError;
  }
  auto store = register_store::RegisterStore::open_for_verifying(*where);
  if (!store) {
    std::cerr << "dfx register verify: " << text::printable(store.error().message) << '\n';
    return kExitRuntimeError;
  }
  auto v = store->verify();
  if (!v) {
    std::cerr << "dfx register verify: " << text::printable(v.error().message) << '\n';
    return kExitRuntimeError;
  }
  std::cout << "register:    " << text::printable(where->string()) << '\n'
            << "records:     " << v->records << '\n'
            << "content:     sha256 " << (v->content_sha256.empty() ? "-" : v->content_sha256)
            << '\n';
  if (!v->problem.empty()) {
    std::cout << "NOT INTACT:  " << text::printable(v->problem) << '\n';
    return kExitInvalidInput;
  }
  std::cout << "intact:      every record matches its digest and the sealed state\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> add_register_command(CLI::App& app, const GlobalOptions&) {
  auto args = std::make_shared<RegisterArgs>();
  auto* reg = app.add_subcommand("register", "The local register (embedded default register)");
  reg->require_subcommand(1);

  auto* import = reg->add_subcommand(
      "import", "Add the records of a CSV or JSON-lines file to the local register (all or none)");
  import
      ->add_option("file", args->file,
                   "Register file: CSV with header identifier,status,reported_at,source,"
                   "reference,notes[,kind], or JSON lines with the same keys")
      ->required();
  import->add_flag("--skip-invalid", args->skip_invalid,
                   "Leave invalid rows out (listed on stderr) instead of refusing the file");
  import
      ->add_option("--format", args->import_format,
                   "csv or jsonl (default: from the extension .csv / .jsonl / .ndjson)")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  import->add_option("--register-db", args->db, kRegisterDbHelp);
  import->footer(
      "Identifiers are normalized (IMEI with check digit, IMEISV stored as its IMEI...); status is "
      "one of stolen, lost, blocked, fraud, other; reported_at is YYYY-MM-DD or an ISO 8601 "
      "date-time. A record already present (same kind, identifier, source, reference) is not "
      "added twice. Other dfx processes keep reading the previous register until the import "
      "commits.\n"
      "Exit status: 0 imported, 1 runtime error (file unreadable, database error), 2 usage error, "
      "4 invalid row (nothing imported; file:line and why on stderr).");

  auto* stats =
      reg->add_subcommand("stats", "What the local register holds and where it came from");
  stats->add_option("--register-db", args->db, kRegisterDbHelp);
  stats->add_option("--format", args->format, "table (for people) or json (one object)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  stats->footer("Exit status: 0 ok, 1 no register or database error, 2 usage error.");

  auto* verify = reg->add_subcommand(
      "verify", "Check every record of the local register against its digest and the sealed state");
  verify->add_option("--register-db", args->db, kRegisterDbHelp);
  verify->footer(
      "Every import chains each record's digest to the next and seals the register's state; "
      "checks verify the records they read, this walks them all. Exit status: 0 intact, 1 no "
      "register or database error, 4 changed outside dfx register import (what, on stdout).");

  return {{import, [args] { return run_import(*args); }},
          {stats, [args] { return run_stats(*args); }},
          {verify, [args] { return run_verify(*args); }}};
}

}  // namespace dfx::cli
