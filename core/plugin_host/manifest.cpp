#include "plugin_host/manifest.hpp"

#include <dfx/plugin.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/json_file.hpp"

#include "ident/identifier.hpp"
#include "plugin_host/trusted_file.hpp"

namespace dfx::plugin_host {
namespace {

using nlohmann::json;

// Where a byte offset falls, as "line L, column C", for JSON syntax errors.

// USB numbers are written either as JSON integers or as hex strings ("0x18d1"), since that is how
// vendors and lsusb print them.
Result<unsigned> usb_number(const json& v, const std::string& field, unsigned max) {
  unsigned long n = 0;
  if (v.is_number_unsigned()) {
    n = v.get<unsigned long>();
  } else if (v.is_string()) {
    const auto s = v.get<std::string>();
    if (s.size() < 3 || s.size() > 6 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
      return fail(field + ": \"" + s + "\" is not a hex number like \"0x18d1\"");
    std::size_t used = 0;
    try {
      n = std::stoul(s.substr(2), &used, 16);
    } catch (...) {
      used = 0;
    }
    if (used != s.size() - 2) return fail(field + ": \"" + s + "\" is not a hex number");
  } else {
    return fail(field + ": expected a number or a hex string");
  }
  if (n > max)
    return fail(field + ": " + std::to_string(n) + " is out of range (max " + std::to_string(max) +
                ")");
  return static_cast<unsigned>(n);
}

Result<UsbMatchRule> parse_rule(const json& j, const std::string& where) {
  if (!j.is_object()) return fail(where + ": a match rule must be an object");
  UsbMatchRule r;
  bool any_field = false;
  for (const auto& item : j.items()) {
    // Named, not a structured binding: the lambdas below capture it (clang 14, which the lint
    // runs, cannot capture bindings).
    const std::string& key = item.key();
    const json& value = item.value();
    const std::string field = where + "." + key;
    auto set8 = [&](std::optional<uint8_t>& dst) -> Result<void> {
      auto n = usb_number(value, field, 0xFF);
      if (!n) return tl::unexpected(n.error());
      dst = static_cast<uint8_t>(*n);
      return {};
    };
    auto set16 = [&](std::optional<uint16_t>& dst) -> Result<void> {
      auto n = usb_number(value, field, 0xFFFF);
      if (!n) return tl::unexpected(n.error());
      dst = static_cast<uint16_t>(*n);
      return {};
    };
    Result<void> ok;
    if (key == "vendor_id")
      ok = set16(r.vendor_id);
    else if (key == "product_id")
      ok = set16(r.product_id);
    else if (key == "device_class")
      ok = set8(r.device_class);
    else if (key == "device_subclass")
      ok = set8(r.device_subclass);
    else if (key == "device_protocol")
      ok = set8(r.device_protocol);
    else if (key == "interface_class")
      ok = set8(r.interface_class);
    else if (key == "interface_subclass")
      ok = set8(r.interface_subclass);
    else if (key == "interface_protocol")
      ok = set8(r.interface_protocol);
    else if (key == "interface_name") {
      if (!value.is_string() || value.get<std::string>().empty() ||
          value.get<std::string>().size() > 126)
        return fail(field + ": expected the interface's iInterface string (1-126 characters)");
      r.interface_name = value.get<std::string>();
    } else if (key == "any") {
      if (!value.is_boolean() || !value.get<bool>())
        return fail(field + ": only \"any\": true is meaningful");
      r.any = true;
    } else {
      // A misspelt key would silently widen the rule to "match everything": refuse it.
      return fail(field + ": unknown match field");
    }
    if (!ok) return tl::unexpected(ok.error());
    any_field = true;
  }
  if (!any_field)
    return fail(where + ": an empty rule would match every device; write {\"any\": true}");
  if (r.product_id && !r.vendor_id) return fail(where + ": product_id needs a vendor_id");
  return r;
}

Result<std::string> required_string(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return fail(std::string("missing field \"") + key + "\"");
  if (!it->is_string() || it->get<std::string>().empty())
    return fail(std::string("field \"") + key + "\" must be a non-empty string");
  return it->get<std::string>();
}

Result<AbiVersion> parse_abi(const std::string& s) {
  // Hand-written rather than std::regex: a regex costs milliseconds to build, per process.
  const auto bad = [&] { return fail("field \"abi\": \"" + s + "\" is not \"MAJOR.MINOR\""); };
  const auto dot = s.find('.');
  if (dot == std::string::npos) return bad();
  unsigned major = 0, minor = 0;
  const char* end = s.data() + s.size();
  auto [p1, e1] = std::from_chars(s.data(), s.data() + dot, major);
  auto [p2, e2] = std::from_chars(s.data() + dot + 1, end, minor);
  if (dot == 0 || dot + 1 == s.size() || e1 != std::errc{} || p1 != s.data() + dot ||
      e2 != std::errc{} || p2 != end || s[dot + 1] == '+' || s[0] == '+')
    return bad();
  if (major > 0xFFFF || minor > 0xFFFF) return fail("field \"abi\": \"" + s + "\" is out of range");
  return AbiVersion{static_cast<uint16_t>(major), static_cast<uint16_t>(minor)};
}

// The "usb" section: the requests the plugin may send (usb/surface.hpp).
Result<usb::Surface> parse_usb(const json& j) {
  usb::Surface surface;
  if (!j.is_object()) return fail("field \"usb\" must be an object");
  const auto why_of = [](const json& e, const std::string& where) -> Result<std::string> {
    auto it = e.find("why");
    if (it == e.end() || !it->is_string() || it->get<std::string>().empty())
      return fail(where + ": \"why\" is missing (say what the plugin reads with it)");
    return it->get<std::string>();
  };
  for (const auto& [key, value] : j.items()) {
    if (key != "control" && key != "interfaces" && key != "configurations")
      return fail("usb: unknown field \"" + key + "\" (control, interfaces, configurations)");
    if (!value.is_array()) return fail("usb." + key + " must be an array");
    for (std::size_t i = 0; i < value.size(); ++i) {
      const auto& e = value[i];
      const std::string where = "usb." + key + "[" + std::to_string(i) + "]";
      if (!e.is_object()) return fail(where + " must be an object");
      auto why = why_of(e, where);
      if (!why) return tl::unexpected(why.error());
      if (key == "control") {
        usb::ControlRule r;
        r.why = *why;
        for (const auto& [k, v] : e.items()) {
          if (k == "why") continue;
          if (k != "request_type" && k != "request")
            return fail(where + ": unknown field \"" + k + "\"");
          auto n = usb_number(v, where + "." + k, 0xFF);
          if (!n) return tl::unexpected(n.error());
          (k == "request_type" ? r.request_type : r.request) = static_cast<uint8_t>(*n);
        }
        if (!e.contains("request_type") || !e.contains("request"))
          return fail(where + ": needs \"request_type\" and \"request\"");
        if (auto no = usb::undeclarable_control(r.request_type, r.request))
          return fail(where + ": " + *no);
        surface.control.push_back(std::move(r));
      } else {
        usb::InterfaceRule r;
        r.why = *why;
        bool any = false;
        for (const auto& [k, v] : e.items()) {
          if (k == "why") continue;
          if (k == "bulk_out" && key == "interfaces") {
            if (!v.is_boolean()) return fail(where + ".bulk_out must be true or false");
            r.bulk_out = v.get<bool>();
            continue;
          }
          if (k == "interface_name") {
            if (!v.is_string() || v.get<std::string>().empty())
              return fail(where + ".interface_name must be the interface's iInterface string");
            r.interface_name = v.get<std::string>();
            continue;
          }
          std::optional<uint8_t>* dst = k == "interface_class"      ? &r.interface_class
                                        : k == "interface_subclass" ? &r.interface_subclass
                                        : k == "interface_protocol" ? &r.interface_protocol
                                                                    : nullptr;
          if (dst == nullptr) return fail(where + ": unknown field \"" + k + "\"");
          auto n = usb_number(v, where + "." + k, 0xFF);
          if (!n) return tl::unexpected(n.error());
          *dst = static_cast<uint8_t>(*n);
          any = true;
        }
        if (!any) return fail(where + ": name the interface (interface_class at least)");
        (key == "interfaces" ? surface.interfaces : surface.configurations).push_back(std::move(r));
      }
    }
  }
  return surface;
}

Result<std::vector<PluginSetting>> parse_settings(const json& j, const SandboxNeeds& sandbox) {
  if (!j.is_array()) return fail("field \"settings\" must be an array");
  std::vector<PluginSetting> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto& e = j[i];
    const std::string where = "settings[" + std::to_string(i) + "]";
    if (!e.is_object()) return fail(where + " must be an object");
    PluginSetting s;
    for (const auto& [k, v] : e.items()) {
      if (k == "list") {
        if (!v.is_boolean()) return fail(where + ".list must be true or false");
        s.list = v.get<bool>();
        continue;
      }
      std::string* dst = k == "name"          ? &s.name
                         : k == "environment" ? &s.environment
                         : k == "help"        ? &s.help
                                              : nullptr;
      if (dst == nullptr) return fail(where + ": unknown field \"" + k + "\"");
      if (!v.is_string()) return fail(where + "." + k + " must be a string");
      *dst = v.get<std::string>();
    }
    const auto name_char = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    };
    if (s.name.empty() || s.name.size() > 64 || !(s.name[0] >= 'a' && s.name[0] <= 'z') ||
        !std::all_of(s.name.begin(), s.name.end(), name_char))
      return fail(where +
                  ".name must be lower-case letters, digits and '-', starting with a "
                  "letter");
    if (s.help.empty()) return fail(where + ": \"help\" is missing (say what the setting does)");
    if (std::find(sandbox.environment.begin(), sandbox.environment.end(), s.environment) ==
        sandbox.environment.end())
      return fail(where + ".environment \"" + s.environment +
                  "\" is not in sandbox.environment: the plugin would never see it");
    for (const auto& other : out)
      if (other.name == s.name) return fail(where + ": \"" + s.name + "\" is declared twice");
    out.push_back(std::move(s));
  }
  return out;
}

// "$VAR", "$VAR/rest" or an absolute path, with a plain variable name.
bool valid_candidate(const std::string& c) {
  if (c.empty()) return false;
  if (c[0] == '/') return c.find("/../") == std::string::npos && !c.ends_with("/..");
  if (c[0] != '$') return false;
  const auto slash = c.find('/');
  const std::string var = c.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
  const auto name_char = [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
  };
  return !var.empty() && std::all_of(var.begin(), var.end(), name_char) &&
         c.find("/../") == std::string::npos && !c.ends_with("/..");
}

Result<SandboxNeeds> parse_sandbox(const json& j) {
  SandboxNeeds needs;
  if (!j.is_object()) return fail("field \"sandbox\" must be an object");
  for (const auto& [key, value] : j.items()) {
    if (key == "environment") {
      if (!value.is_array()) return fail("sandbox.environment must be an array of names");
      for (const auto& v : value) {
        if (!v.is_string() || !valid_candidate("$" + v.get<std::string>()))
          return fail("sandbox.environment: " + v.dump() + " is not a variable name (A-Z, 0-9, _)");
        needs.environment.push_back(v.get<std::string>());
      }
    } else if (key == "paths") {
      if (!value.is_array()) return fail("sandbox.paths must be an array");
      for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& e = value[i];
        const std::string where = "sandbox.paths[" + std::to_string(i) + "]";
        if (!e.is_object()) return fail(where + " must be an object");
        DataPath d;
        for (const auto& [k, v] : e.items()) {
          if (k == "path") {
            const json list = v.is_array() ? v : json::array({v});
            for (const auto& c : list) {
              if (!c.is_string() || !valid_candidate(c.get<std::string>()))
                return fail(where + ".path: " + c.dump() +
                            " is not \"$VAR\", \"$VAR/rest\" or an absolute path");
              d.candidates.push_back(c.get<std::string>());
            }
          } else if (k == "access") {
            if (v == "read-only")
              d.writable = false;
            else if (v == "read-write")
              d.writable = true;
            else
              return fail(where + ".access: " + v.dump() + " is neither read-only nor read-write");
          } else if (k == "list") {
            if (!v.is_boolean()) return fail(where + ".list must be true or false");
            d.list = v.get<bool>();
          } else if (k == "why") {
            if (!v.is_string()) return fail(where + ".why must be a sentence");
            d.why = v.get<std::string>();
          } else {
            return fail(where + ": unknown field \"" + k + "\"");
          }
        }
        if (d.candidates.empty()) return fail(where + ": \"path\" is missing");
        if (d.why.empty())
          return fail(where + ": \"why\" is missing (say what the plugin keeps there)");
        needs.paths.push_back(std::move(d));
      }
    } else {
      return fail("sandbox: unknown field \"" + key + "\"");
    }
  }
  return needs;
}

Result<Manifest> parse_object(const json& j) {
  if (!j.is_object()) return fail("the manifest must be a JSON object");
  Manifest m;
  auto id = required_string(j, "id");
  if (!id) return tl::unexpected(id.error());
  const auto id_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  };
  if (id->size() > 64 || id->front() == '-' || !std::all_of(id->begin(), id->end(), id_char))
    return fail("field \"id\": \"" + *id +
                "\" must be lower-case letters, digits and '-' (at most 64)");
  m.id = *id;
  auto version = required_string(j, "version");
  if (!version) return tl::unexpected(version.error());
  m.version = *version;
  m.name = j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>() : m.id;
  auto kind = required_string(j, "kind");
  if (!kind) return tl::unexpected(kind.error());
  if (*kind == "device")
    m.kind = PluginKind::Device;
  else if (*kind == "register")
    m.kind = PluginKind::Register;
  else
    return fail("field \"kind\": \"" + *kind + "\" is neither \"device\" nor \"register\"");
  auto abi = required_string(j, "abi");
  if (!abi) return tl::unexpected(abi.error());
  auto v = parse_abi(*abi);
  if (!v) return tl::unexpected(v.error());
  m.abi = *v;
  auto lib = required_string(j, "library");
  if (!lib) return tl::unexpected(lib.error());
  // Only a plain file name: a manifest must not point the host at code elsewhere on the system.
  if (lib->find('/') != std::string::npos || *lib == "." || *lib == "..")
    return fail("field \"library\": \"" + *lib + "\" must be a file name in the manifest's folder");
  m.library = *lib;

  if (auto it = j.find("match"); it != j.end()) {
    if (!it->is_array()) return fail("field \"match\" must be an array of rules");
    for (std::size_t i = 0; i < it->size(); ++i) {
      auto rule = parse_rule((*it)[i], "match[" + std::to_string(i) + "]");
      if (!rule) return tl::unexpected(rule.error());
      m.match.push_back(*rule);
    }
  }
  if (auto it = j.find("usb"); it != j.end()) {
    auto surface = parse_usb(*it);
    if (!surface) return tl::unexpected(surface.error());
    m.usb = std::move(*surface);
  }
  if (auto it = j.find("sandbox"); it != j.end()) {
    auto needs = parse_sandbox(*it);
    if (!needs) return tl::unexpected(needs.error());
    m.sandbox = std::move(*needs);
  }
  if (auto it = j.find("settings"); it != j.end()) {
    auto settings = parse_settings(*it, m.sandbox);
    if (!settings) return tl::unexpected(settings.error());
    m.settings = std::move(*settings);
  }
  if (m.kind == PluginKind::Device && m.match.empty())
    return fail("a device plugin needs at least one rule in \"match\"");

  if (auto it = j.find("accepts"); it != j.end()) {
    if (!it->is_array()) return fail("field \"accepts\" must be an array of identifier kinds");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& v = (*it)[i];
      const std::string field = "accepts[" + std::to_string(i) + "]";
      if (!v.is_string()) return fail(field + ": expected an identifier kind such as \"imei\"");
      const auto name = v.get<std::string>();
      const auto kind = ident::kind_from_string(name);
      if (!kind || *kind == ident::Kind::Auto || ident::to_string(*kind) != name)
        return fail(field + ": \"" + name +
                    "\" is not an identifier kind (imei, imeisv, meid, "
                    "esn, iccid, imsi, eid, ecid, udid, serial)");
      if (std::find(m.accepts.begin(), m.accepts.end(), name) != m.accepts.end())
        return fail(field + ": \"" + name + "\" is listed twice");
      m.accepts.push_back(name);
    }
  }
  if (m.kind == PluginKind::Register) {
    if (m.accepts.empty())
      return fail("a register plugin needs the identifier kinds it looks up in \"accepts\"");
    if (m.abi.major == 1 && m.abi.minor < 1)
      return fail("field \"abi\": register plugins need ABI 1.1 or later, not " + m.abi.str());
  }
  return m;
}

}  // namespace

std::string_view to_string(PluginKind kind) {
  return kind == PluginKind::Device ? "device" : "register";
}

std::string AbiVersion::str() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

AbiVersion host_abi() {
  return {DFX_ABI_MAJOR, DFX_ABI_MINOR};
}

std::optional<std::string> abi_incompatibility(AbiVersion plugin, AbiVersion host) {
  if (plugin.major != host.major)
    return "ABI " + plugin.str() + " has a different major version than the host's " + host.str();
  if (plugin.minor > host.minor)
    return "ABI " + plugin.str() + " is newer than the host's " + host.str() + "; update dfx";
  return std::nullopt;
}

std::filesystem::path Manifest::library_path() const {
  return (real_path.empty() ? path : real_path).parent_path() / library;
}

Result<Manifest> parse_manifest(std::string_view text, const std::filesystem::path& origin) {
  auto j = parse_json(text, origin);
  if (!j) return tl::unexpected(std::move(j.error()));
  auto m = parse_object(*j);
  if (!m) return tl::unexpected(std::move(m.error()).context(origin.string()));
  m->path = origin;
  return m;
}

Result<Manifest> read_manifest(const std::filesystem::path& path) {
  auto file = TrustedFile::open(path);
  if (!file) return tl::unexpected(std::move(file.error()));
  auto text = file->read(1 << 20, "not a manifest");
  if (!text) return tl::unexpected(std::move(text.error()));
  auto m = parse_manifest(*text, path);
  if (m) m->real_path = file->real_path();
  return m;
}

}  // namespace dfx::plugin_host
