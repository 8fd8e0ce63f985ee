#include "registers/config.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

namespace dfx::registers {
namespace {

using nlohmann::json;

constexpr const char* kSqlitePlugin = "register-sqlite";
constexpr std::size_t kMaxConfigBytes = 1 << 20;
constexpr long kMaxTimeoutMs = 600000;

std::string line_column(std::string_view text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') { ++line; col = 1; } else { ++col; }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64 || id.front() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

Result<RegisterConfig> parse_register(const json& j, const std::string& where) {
  if (!j.is_object()) return fail(where + ": expected an object with \"id\" and \"plugin\"");
  RegisterConfig r;
  for (const auto& [key, value] : j.items()) {
    const std::string field = where + "." + key;
    if (key == "id" || key == "plugin") {
      if (!value.is_string() || !valid_id(value.get<std::string>()))
        return fail(field + ": expected lower-case letters, digits and '-' (at most 64)");
      (key == "id" ? r.id : r.plugin) = value.get<std::string>();
    } else if (key == "settings") {
      if (!value.is_object()) return fail(field + ": expected an object");
      r.settings_json = value.dump();
    } else if (key == "timeout_ms") {
      if (!value.is_number_integer() || value.get<long>() < 1 || value.get<long>() > kMaxTimeoutMs)
        return fail(field + ": expected a whole number of milliseconds from 1 to " +
                    std::to_string(kMaxTimeoutMs));
      r.timeout = std::chrono::milliseconds(value.get<long>());
    } else if (key == "comment" || key == "description") {
      // free text for the people who maintain the file
    } else {
      // A misspelt key would silently fall back to a default: refuse it.
      return fail(field + ": unknown field (expected id, plugin, settings, timeout_ms)");
    }
  }
  if (r.id.empty()) return fail(where + ": missing \"id\"");
  if (r.plugin.empty()) return fail(where + ": missing \"plugin\"");
  if (r.settings_json.empty()) r.settings_json = "{}";
  return r;
}

Result<std::string> read_small_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path.string() + ": cannot read: " + std::strerror(errno));
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes) return fail(path.string() + ": larger than 1 MiB");
  return text;
}

}  // namespace

Config default_config() {
  return Config{{RegisterConfig{"local", kSqlitePlugin, "{}", std::chrono::milliseconds(10000)}}, {}};
}

Result<Config> parse_config(std::string_view text, const std::filesystem::path& origin) {
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    const auto pos = what.rfind(": ");
    return fail(origin.string() + ": invalid JSON at " +
                line_column(text, e.byte == 0 ? 0 : e.byte - 1) + ": " +
                (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
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
  std::filesystem::path path;
  bool named = true;
  if (!option.empty()) {
    path = std::string(option);
  } else if (const char* env = getenv("DFX_CONFIG"); env && *env) {
    path = env;
  } else {
    named = false;
    const char* xdg = getenv("XDG_CONFIG_HOME");
    const char* home = getenv("HOME");
    if (xdg && *xdg == '/') path = std::filesystem::path(xdg) / "dfx" / "config.json";
    else if (home && *home) path = std::filesystem::path(home) / ".config" / "dfx" / "config.json";
    else return default_config();
  }
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (named) return fail("configuration file " + path.string() + " does not exist");
    return default_config();
  }
  auto text = read_small_file(path);
  if (!text) return tl::unexpected(std::move(text.error()));
  return parse_config(*text, path);
}

Result<Config> load_config(std::string_view option) {
  return load_config(option, [](const char* name) { return std::getenv(name); });
}

Result<void> override_sqlite_path(Config& config, const std::filesystem::path& path) {
  bool any = false;
  for (auto& r : config.registers) {
    if (r.plugin != kSqlitePlugin) continue;
    json settings = json::parse(r.settings_json);
    settings["path"] = std::filesystem::absolute(path).string();
    r.settings_json = settings.dump();
    any = true;
  }
  if (!any)
    return fail("--register-db given, but the configuration" +
                (config.source.empty() ? std::string() : " " + config.source.string()) +
                " has no register-sqlite register");
  return {};
}

}  // namespace dfx::registers
