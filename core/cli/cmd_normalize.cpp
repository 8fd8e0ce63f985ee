// dfx normalize: identifiers as typed, printed or read from devices -> canonical form, validity,
// derived values and (for IMEIs) the brand and model of their TAC.
//
// Built for bulk use (`dfx normalize --format json < list.txt`, millions of lines): stdin is read
// in 1 MiB blocks, JSON lines are written by hand into a 1 MiB buffer flushed with write(2), and
// TACs are looked up in an in-memory copy of the TAC table loaded once.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/register_options.hpp"
#include "cli/table.hpp"
#include "cli/text_io.hpp"
#include "ident/identifier.hpp"
#include "tac/db_path.hpp"
#include "tac/tac_cache.hpp"
#include "tac/tac_db.hpp"
#include "tac/tac_source.hpp"
#include "text/json_writer.hpp"
#include "text/terminal.hpp"
#include "text/utf8.hpp"

namespace dfx::cli {
namespace {

using ident::Kind;
using Normalized = tl::expected<ident::Identifier, ident::Rejection>;

struct NormalizeArgs {
  std::vector<std::string> values;
  std::string kind = "auto";
  std::string format = "table";
  std::string db;
};

// ---- TAC brand and model ---------------------------------------------------------------------

std::optional<tac::TacName> tac_of(const ident::Identifier& id, const tac::TacCache& cache) {
  if (id.kind != Kind::Imei && id.kind != Kind::Imeisv) return std::nullopt;
  return cache.find(id.derived.tac);
}

// ---- output ----------------------------------------------------------------------------------

void write_json(text::OutputBuffer& out, std::string_view input, const Normalized& r,
                const tac::TacCache& cache) {
  text::JsonObjectWriter w(out);
  w.field("input", input);
  if (r) {
    w.field("kind", ident::to_string(r->kind));
    w.field("valid", true);
    w.field("canonical", r->canonical);
    for (const auto& [name, value] : r->derived.fields()) w.field(name, value);
    if (const auto t = tac_of(*r, cache)) {
      w.field("brand", t->brand);
      w.field("model", t->model);
    }
    w.field("notes", r->notes);
  } else {
    const auto& e = r.error();
    // Kind::Auto here means that no kind fits at all.
    if (e.kind == Kind::Auto)
      w.null_field("kind");
    else
      w.field("kind", ident::to_string(e.kind));
    w.field("valid", false);
    w.null_field("canonical");
    w.field("error", e.reason);
    w.field("problem", ident::to_string(e.problem));
    if (e.position != 0) w.field("position", static_cast<std::uint64_t>(e.position));
    w.field("notes", e.notes);
  }
  w.end();
}

std::vector<std::string> table_row(std::string_view input, const Normalized& r,
                                   const tac::TacCache& cache) {
  std::string details;
  const auto add = [&](std::string_view part) {
    if (part.empty()) return;
    if (!details.empty()) details += "; ";
    details += part;
  };
  if (r) {
    if (const auto t = tac_of(*r, cache))
      add(t->model.empty() ? std::string(t->brand)
                           : std::string(t->brand) + " " + std::string(t->model));
    for (const auto& n : r->notes) add(n);
    return {printable(input), std::string(ident::to_string(r->kind)), "yes", r->canonical,
            printable(details)};
  }
  const auto& e = r.error();
  add(e.reason);
  for (const auto& n : e.notes) add(n);
  return {printable(input), e.kind == Kind::Auto ? "-" : std::string(ident::to_string(e.kind)),
          "no", "-", printable(details)};
}

// ---- input -----------------------------------------------------------------------------------

// ---- command ---------------------------------------------------------------------------------

int run_normalize(const NormalizeArgs& a) {
  const Kind kind = ident::kind_from_string(a.kind).value_or(Kind::Auto);
  auto cache = tac::load_tac_cache(a.db);
  if (!cache) {
    std::cerr << "dfx normalize: " << cache.error().message << '\n';
    return kExitRuntimeError;
  }
  bool any_invalid = false;
  const bool json = a.format == "json";
  StdoutBuffer out;
  Table table({"INPUT", "KIND", "VALID", "CANONICAL", "DETAILS"});
  // Returns false to stop reading: once stdout failed, the rest would be lost anyway.
  const auto handle = [&](std::string_view value) {
    const Normalized r = ident::normalize(value, kind);
    any_invalid |= !r.has_value();
    if (json) {
      write_json(out.buffer(), value, r, *cache);
      out.maybe_flush();
    } else {
      table.add(table_row(value, r, *cache));
    }
    return out.error() == 0;
  };

  if (!a.values.empty()) {
    for (const auto& v : a.values)
      if (!handle(v)) break;
  } else {
    if (::isatty(STDIN_FILENO))
      std::cerr << "dfx normalize: reading values from stdin, one per line (end with Ctrl-D)\n";
    auto lines = text::LineReader::from_fd(STDIN_FILENO, "stdin");
    if (auto r = for_each_line(lines, [&](std::string_view v, std::size_t) { return handle(v); });
        !r) {
      out.flush();
      std::cerr << "dfx normalize: " << text::printable(r.error().message) << '\n';
      return kExitRuntimeError;
    }
  }
  if (json) {
    out.flush();
    if (out.error() != 0) {
      std::cerr << "dfx normalize: writing stdout: " << std::strerror(out.error()) << '\n';
      return kExitRuntimeError;
    }
  } else if (!table.empty()) {
    table.print(std::cout);
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "dfx normalize: writing stdout failed\n";
      return kExitRuntimeError;
    }
  }
  return any_invalid ? kExitInvalidInput : kExitOk;
}

}  // namespace

std::vector<Command> add_normalize_command(CLI::App& app, const GlobalOptions&) {
  auto args = std::make_shared<NormalizeArgs>();
  auto* sub = app.add_subcommand(
      "normalize", "Validate identifiers (IMEI, MEID, ICCID, ...) and print their canonical form");
  sub->add_option("values", args->values,
                  "Identifiers to check; when none is given, one per line is read from stdin");
  sub->add_option("--kind", args->kind,
                  "imei, imeisv, meid, esn, iccid, imsi, eid, ecid, udid, serial, or auto (guess)")
      ->check(CLI::IsMember({"auto", "imei", "imeisv", "meid", "esn", "iccid", "imsi", "eid",
                             "ecid", "udid", "serial"},
                            CLI::ignore_case))
      ->capture_default_str();
  sub->add_option("--format", args->format,
                  "table (for people) or json (one object a line: input, kind, valid, "
                  "canonical, error, derived values, brand, model, notes)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  sub->add_option("--db", args->db, kTacDbHelp);
  sub->footer(
      "Blank input lines are skipped. IMEIs show the brand and model of their TAC when a TAC list "
      "was imported (dfx tac import). The table is built in memory: use --format json for large "
      "inputs.\n"
      "Exit status: 0 every value valid, 1 runtime error, 2 usage error, 4 some value invalid.");
  return {{sub, [args] { return run_normalize(*args); }}};
}

}  // namespace dfx::cli
