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
#include "cli/table.hpp"
#include "ident/identifier.hpp"
#include "tac/db_path.hpp"
#include "tac/json_writer.hpp"
#include "tac/tac_cache.hpp"
#include "tac/tac_db.hpp"
#include "tac/utf8.hpp"

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

constexpr std::size_t kBlock = 1 << 20;

// ---- TAC brand and model ---------------------------------------------------------------------

// The TAC table in memory, or an empty cache when there is no database yet (normalize works
// without one; a warning says so when the user named the file).
Result<tac::TacCache> load_tac_cache(const std::string& db_option) {
  auto where = tac::resolve_db_location(db_option);
  if (!where) return tl::unexpected(std::move(where.error()));
  std::error_code ec;
  if (!std::filesystem::exists(where->path, ec)) {
    if (where->source == tac::DbLocation::Source::Default)
      spdlog::debug("no TAC database at {}; brand and model not shown", where->path.string());
    else
      spdlog::warn("no TAC database at {}: brand and model not shown (import a TAC list with "
                   "dfx tac import FILE)", where->path.string());
    return tac::TacCache();
  }
  auto db = tac::TacDatabase::open(where->path, tac::Sqlite::Access::ReadOnly);
  if (!db) return tl::unexpected(std::move(db.error()));
  auto cache = tac::TacCache::load(*db);
  if (cache) spdlog::debug("{} TACs loaded from {}", cache->size(), where->path.string());
  return cache;
}

std::optional<tac::TacName> tac_of(const ident::Identifier& id, const tac::TacCache& cache) {
  if (id.kind != Kind::Imei && id.kind != Kind::Imeisv) return std::nullopt;
  return cache.find(id.derived.tac);
}

// ---- output ----------------------------------------------------------------------------------

// stdout through write(2) in large blocks; remembers the first error (EPIPE when the reader went
// away and SIGPIPE is ignored, ENOSPC, ...).
class StdoutBuffer {
 public:
  StdoutBuffer() : buf_(kBlock + 4096) {}
  tac::JsonBuffer& buffer() { return buf_; }
  void maybe_flush() {
    if (buf_.size() >= kBlock) flush();
  }
  void flush() {
    const std::string_view data = buf_.view();
    std::size_t done = 0;
    while (done < data.size() && error_ == 0) {
      const ssize_t n = ::write(STDOUT_FILENO, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) error_ = errno;
      else done += static_cast<std::size_t>(n);
    }
    buf_.clear();
  }
  [[nodiscard]] int error() const { return error_; }

 private:
  tac::JsonBuffer buf_;
  int error_ = 0;
};

void write_json(tac::JsonBuffer& out, std::string_view input, const Normalized& r,
                const tac::TacCache& cache) {
  tac::JsonObjectWriter w(out);
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
    if (e.kind == Kind::Auto) w.null_field("kind");
    else w.field("kind", ident::to_string(e.kind));
    w.field("valid", false);
    w.null_field("canonical");
    w.field("error", e.reason);
    w.field("problem", ident::to_string(e.problem));
    if (e.position != 0) w.field("position", static_cast<std::uint64_t>(e.position));
    w.field("notes", e.notes);
  }
  w.end();
}

// A value for a terminal: control characters and invalid UTF-8 bytes shown as \xNN, so that a
// hostile value cannot move the cursor or change the terminal's state.
std::string printable(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = tac::utf8_sequence_length(s, i);  // 0: not well-formed UTF-8
    // C1 controls (U+0080-U+009F, e.g. CSI U+009B) act on terminals too: escape their bytes.
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) n = 0;
    if (n == 0 || c < 0x20 || c == 0x7F) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
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
      add(t->model.empty() ? std::string(t->brand) : std::string(t->brand) + " " + std::string(t->model));
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

bool is_blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

// Calls on_line(line) for every line of `fd` (LF or CRLF endings; a last line without one counts)
// except blank ones, until it returns false. Lines may be longer than a block: the buffer grows.
template <typename F>
Result<void> for_each_line(int fd, F&& on_line) {
  std::vector<char> buf(kBlock);
  std::size_t begin = 0, end = 0;  // unconsumed bytes are buf[begin, end)
  bool go_on = true;
  const auto emit = [&](const char* p, std::size_t n) {
    if (n && p[n - 1] == '\r') --n;
    const std::string_view line(p, n);
    if (!is_blank(line)) go_on = on_line(line);
  };
  for (;;) {
    if (begin > 0) {  // keep the partial last line, at the front
      std::memmove(buf.data(), buf.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    if (end == buf.size()) buf.resize(buf.size() * 2);
    const ssize_t n = ::read(fd, buf.data() + end, buf.size() - end);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::string("reading stdin: ") + std::strerror(errno));
    if (n == 0) break;
    std::size_t scan = end;  // no '\n' before here
    end += static_cast<std::size_t>(n);
    while (const void* nl = std::memchr(buf.data() + scan, '\n', end - scan)) {
      const auto* p = static_cast<const char*>(nl);
      emit(buf.data() + begin, static_cast<std::size_t>(p - (buf.data() + begin)));
      begin = scan = static_cast<std::size_t>(p - buf.data()) + 1;
      if (!go_on) return {};
    }
  }
  if (end > begin) emit(buf.data() + begin, end - begin);
  return {};
}

// ---- command ---------------------------------------------------------------------------------

int run_normalize(const NormalizeArgs& a) {
  const Kind kind = ident::kind_from_string(a.kind).value_or(Kind::Auto);
  auto cache = load_tac_cache(a.db);
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
    if (auto r = for_each_line(STDIN_FILENO, handle); !r) {
      out.flush();
      std::cerr << "dfx normalize: " << r.error().message << '\n';
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
  sub->add_option("--db", args->db,
                  "dfx database with the TAC list (default $DFX_DB, else "
                  "$XDG_DATA_HOME/dfx/dfx.sqlite, else ~/.local/share/dfx/dfx.sqlite)");
  sub->footer(
      "Blank input lines are skipped. IMEIs show the brand and model of their TAC when a TAC list "
      "was imported (dfx tac import). The table is built in memory: use --format json for large "
      "inputs.\n"
      "Exit status: 0 every value valid, 1 runtime error, 2 usage error, 4 some value invalid.");
  return {{sub, [args] { return run_normalize(*args); }}};
}

}  // namespace dfx::cli
