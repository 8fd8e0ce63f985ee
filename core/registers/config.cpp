#include "registers/config.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "base/json_file.hpp"
#include "register_store/location.hpp"

namespace dfx::registers {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxConfigBytes = 1 << 20;
constexpr long kMaxTimeoutMs = 600000;

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64 || id.front() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool valid_env_name(const std::string& name) {
  if (name.empty() || name.size() > 128 || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Result<RegisterConfig> parse_register(const json& j, const std::string& where) {
  if (!j.is_object())
    return fail(where + ": expected an object with \"id\" and either \"builtin\" or \"plugin\"");
  RegisterConfig r;
  for (const auto& [key, value] : j.items()) {
    const std::string field = where + "." + key;
    if (key == "id" || key == "plugin") {
      if (!value.is_string() || !valid_id(value.get<std::string>()))
        return fail(field + ": expected lower-case letters, digits and '-' (at most 64)");
      (key == "id" ? r.id : r.plugin) = value.get<std::string>();
      if (key == "plugin" && r.plugin == "register-sqlite")
        return fail(field + ": the SQLite register is built into dfx now: write \"builtin\": \"" +
                    std::string(kBuiltinSqlite) + "\" instead of \"plugin\": \"register-sqlite\"");
    } else if (key == "builtin") {
      if (!value.is_string() || value.get<std::string>() != kBuiltinSqlite)
        return fail(field + ": the built-in register backends are: " + std::string(kBuiltinSqlite));
      r.builtin = value.get<std::string>();
    } else if (key == "settings") {
      if (!value.is_object()) return fail(field + ": expected an object");
      r.settings_json = value.dump();
    } else if (key == "timeout_ms") {
      if (!value.is_number_integer() || value.get<long>() < 1 || value.get<long>() > kMaxTimeoutMs)
        return fail(field + ": expected a whole number of milliseconds from 1 to " +
                    std::to_string(kMaxTimeoutMs));
      r.timeout = std::chrono::milliseconds(value.get<long>());
    } else if (key == "batch") {
      if (!value.is_number_integer() || value.get<long>() < 1 || value.get<long>() > 10000)
        return fail(field + ": expected a whole number of lookups per call from 1 to 10000");
      r.batch = static_cast<std::size_t>(value.get<long>());
    } else if (key == "network") {
      // Only for a plugin that asks a remote service: its sandbox keeps the network then.
      if (!value.is_boolean()) return fail(field + ": expected true or false");
      r.network = value.get<bool>();
    } else if (key == "environment") {
      // What a plugin may read beyond its manifest: a secret's variable, named here so that
      // whoever reads the configuration sees every grant.
      if (!value.is_array()) return fail(field + ": expected an array of variable names");
      for (const auto& v : value) {
        if (!v.is_string() || !valid_env_name(v.get<std::string>()))
          return fail(field + ": expected variable names ([A-Z_][A-Z0-9_]*)");
        r.environment.push_back(v.get<std::string>());
      }
    } else if (key == "files") {
      if (!value.is_array()) return fail(field + ": expected an array of absolute paths");
      for (const auto& v : value) {
        if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>()[0] != '/' ||
            v.get<std::string>() == "/")
          return fail(field + ": expected absolute paths of files or folders (not /)");
        r.files.emplace_back(v.get<std::string>());
      }
    } else if (key == "comment" || key == "description") {
      // free text for the people who maintain the file
    } else {
      // A misspelt key would silently fall back to a default: refuse it.
      return fail(field +
                  ": unknown field (expected id, builtin or plugin, settings, timeout_ms, network, "
                  "environment, "
                  "files)");
    }
  }
  if (r.id.empty()) return fail(where + ": missing \"id\"");
  if (r.plugin.empty() == r.builtin.empty())
    return fail(where + ": give exactly one of \"builtin\" (\"" + std::string(kBuiltinSqlite) +
                "\", the local register) or \"plugin\" (a register plugin's id)");
  if (r.settings_json.empty()) r.settings_json = "{}";
  if (r.network && !r.builtin.empty())
    return fail(where + ".network: the built-in register is a local file and needs no network");
  if (j.contains("batch") && !r.builtin.empty())
    return fail(where + ".batch: the built-in register is asked in-process, not in calls");
  if ((!r.environment.empty() || !r.files.empty()) && !r.builtin.empty())
    return fail(where +
                ": \"environment\" and \"files\" are grants to a register plugin's "
                "sandbox; the built-in register runs in dfx and takes none");
  return r;
}

}  // namespace

Config default_config() {
  RegisterConfig local;
  local.id = "local";
  local.builtin = kBuiltinSqlite;
  return Config{{std::move(local)}, {}};
}

Result<Config> parse_config(std::string_view text, const std::filesystem::path& origin) {
  auto parsed = parse_json(text, origin);
  if (!parsed) return tl::unexpected(std::move(parsed.error()));
  const json& j = *parsed;
  const auto bad = [&](const std::string& why) { return fail(origin.string() + ": " + why); };
  if (!j.is_object()) return bad("the configuration must be a JSON object");
  Config config;
  config.source = origin;
  for (const auto& [key, value] : j.items()) {
    if (key == "registers") {
      if (!value.is_array()) return bad("\"registers\" must be an array");
      std::set<std::string> ids;
      for (std::size_t i = 0; i < value.size(); ++i) {
        auto r = parse_register(value[i], "registers[" + std::to_string(i) + "]");
        if (!r) return bad(r.error().message);
        if (!ids.insert(r->id).second)
          return bad("registers[" + std::to_string(i) + "].id: \"" + r->id + "\" is used twice");
        config.registers.push_back(std::move(*r));
      }
    } else if (key != "comment") {
      return bad("unknown field \"" + key + "\" (expected \"registers\")");
    }
  }
  if (!j.contains("registers")) return bad("missing \"registers\"");
  if (config.registers.empty())
    return bad("\"registers\" is empty: with no register nothing can ever be called clear");
  return config;
}

Result<Config> load_config(std::string_view option, const GetEnv& getenv) {
  auto where = locate_user_file(option, "DFX_CONFIG", XdgBase::Config, "config.json", getenv);
  if (!where) return default_config();  // no $HOME: nothing to find at a default location
  std::error_code ec;
  if (!std::filesystem::exists(where->path, ec)) {
    if (where->named())
      return fail("configuration file " + where->path.string() + " does not exist");
    return default_config();
  }
  auto text = read_small_file(where->path, kMaxConfigBytes, "not a dfx configuration");
  if (!text) return tl::unexpected(std::move(text.error()));
  return parse_config(*text, where->path);
}

Result<void> override_sqlite_path(Config& config, std::string_view option) {
  const std::string from =
      config.source.empty() ? std::string("the default configuration") : config.source.string();
  // "ID=FILE" names the register; "FILE" alone is only unambiguous with one sqlite register.
  std::string id;
  std::string file(option);
  if (const auto eq = option.find('='); eq != std::string_view::npos) {
    const std::string_view maybe_id = option.substr(0, eq);
    const bool named = std::any_of(config.registers.begin(), config.registers.end(),
                                   [&](const RegisterConfig& r) { return r.id == maybe_id; });
    if (named) {
      id = maybe_id;
      file = option.substr(eq + 1);
    } else if (maybe_id.find('/') == std::string_view::npos) {
      // Most likely a mistyped register id: reading it as a file name would ask a register
      // that does not exist and hide the one the user meant.
      std::string ids;
      for (const auto& r : config.registers) ids += (ids.empty() ? "" : ", ") + r.id;
      return fail("--register-db " + std::string(option) + ": " + from + " has no register \"" +
                  std::string(maybe_id) + "\" (it has: " + (ids.empty() ? "none" : ids) +
                  "); for a file whose name holds '=', write ./" + std::string(option));
    }
  }
  std::vector<RegisterConfig*> sqlite;
  for (auto& r : config.registers)
    if (r.builtin == kBuiltinSqlite && (id.empty() || r.id == id)) sqlite.push_back(&r);
  if (!id.empty() && sqlite.empty())
    return fail("--register-db " + std::string(option) + ": register \"" + id + "\" of " + from +
                " is not a built-in sqlite register");
  if (sqlite.empty())
    return fail("--register-db given, but " + from + " has no built-in sqlite register");
  if (sqlite.size() > 1) {
    std::string ids;
    for (const auto* r : sqlite) ids += (ids.empty() ? "" : ", ") + r->id;
    return fail("--register-db " + std::string(option) + ": " + from + " has " +
                std::to_string(sqlite.size()) + " built-in sqlite registers (" + ids +
                "); say which one: --register-db " + sqlite.front()->id + "=FILE");
  }
  json settings = json::parse(sqlite.front()->settings_json);
  settings["path"] = std::filesystem::absolute(file).string();
  sqlite.front()->settings_json = settings.dump();
  return {};
}

Result<void> check_distinct_files(const Config& config, const GetEnv& getenv) {
  struct Seen {
    std::filesystem::path file;
    std::string id;
    dev_t dev = 0;
    ino_t ino = 0;  // 0: the file does not exist (yet)
  };
  std::vector<Seen> seen;
  for (const auto& r : config.registers) {
    if (r.builtin != kBuiltinSqlite) continue;
    const json settings = json::parse(r.settings_json);
    const std::string path = settings.contains("path") && settings["path"].is_string()
                                 ? settings["path"].get<std::string>()
                                 : std::string();
    auto where = register_store::resolve_register_path(path, getenv);
    if (!where) continue;  // the register reports it when it opens
    std::error_code ec;
    auto file = std::filesystem::weakly_canonical(*where, ec);
    if (ec) file = where->lexically_normal();
    // The same file by another name (a hard link, a bind mount) is the same inode.
    struct stat st {};
    const bool exists = ::stat(file.c_str(), &st) == 0;
    for (const auto& other : seen)
      if (other.file == file ||
          (exists && other.ino != 0 && other.dev == st.st_dev && other.ino == st.st_ino))
        return fail("registers " + other.id + " and " + r.id + " both use " + file.string() +
                    (other.file == file ? "" : " (also named " + other.file.string() + ")") +
                    ": one set of reports would look like two registers' answers");
    seen.push_back({file, r.id, exists ? st.st_dev : 0, exists ? st.st_ino : 0});
  }
  return {};
}

}  // namespace dfx::registers
