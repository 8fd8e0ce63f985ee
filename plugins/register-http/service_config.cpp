#include "service_config.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>

namespace dfx::register_http {
namespace {

using dfx::sdk::Status;
using nlohmann::json;

constexpr std::array<std::string_view, 5> kStatuses = {"stolen", "lost", "blocked", "fraud",
                                                       "other"};
// The manifest's "accepts": the identifier kinds but the IMSI (personal data, not a device's).
constexpr std::array<std::string_view, 8> kKinds = {"imei", "meid", "esn",  "iccid",
                                                    "eid",  "ecid", "udid", "serial"};

Status bad(const std::string& field, const std::string& why) {
  return Status::error(DFX_ERR_INVALID_ARGUMENT, field + ": " + why);
}

// Refuses keys outside `known`: a misspelt key would silently fall back to a default.
Status only(const json& j, const std::string& where,
            std::initializer_list<std::string_view> known) {
  if (!j.is_object()) return bad(where, "expected an object");
  for (const auto& [key, value] : j.items())
    if (std::find(known.begin(), known.end(), key) == known.end() && key != "comment") {
      std::string list;
      for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      return bad(where + "." + key, "unknown field (expected " + list + ")");
    }
  return Status::ok();
}

Status text(const json& j, const std::string& where, std::string_view key, std::string& out,
            bool required = false) {
  const auto it = j.find(key);
  if (it == j.end())
    return required ? bad(where + "." + std::string(key), "missing") : Status::ok();
  if (!it->is_string() || it->get<std::string>().empty())
    return bad(where + "." + std::string(key), "expected a non-empty string");
  out = it->get<std::string>();
  return Status::ok();
}

Status pointer(const json& j, const std::string& where, std::string_view key, std::string& out,
               bool required = false) {
  if (auto s = text(j, where, key, out, required); !s) return s;
  if (out.empty()) return Status::ok();
  try {
    (void)json::json_pointer(out);
  } catch (const json::exception&) {
    return bad(where + "." + std::string(key), "\"" + out + "\" is not a JSON pointer (RFC 6901)");
  }
  return Status::ok();
}

template <typename T>
Status number(const json& j, const std::string& where, std::string_view key, T& out, T min, T max) {
  const auto it = j.find(key);
  if (it == j.end()) return Status::ok();
  const std::string field = where + "." + std::string(key);
  if (!it->is_number()) return bad(field, "expected a number");
  const double v = it->get<double>();
  if (v < static_cast<double>(min) || v > static_cast<double>(max))
    return bad(field, "expected " + std::to_string(min) + " to " + std::to_string(max));
  if constexpr (std::is_integral_v<T>) {
    if (!it->is_number_integer()) return bad(field, "expected a whole number");
    out = it->get<T>();
  } else {
    out = static_cast<T>(v);
  }
  return Status::ok();
}

Status millis(const json& j, const std::string& where, std::string_view key,
              std::chrono::milliseconds& out, long min, long max) {
  long v = static_cast<long>(out.count());
  if (auto s = number<long>(j, where, key, v, min, max); !s) return s;
  out = std::chrono::milliseconds(v);
  return Status::ok();
}

bool valid_target(const std::string& t) {
  return t == "miss" || t == "error" || t == "records" || is_hit_status(t);
}

Status word_table(const json& j, const std::string& field, std::map<std::string, std::string>& out,
                  bool statuses_only) {
  if (!j.is_object()) return bad(field, "expected an object of words");
  for (const auto& [word, target] : j.items()) {
    if (!target.is_string() || !(statuses_only ? is_hit_status(target.get<std::string>())
                                               : valid_target(target.get<std::string>())))
      return bad(field + "." + word,
                 statuses_only ? "expected stolen, lost, blocked, fraud or other"
                               : "expected miss, error, records, stolen, lost, blocked, fraud or "
                                 "other");
    out[word] = target.get<std::string>();
  }
  return Status::ok();
}

Status parse_request(const json& j, ServiceConfig& c) {
  const std::string w = "settings.request";
  if (auto s =
          only(j, w, {"method", "url", "body", "item", "batch_size", "prefix_length", "headers"});
      !s)
    return s;
  if (auto s = text(j, w, "method", c.method); !s) return s;
  if (c.method != "GET" && c.method != "POST") return bad(w + ".method", "expected GET or POST");
  if (auto s = text(j, w, "url", c.url, true); !s) return s;
  const bool https = c.url.rfind("https://", 0) == 0;
  if (!https && c.url.rfind("http://", 0) != 0)
    return bad(w + ".url", "expected an http:// or https:// URL");
  if (auto it = j.find("body"); it != j.end()) {
    if (c.method != "POST") return bad(w + ".body", "a body is sent with POST only");
    c.body = *it;
  }
  if (auto s = text(j, w, "item", c.item); !s) return s;
  if (auto s = number<std::size_t>(j, w, "batch_size", c.batch_size, 1, 10000); !s) return s;
  if (auto s = number<int>(j, w, "prefix_length", c.prefix_length, 4, 32); !s) return s;
  if (auto it = j.find("headers"); it != j.end()) {
    if (!it->is_object()) return bad(w + ".headers", "expected an object of header: value");
    for (const auto& [name, value] : it->items()) {
      const bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
      });
      if (!name_ok || !value.is_string() ||
          value.get<std::string>().find_first_of("\r\n") != std::string::npos)
        return bad(w + ".headers." + name, "expected a header name and a one-line text value");
      if (name == "Authorization" || name == "authorization")
        return bad(w + ".headers." + name,
                   "put credentials in settings.auth, whose secret is never written in the file");
      c.headers.emplace_back(name, value.get<std::string>());
    }
  }
  return Status::ok();
}

Status parse_auth(const json& j, Auth& a) {
  const std::string w = "settings.auth";
  if (auto s = only(j, w, {"type", "header", "username", "secret_env", "secret_file"}); !s)
    return s;
  std::string type;
  if (auto s = text(j, w, "type", type, true); !s) return s;
  a.type = type == "basic"    ? AuthType::Basic
           : type == "bearer" ? AuthType::Bearer
           : type == "header" ? AuthType::Header
           : type == "none"   ? AuthType::None
                              : static_cast<AuthType>(-1);
  if (static_cast<int>(a.type) == -1)
    return bad(w + ".type", "expected basic, bearer, header or none");
  if (auto s = text(j, w, "header", a.header, a.type == AuthType::Header); !s) return s;
  if (auto s = text(j, w, "username", a.username, a.type == AuthType::Basic); !s) return s;
  std::string file;
  if (auto s = text(j, w, "secret_env", a.secret_env); !s) return s;
  if (auto s = text(j, w, "secret_file", file); !s) return s;
  a.secret_file = file;
  if (a.type != AuthType::None && a.secret_env.empty() == file.empty())
    return bad(w,
               "give exactly one of secret_env (a variable's name) or secret_file (an "
               "owner-only file); a secret is never written in the configuration itself");
  if (!file.empty() && file[0] != '/') return bad(w + ".secret_file", "expected an absolute path");
  return Status::ok();
}

Status parse_response(const json& j, ServiceConfig& c) {
  const std::string w = "settings.response";
  auto& r = c.response;
  if (auto s = only(j, w,
                    {"results", "match", "matches", "suffix", "no_match", "outcome", "words",
                     "records", "record", "status_words", "error", "http_status"});
      !s)
    return s;
  for (auto [key, out] : {std::pair{"results", &r.results},
                          {"matches", &r.matches},
                          {"suffix", &r.suffix},
                          {"outcome", &r.outcome},
                          {"records", &r.records},
                          {"error", &r.error}})
    if (auto s = pointer(j, w, key, *out); !s) return s;
  if (auto s = text(j, w, "no_match", r.no_match); !s) return s;
  if (auto it = j.find("match"); it != j.end()) {
    if (auto s = only(*it, w + ".match", {"pointer", "value"}); !s) return s;
    if (auto s = pointer(*it, w + ".match", "pointer", r.match_pointer, true); !s) return s;
    if (auto s = text(*it, w + ".match", "value", r.match_value, true); !s) return s;
  }
  if (auto it = j.find("words"); it != j.end())
    if (auto s = word_table(*it, w + ".words", r.words, false); !s) return s;
  if (auto it = j.find("status_words"); it != j.end())
    if (auto s = word_table(*it, w + ".status_words", r.status_words, true); !s) return s;
  if (auto it = j.find("record"); it != j.end()) {
    if (auto s =
            only(*it, w + ".record", {"status", "reported_at", "reporting_party", "reference"});
        !s)
      return s;
    for (auto [key, out] : {std::pair{"status", &r.record.status},
                            {"reported_at", &r.record.reported_at},
                            {"reporting_party", &r.record.reporting_party},
                            {"reference", &r.record.reference}})
      if (auto s = pointer(*it, w + ".record", key, *out); !s) return s;
  }
  if (auto it = j.find("http_status"); it != j.end()) {
    if (!it->is_object()) return bad(w + ".http_status", "expected an object of status: word");
    for (const auto& [code, target] : it->items()) {
      long n = 0;
      try {
        n = std::stol(code);
      } catch (const std::exception&) {}
      if (n < 200 || n > 599 || std::to_string(n) != code || (n >= 500) || n == 429 ||
          !target.is_string() || !valid_target(target.get<std::string>()) ||
          target.get<std::string>() == "records")
        return bad(w + ".http_status." + code,
                   "expected an HTTP status 200-499 other than 429 mapped to miss, error or a "
                   "status (5xx and 429 are retried, never mapped)");
      r.http_status[n] = target.get<std::string>();
    }
  }

  // What each mode needs to read an answer without guessing.
  const bool any_records = std::any_of(r.words.begin(), r.words.end(),
                                       [](const auto& kv) { return kv.second == "records"; });
  if (c.mode == QueryMode::Range) {
    if (r.matches.empty() || r.suffix.empty() || r.records.empty())
      return bad(w, "the range mode needs \"matches\", \"suffix\" and \"records\"");
    if (r.no_match != "miss")
      return bad(w + ".no_match",
                 "the range mode needs \"no_match\": \"miss\": that the service lists every "
                 "identifier with the prefix is what lets an absent suffix be a miss");
  } else {
    if (!r.no_match.empty() || !r.matches.empty() || !r.suffix.empty())
      return bad(w, "\"matches\", \"suffix\" and \"no_match\" belong to the range mode");
    if (r.outcome.empty() || r.words.empty())
      return bad(w,
                 "needs \"outcome\" (where the service's word is) and \"words\" (what each "
                 "word means)");
    if (any_records && r.records.empty())
      return bad(w + ".records", "a word maps to \"records\": say where the records are");
  }
  if (c.mode == QueryMode::Batch && (r.results.empty() || r.match_pointer.empty()))
    return bad(w,
               "the batch mode needs \"results\" and \"match\" (how a result names its "
               "identifier; results are never matched by position)");
  if (c.mode != QueryMode::Batch && (!r.results.empty() || !r.match_pointer.empty()))
    return bad(w, "\"results\" and \"match\" belong to the batch mode");
  return Status::ok();
}

Status parse_limits(const json& j, Limits& l) {
  const std::string w = "settings.limits";
  if (auto s = only(j, w,
                    {"connect_timeout_ms", "request_timeout_ms", "retries", "backoff_ms",
                     "backoff_max_ms", "rate_per_second", "concurrency", "max_response_bytes"});
      !s)
    return s;
  if (auto s = millis(j, w, "connect_timeout_ms", l.connect_timeout, 1, 60000); !s) return s;
  if (auto s = millis(j, w, "request_timeout_ms", l.request_timeout, 1, 600000); !s) return s;
  if (auto s = number<int>(j, w, "retries", l.retries, 0, 10); !s) return s;
  if (auto s = millis(j, w, "backoff_ms", l.backoff, 0, 60000); !s) return s;
  if (auto s = millis(j, w, "backoff_max_ms", l.backoff_max, 0, 600000); !s) return s;
  if (auto s = number<double>(j, w, "rate_per_second", l.rate_per_second, 0, 100000); !s) return s;
  if (auto s = number<int>(j, w, "concurrency", l.concurrency, 1, 64); !s) return s;
  if (auto s = number<std::size_t>(j, w, "max_response_bytes", l.max_response_bytes, 1024,
                                   std::size_t{256} << 20);
      !s)
    return s;
  return Status::ok();
}

// True when the URL's host is this machine: "localhost", [::1] or an IPv4 literal in 127/8
// (a name such as 127.example.net is not).
bool loopback(const std::string& url) {
  const auto start = url.find("://") + 3;
  const std::string host = url.substr(start, url.find_first_of("/?#", start) - start);
  if (host == "[::1]" || host.rfind("[::1]:", 0) == 0) return true;
  const std::string name = host.substr(0, host.find(':'));
  if (name == "localhost") return true;
  int dots = 0;
  for (const char ch : name) {
    if (ch == '.')
      ++dots;
    else if (ch < '0' || ch > '9')
      return false;
  }
  return dots == 3 && name.rfind("127.", 0) == 0;
}

}  // namespace

bool is_hit_status(std::string_view status) {
  return std::find(kStatuses.begin(), kStatuses.end(), status) != kStatuses.end();
}

dfx::sdk::Result<ServiceConfig> parse_service_config(std::string_view settings) {
  const json j = json::parse(settings, nullptr, /*allow_exceptions=*/false);
  const std::string w = "settings";
  if (auto s = only(j, w,
                    {"service", "mode", "kinds", "request", "auth", "response", "limits",
                     "circuit_breaker", "cache", "tls", "plain_http"});
      !s)
    return s;
  ServiceConfig c;
  if (auto s = text(j, w, "service", c.name, true); !s) return s;
  std::string mode = "single";
  if (auto s = text(j, w, "mode", mode); !s) return s;
  if (mode == "single")
    c.mode = QueryMode::Single;
  else if (mode == "batch")
    c.mode = QueryMode::Batch;
  else if (mode == "range")
    c.mode = QueryMode::Range;
  else
    return bad(w + ".mode", "expected single, batch or range");

  const auto kinds = j.find("kinds");
  if (kinds == j.end() || !kinds->is_array() || kinds->empty())
    return bad(w + ".kinds", "expected the identifier kinds the service is asked about");
  for (const auto& k : *kinds) {
    if (!k.is_string() ||
        std::find(kKinds.begin(), kKinds.end(), k.get<std::string>()) == kKinds.end())
      return bad(w + ".kinds",
                 "expected kinds among imei, meid, esn, iccid, eid, ecid, udid, "
                 "serial");
    c.kinds.push_back(k.get<std::string>());
  }

  const auto request = j.find("request");
  if (request == j.end()) return bad(w + ".request", "missing");
  if (auto s = parse_request(*request, c); !s) return s;
  const auto in_url = [&](std::string_view p) { return c.url.find(p) != std::string::npos; };
  const std::string body_text = c.body ? c.body->dump() : std::string();
  const auto in_body = [&](std::string_view p) { return body_text.find(p) != std::string::npos; };
  switch (c.mode) {
    case QueryMode::Single:
      if (!in_url("{identifier}") && !in_body("{identifier}"))
        return bad(w + ".request", "the single mode puts {identifier} in the URL or the body");
      break;
    case QueryMode::Batch:
      if (c.method != "POST" || !in_body("\"{items}\""))
        return bad(w + ".request", "the batch mode POSTs a body holding \"{items}\"");
      if (c.item.find("{identifier}") == std::string::npos)
        return bad(w + ".request.item", "an item names its {identifier}");
      break;
    case QueryMode::Range:
      if (!in_url("{prefix}") && !in_body("{prefix}"))
        return bad(w + ".request", "the range mode puts {prefix} in the URL or the body");
      if (in_url("{identifier}") || in_body("{identifier}") || c.item != "{identifier}")
        return bad(w + ".request", "the range mode never sends the {identifier}");
      break;
  }
  if (c.url.rfind("http://", 0) == 0 && !loopback(c.url)) {
    const auto plain = j.find("plain_http");
    if (plain == j.end() || !plain->is_boolean() || !plain->get<bool>())
      return bad(w + ".request.url",
                 "plain http:// to a host other than this machine sends the credentials and the "
                 "identifiers readable by anyone on the way; use https://, or say "
                 "\"plain_http\": true");
    c.plain_http = true;
  }

  if (auto it = j.find("auth"); it != j.end())
    if (auto s = parse_auth(*it, c.auth); !s) return s;
  const auto response = j.find("response");
  if (response == j.end()) return bad(w + ".response", "missing");
  if (auto s = parse_response(*response, c); !s) return s;
  if (auto it = j.find("limits"); it != j.end())
    if (auto s = parse_limits(*it, c.limits); !s) return s;
  if (auto it = j.find("circuit_breaker"); it != j.end()) {
    if (auto s = only(*it, w + ".circuit_breaker", {"failures", "open_ms"}); !s) return s;
    if (auto s = number<int>(*it, w + ".circuit_breaker", "failures", c.breaker.failures, 1, 1000);
        !s)
      return s;
    if (auto s = millis(*it, w + ".circuit_breaker", "open_ms", c.breaker.open_for, 1, 3600000); !s)
      return s;
  }
  if (auto it = j.find("cache"); it != j.end()) {
    if (auto s = only(*it, w + ".cache", {"hit_seconds", "miss_seconds", "max_entries"}); !s)
      return s;
    long hit = 0, miss = 0;
    if (auto s = number<long>(*it, w + ".cache", "hit_seconds", hit, 0, 86400 * 30); !s) return s;
    if (auto s = number<long>(*it, w + ".cache", "miss_seconds", miss, 0, 86400 * 30); !s) return s;
    if (auto s =
            number<std::size_t>(*it, w + ".cache", "max_entries", c.cache.max_entries, 1, 10000000);
        !s)
      return s;
    c.cache.hit_lifetime = std::chrono::seconds(hit);
    c.cache.miss_lifetime = std::chrono::seconds(miss);
    c.cache.enabled = hit > 0 || miss > 0;
  }
  if (auto it = j.find("tls"); it != j.end()) {
    if (auto s = only(*it, w + ".tls", {"ca_file"}); !s) return s;
    std::string ca;
    if (auto s = text(*it, w + ".tls", "ca_file", ca); !s) return s;
    if (!ca.empty() && ca[0] != '/') return bad(w + ".tls.ca_file", "expected an absolute path");
    c.ca_file = ca;
  }
  if (auto it = j.find("plain_http"); it != j.end() && !it->is_boolean())
    return bad(w + ".plain_http", "expected true or false");
  return c;
}

}  // namespace dfx::register_http
