#include "identity_reader.hpp"

#include <optional>
#include <set>
#include <string>
#include <utility>

#include "allow_list.hpp"
#include "devconinfo.hpp"
#include "values.hpp"

namespace dfx::at {
namespace {

using Level = Sink::Level;

bool contains_samsung(std::string_view s) {
  constexpr std::string_view word = "SAMSUNG";
  for (std::size_t i = 0; i + word.size() <= s.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < word.size() && match; ++j) {
      char c = s[i + j];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      match = c == word[j];
    }
    if (match) return true;
  }
  return false;
}

class Reader {
 public:
  Reader(Transport& transport, const ReadOptions& options, Sink& sink)
      : session_(transport, session_options(options)), options_(options), sink_(sink) {}

  Status run() {
    if (auto st = probe(); !st) return st;

    std::optional<std::string> manufacturer;
    if (auto v = first_text({"AT+CGMI", "AT+GMI"}, dfx::sdk::claim::manufacturer); !v)
      return fail(v.error());
    else
      manufacturer = *v;
    if (auto v = first_text({"AT+CGMM", "AT+GMM"}, dfx::sdk::claim::model); !v)
      return fail(v.error());
    if (auto v = first_text({"AT+CGMR", "AT+GMR"}, dfx::sdk::claim::version_baseband); !v)
      return fail(v.error());

    if (auto st =
            read_digits({"AT+CGSN", "AT+CGSN=1", "AT+GSN"}, dfx::sdk::claim::imei, &parse_imei);
        !st)
      return st;
    if (auto st = read_digits({"AT+CGSN=2"}, dfx::sdk::claim::imeisv, &parse_imeisv); !st)
      return st;
    if (options_.samsung || (manufacturer && contains_samsung(*manufacturer)))
      if (auto st = read_devconinfo(); !st) return st;
    if (auto st = read_iccid(); !st) return st;
    if (options_.read_imsi)
      if (auto st = read_imsi(); !st) return st;

    if (identifiers_ == 0)
      return fail(Errc::not_found, "the modem answered AT but gave no identifier (" + notes_ + ")");
    return {};
  }

 private:
  static SessionOptions session_options(const ReadOptions& o) {
    SessionOptions s = o.session;
    s.imsi_opted_in = o.read_imsi;
    return s;
  }

  Status probe() {
    auto r = session_.command("AT", options_.probe_timeout);
    if (!r)
      return fail(r.error().code, "no AT command interpreter answered (" + r.error().message +
                                      "); nothing else was sent");
    if (!r->ok())
      return fail(Errc::refused,
                  "AT was answered " + r->final_line + " instead of OK; nothing else was sent");
    sink_.log(Level::debug, std::string("AT: OK, echo ") + (r->echoed ? "on" : "off"));
    return {};
  }

  // Sends `command`; a reply ending in an error result is "not supported": logged, noted and
  // returned as nullopt. Transport failures are returned as errors (they end the read).
  Result<std::optional<Reply>> ask(std::string_view command) {
    auto r = session_.command(command, options_.command_timeout);
    if (!r) return fail(r.error());
    for (const auto& u : r->unsolicited)
      sink_.log(Level::debug, std::string(command) + ": ignored unsolicited \"" + u + "\"");
    if (!r->ok()) {
      note(std::string(command) + ": " + r->final_line);
      sink_.log(Level::info,
                std::string(command) + ": not supported by this modem (" + r->final_line + ")");
      return std::optional<Reply>{};
    }
    return std::optional<Reply>{std::move(*r)};
  }

  void note(const std::string& s) { notes_ += (notes_.empty() ? "" : "; ") + s; }

  void claim(const dfx::sdk::ClaimKind& kind, const std::string& value, const std::string& method) {
    // The same value of the same kind from a second command (Samsung's MN and +CGMM) is said
    // once; a different value is claimed too, so that the core sees the disagreement.
    if (!claimed_.insert({std::string(kind.text()), value}).second) return;
    sink_.claim(kind, value, method);
    if (kind.is_identifier()) ++identifiers_;
  }

  // The first command of `commands` that answers a usable text value.
  Result<std::optional<std::string>> first_text(std::initializer_list<std::string_view> commands,
                                                const dfx::sdk::ClaimKind& kind) {
    for (auto command : commands) {
      auto r = ask(command);
      if (!r) return fail(r.error());
      if (!*r) continue;
      const auto& prefixes = find_allowed(command)->answer_prefixes;
      auto value = first_value(**r, prefixes, command);
      if (value) value = parse_text(*value);
      if (!value) {
        note(std::string(command) + ": " + value.error().message);
        sink_.log(Level::warn, std::string(command) + ": " + value.error().message);
        continue;
      }
      claim(kind, *value, "at: " + std::string(command));
      return std::optional<std::string>{*value};
    }
    return std::optional<std::string>{};
  }

  Status read_digits(std::initializer_list<std::string_view> commands,
                     const dfx::sdk::ClaimKind& kind,
                     Result<std::string> (*parse)(std::string_view)) {
    for (auto command : commands) {
      auto r = ask(command);
      if (!r) return fail(r.error());
      if (!*r) continue;
      auto value = first_value(**r, find_allowed(command)->answer_prefixes, command);
      if (value) value = parse(*value);
      if (!value) {
        note(std::string(command) + ": " + value.error().message);
        sink_.log(Level::warn, std::string(command) + ": " + value.error().message);
        continue;
      }
      claim(kind, *value, "at: " + std::string(command));
      return {};
    }
    return {};
  }

  Status read_iccid() {
    for (std::string_view command : {"AT+CCID", "AT+ICCID", "AT+CRSM=176,12258,0,0,10"}) {
      auto r = ask(command);
      if (!r) return fail(r.error());
      if (!*r) continue;
      const bool crsm = command.starts_with("AT+CRSM");
      auto value = first_value(**r, find_allowed(command)->answer_prefixes, command);
      if (value) value = crsm ? decode_crsm_iccid(*value) : parse_iccid(*value);
      if (!value) {
        note(std::string(command) + ": " + value.error().message);
        sink_.log(Level::warn, std::string(command) + ": " + value.error().message);
        continue;
      }
      claim(dfx::sdk::claim::iccid, *value,
            "at: " + std::string(command) + (crsm ? " (READ BINARY of EF_ICCID)" : ""));
      return {};
    }
    return {};
  }

  Status read_devconinfo() {
    constexpr std::string_view command = "AT+DEVCONINFO";
    auto r = ask(command);
    if (!r) return fail(r.error());
    if (!*r) return {};
    // One line on the wire; joined in case a firmware wraps it.
    std::string text;
    for (const auto& line : (*r)->lines) text += line;
    auto info = parse_devconinfo(text);
    if (!info) {
      note(std::string(command) + ": " + info.error().message);
      sink_.log(Level::warn, info.error().message);
      return {};
    }
    const auto put = [&](const dfx::sdk::ClaimKind& kind, std::optional<std::string_view> v,
                         const char* field, auto parse) {
      if (!v || v->empty()) return;
      auto value = parse(*v);
      if (!value) {
        sink_.log(Level::warn,
                  std::string("AT+DEVCONINFO ") + field + ": " + value.error().message);
        return;
      }
      claim(kind, *value, std::string("at: AT+DEVCONINFO (") + field + ")");
    };
    put(dfx::sdk::claim::model, info->model(), "MN", &parse_text);
    put(dfx::sdk::claim::serial, info->serial(), "SN", &parse_text);
    put(dfx::sdk::claim::imei, info->imei(), "IMEI", &parse_imei);
    put("x_samsung_firmware", info->version(), "VER", &parse_text);
    std::string names;
    for (const auto& [name, value] : info->fields) names += (names.empty() ? "" : ",") + name;
    sink_.log(Level::debug, "AT+DEVCONINFO fields: " + names);
    return {};
  }

  Status read_imsi() {
    constexpr std::string_view command = "AT+CIMI";
    auto r = ask(command);
    if (!r) return fail(r.error());
    if (!*r) return {};
    auto value = first_value(**r, find_allowed(command)->answer_prefixes, command);
    if (value) value = parse_imsi(*value);
    if (!value) {
      sink_.log(Level::warn, std::string(command) + ": " + value.error().message);
      return {};
    }
    claim(dfx::sdk::claim::imsi, *value, "at: AT+CIMI (at the examiner's request)");
    const std::string why =
        "the IMSI (the subscriber's identity, personal data) was read with AT+CIMI because the "
        "examiner asked for it (--at-modem-read-imsi yes)";
    sink_.finding("imsi_read_on_request", why);
    sink_.log(Level::info, why);
    return {};
  }

  Session session_;
  const ReadOptions& options_;
  Sink& sink_;
  std::set<std::pair<std::string, std::string>> claimed_;
  std::size_t identifiers_ = 0;
  std::string notes_;
};

}  // namespace

Status read_identity(Transport& transport, const ReadOptions& options, Sink& sink) {
  return Reader(transport, options, sink).run();
}

}  // namespace dfx::at
