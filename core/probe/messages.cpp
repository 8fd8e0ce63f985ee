#include "probe/messages.hpp"

#include <nlohmann/json.hpp>

#include "base/json_file.hpp"

namespace dfx::probe {
namespace {

using nlohmann::json;

// Payloads come from another process that may run hostile plugin code: every parse is guarded and
// reports what was wrong instead of throwing across the supervisor. Invalid UTF-8 from a device is
// replaced, never allowed to break serialization.
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

template <typename T, typename F>
Result<T> parse_with(const std::string& payload, const char* what, F&& fill) {
  // The one JSON reader with limits: nesting depth, and a key given twice is refused rather
  // than letting the second silently win.
  auto parsed = parse_json(payload, std::string(what) + " message");
  if (!parsed) return fail("malformed " + parsed.error().message);
  try {
    const json& j = *parsed;
    T out;
    fill(j, out);
    return out;
  } catch (const json::exception& e) {
    return fail(std::string("malformed ") + what + " message: " + e.what());
  }
}

json abi_json(plugin_host::AbiVersion v) {
  return v.str();
}
plugin_host::AbiVersion abi_from(const json& j) {
  const auto s = j.get<std::string>();
  const auto dot = s.find('.');
  if (dot == std::string::npos) throw json::other_error::create(501, "abi is not MAJOR.MINOR", &j);
  return {static_cast<uint16_t>(std::stoul(s.substr(0, dot))),
          static_cast<uint16_t>(std::stoul(s.substr(dot + 1)))};
}

}  // namespace

std::string to_payload(const Request& r) {
  json j = {{"mode", r.mode == Mode::Probe     ? "probe"
                     : r.mode == Mode::Inspect ? "inspect"
                                               : "register"},
            {"manifest", r.manifest.string()},
            {"deadline_ms", r.deadline_ms}};
  if (r.device) j["device"] = *r.device;
  if (r.mode == Mode::Register) {
    j["register_config"] = r.register_config;
    j["network"] = r.network;
    if (!r.grant_environment.empty()) j["grant_environment"] = r.grant_environment;
    if (!r.grant_files.empty()) {
      json files = json::array();
      for (const auto& f : r.grant_files) files.push_back(f.string());
      j["grant_files"] = files;
    }
  }
  if (r.transcript) j["transcript"] = true;
  if (!r.replay.empty()) j["replay"] = r.replay.string();
  return dump(j);
}
std::string to_payload(const Hello& h) {
  return dump({{"protocol", h.protocol}, {"abi", abi_json(h.abi)}, {"pid", h.pid}});
}
std::string to_payload(const LogLine& l) {
  return dump({{"level", l.level}, {"message", l.message}});
}
std::string to_payload(const Claim& c) {
  return dump({{"kind", c.kind}, {"value", c.value}, {"method", c.method}});
}
std::string to_payload(const Finding& f) {
  return dump({{"code", f.code}, {"message", f.message}});
}
std::string to_payload(const Done& d) {
  json j = {{"ok", d.ok}, {"code", d.code}, {"error", d.error}};
  if (d.plugin)
    j["plugin"] = {{"id", d.plugin->id},
                   {"version", d.plugin->version},
                   {"name", d.plugin->name},
                   {"kind", d.plugin->kind},
                   {"abi", abi_json(d.plugin->abi)}};
  return dump(j);
}

std::string to_payload(const TranscriptEnd& t) {
  return dump({{"bytes", t.bytes}, {"sha256", t.sha256}});
}
Result<TranscriptEnd> parse_transcript_end(const std::string& p) {
  return parse_with<TranscriptEnd>(p, "transcript end", [](const json& j, TranscriptEnd& t) {
    t.bytes = j.at("bytes").get<uint64_t>();
    t.sha256 = j.at("sha256").get<std::string>();
  });
}

Result<Request> parse_request(const std::string& p) {
  return parse_with<Request>(p, "request", [](const json& j, Request& r) {
    const auto mode = j.at("mode").get<std::string>();
    if (mode != "probe" && mode != "inspect" && mode != "register")
      throw json::other_error::create(501, "unknown mode " + mode, &j);
    r.mode = mode == "probe" ? Mode::Probe : mode == "inspect" ? Mode::Inspect : Mode::Register;
    if (r.mode == Mode::Register) {
      r.register_config = j.at("register_config").get<std::string>();
      r.network = j.at("network").get<bool>();
      if (auto it = j.find("grant_environment"); it != j.end())
        r.grant_environment = it->get<std::vector<std::string>>();
      if (auto it = j.find("grant_files"); it != j.end())
        for (const auto& f : *it) r.grant_files.emplace_back(f.get<std::string>());
    }
    r.manifest = j.at("manifest").get<std::string>();
    r.deadline_ms = j.at("deadline_ms").get<uint32_t>();
    if (auto it = j.find("device"); it != j.end()) r.device = it->get<usb::DeviceFacts>();
    if (auto it = j.find("transcript"); it != j.end()) r.transcript = it->get<bool>();
    if (auto it = j.find("replay"); it != j.end()) r.replay = it->get<std::string>();
  });
}
Result<Hello> parse_hello(const std::string& p) {
  return parse_with<Hello>(p, "hello", [](const json& j, Hello& h) {
    h.protocol = j.at("protocol").get<uint16_t>();
    h.abi = abi_from(j.at("abi"));
    h.pid = j.at("pid").get<int64_t>();
  });
}
Result<LogLine> parse_log(const std::string& p) {
  return parse_with<LogLine>(p, "log", [](const json& j, LogLine& l) {
    l.level = j.at("level").get<std::string>();
    l.message = j.at("message").get<std::string>();
  });
}
Result<Claim> parse_claim(const std::string& p) {
  return parse_with<Claim>(p, "claim", [](const json& j, Claim& c) {
    c.kind = j.at("kind").get<std::string>();
    c.value = j.at("value").get<std::string>();
    c.method = j.at("method").get<std::string>();
  });
}
Result<Finding> parse_finding(const std::string& p) {
  return parse_with<Finding>(p, "finding", [](const json& j, Finding& f) {
    f.code = j.at("code").get<std::string>();
    f.message = j.at("message").get<std::string>();
  });
}
Result<Done> parse_done(const std::string& p) {
  return parse_with<Done>(p, "done", [](const json& j, Done& d) {
    d.ok = j.at("ok").get<bool>();
    d.code = j.at("code").get<std::string>();
    d.error = j.at("error").get<std::string>();
    if (auto it = j.find("plugin"); it != j.end()) {
      PluginIdentity id;
      id.id = it->at("id").get<std::string>();
      id.version = it->at("version").get<std::string>();
      id.name = it->at("name").get<std::string>();
      id.kind = it->at("kind").get<std::string>();
      id.abi = abi_from(it->at("abi"));
      d.plugin = id;
    }
  });
}

}  // namespace dfx::probe
