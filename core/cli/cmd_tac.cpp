// dfx tac import | lookup | info: the TAC list (type allocation code -> brand, model) of the local
// dfx database. dfx ships the importer, never the list: users bring their own (e.g. Osmocom's).
#include <spdlog/spdlog.h>

#include <cctype>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/register_options.hpp"
#include "cli/table.hpp"
#include "ident/identifier.hpp"
#include "tac/db_path.hpp"
#include "tac/import.hpp"
#include "tac/tac_db.hpp"
#include "text/json_writer.hpp"
#include "text/terminal.hpp"

namespace dfx::cli {
namespace {

struct TacArgs {
  std::string db;
  std::string file;
  bool skip_invalid = false;
  std::vector<std::string> values;
  std::string format = "table";
};

Result<tac::TacDatabase> open_db(const std::string& option, sqlite::Database::Access access) {
  auto where = tac::resolve_db_location(option);
  if (!where) return tl::unexpected(std::move(where.error()));
  auto db = tac::TacDatabase::open(where->path, access);
  if (!db && access == sqlite::Database::Access::ReadOnly) {
    std::error_code ec;
    if (!std::filesystem::exists(where->path, ec))
      return fail("no TAC list yet: " + db.error().message +
                  " (import one with dfx tac import FILE)");
  }
  return db;
}

int run_import(const TacArgs& a) {
  auto db = open_db(a.db, sqlite::Database::Access::ReadWriteCreate);
  if (!db) {
    std::cerr << "dfx tac import: " << db.error().message << '\n';
    return kExitRuntimeError;
  }
  const auto before = db->count();
  auto report = tac::import_osmocom_file(*db, a.file, {.skip_invalid = a.skip_invalid});
  if (!report) {
    const auto& msg = report.error().message;
    // "<file>:<line>: ..." is a malformed row, which --skip-invalid would have left out.
    const bool row_error = msg.starts_with(a.file + ":") && msg.size() > a.file.size() + 1 &&
                           std::isdigit(static_cast<unsigned char>(msg[a.file.size() + 1]));
    std::cerr << "dfx tac import: " << msg << "\nnothing was imported"
              << (row_error && !a.skip_invalid ? " (--skip-invalid leaves malformed rows out)" : "")
              << '\n';
    return kExitRuntimeError;
  }
  const auto& r = report->record;
  std::cout << "imported " << r.rows << " TACs from " << text::printable(r.source) << '\n'
            << "into " << db->path().string();
  if (before && *before > 0) std::cout << " (replacing " << *before << ")";
  std::cout << '\n';
  if (!r.banner.empty()) std::cout << "licence: " << text::printable(r.banner) << '\n';
  std::cout << "sha256: " << r.sha256 << '\n';
  if (report->repeated)
    std::cout << report->repeated << " row" << (report->repeated == 1 ? "" : "s")
              << " repeating an earlier TAC with the same brand and model, kept once\n";
  if (!report->skipped.empty()) {
    std::cout << "skipped " << report->skipped.size() << " malformed row"
              << (report->skipped.size() == 1 ? "" : "s") << ":\n";
    for (const auto& s : report->skipped)
      std::cout << "  " << text::printable(a.file) << ':' << s.line << ": "
                << text::printable(s.reason) << '\n';
  }
  return kExitOk;
}

// The TAC to look up for a value: 8 digits as they are, else the TAC of an IMEI or IMEISV.
tl::expected<std::string, std::string> tac_for(const std::string& value) {
  std::string digits;
  for (char c : value)
    if (c != ' ' && c != '-') digits.push_back(c);
  if (digits.size() == 8 && digits.find_first_not_of("0123456789") == std::string::npos)
    return digits;
  const auto r = ident::normalize(value, ident::Kind::Auto);
  if (!r) return tl::unexpected("not a TAC or an IMEI: " + r.error().reason);
  if (r->kind != ident::Kind::Imei && r->kind != ident::Kind::Imeisv)
    return tl::unexpected("not a TAC or an IMEI: this is " +
                          std::string(ident::to_string(r->kind)) + " " + r->canonical);
  return r->derived.tac;
}

int run_lookup(const TacArgs& a) {
  auto db = open_db(a.db, sqlite::Database::Access::ReadOnly);
  if (!db) {
    std::cerr << "dfx tac lookup: " << db.error().message << '\n';
    return kExitRuntimeError;
  }
  bool all_found = true;
  text::OutputBuffer json;
  Table table({"VALUE", "TAC", "BRAND", "MODEL", "ALSO KNOWN AS"});
  for (const auto& v : a.values) {
    const auto t = tac_for(v);
    std::optional<tac::TacInfo> info;
    if (t) {
      auto found = db->lookup(*t);
      if (!found) {
        std::cerr << "dfx tac lookup: " << found.error().message << '\n';
        return kExitRuntimeError;
      }
      info = std::move(*found);
    }
    all_found &= info.has_value();
    if (a.format == "json") {
      text::JsonObjectWriter w(json);
      w.field("input", v);
      if (t)
        w.field("tac", *t);
      else
        w.null_field("tac");
      w.field("found", info.has_value());
      if (info) {
        w.field("brand", info->brand);
        w.field("model", info->model);
        w.field("aka", info->aka);
      }
      if (!t) w.field("error", t.error());
      w.end();
    } else if (!t) {
      table.add({v, "-", "-", "-", t.error()});
    } else if (!info) {
      table.add({v, *t, "-", "-", "not in the TAC list"});
    } else {
      table.add({v, *t, info->brand, info->model, info->aka});
    }
  }
  if (a.format == "json") {
    std::cout << json.view();
  } else {
    table.print(std::cout);
    // The list's licence (Osmocom's is CC-BY-SA) asks for attribution wherever it is shown.
    if (auto imp = db->last_import(); imp && *imp && !(*imp)->banner.empty())
      std::cout << "\nsource: " << text::printable((*imp)->banner) << '\n';
  }
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "dfx tac lookup: writing stdout failed\n";
    return kExitRuntimeError;
  }
  return all_found ? kExitOk : kExitInvalidInput;
}

int run_info(const TacArgs& a) {
  auto db = open_db(a.db, sqlite::Database::Access::ReadOnly);
  if (!db) {
    std::cerr << "dfx tac info: " << db.error().message << '\n';
    return kExitRuntimeError;
  }
  const auto count = db->count();
  const auto imp = db->last_import();
  if (!count || !imp) {
    std::cerr << "dfx tac info: " << (!count ? count.error() : imp.error()).message << '\n';
    return kExitRuntimeError;
  }
  std::cout << "database:    " << db->path().string() << '\n' << "TACs:        " << *count << '\n';
  if (*imp) {
    const auto& r = **imp;
    std::cout << "imported:    " << r.imported_at << '\n'
              << "source:      " << r.source << '\n'
              << "sha256:      " << r.sha256 << '\n'
              << "licence:     " << (r.banner.empty() ? "(none in the file)" : r.banner) << '\n'
              << "rows:        " << r.rows << " imported, " << r.skipped << " skipped\n";
  } else {
    std::cout << "imported:    never (dfx tac import FILE)\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> add_tac_command(CLI::App& app, const GlobalOptions&) {
  auto args = std::make_shared<TacArgs>();
  auto* tac = app.add_subcommand("tac", "The TAC list: type allocation code -> brand and model");
  tac->require_subcommand(1);

  auto* import = tac->add_subcommand(
      "import", "Replace the TAC list with an Osmocom-format CSV file (all rows or none)");
  import->add_option("file", args->file, "TAC list (CSV: licence line, then tac,name,name,...)")
      ->required();
  import->add_flag("--skip-invalid", args->skip_invalid,
                   "Leave malformed rows out (and list them) instead of refusing the file");
  import->add_option("--db", args->db, kTacDbHelp);
  import->footer(
      "Exit status: 0 imported, 1 file unreadable or malformed, or database error, "
      "2 usage error.");

  auto* lookup = tac->add_subcommand("lookup", "Brand and model of TACs or IMEIs");
  lookup->add_option("values", args->values, "8-digit TACs, or IMEIs / IMEISVs")->required();
  lookup->add_option("--format", args->format, "table (for people) or json (one object a line)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  lookup->add_option("--db", args->db, kTacDbHelp);
  lookup->footer(
      "Exit status: 0 every value found, 1 runtime error (no database...), "
      "2 usage error, 4 some value not found or not a TAC/IMEI.");

  auto* info = tac->add_subcommand("info", "Where the TAC list came from and how big it is");
  info->add_option("--db", args->db, kTacDbHelp);
  info->footer("Exit status: 0 ok, 1 no database or database error, 2 usage error.");

  return {{import, [args] { return run_import(*args); }},
          {lookup, [args] { return run_lookup(*args); }},
          {info, [args] { return run_info(*args); }}};
}

}  // namespace dfx::cli
