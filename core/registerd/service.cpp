#include "registerd/service.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "base/json_file.hpp"
#include "ident/identifier.hpp"
#include "register_store/record.hpp"

namespace dfx::registerd {
namespace {

using nlohmann::json;

Response error(int status, const std::string& why, std::string route) {
  Response r;
  r.status = status;
  r.body = json{{"error", why}}.dump();
  r.route = std::move(route);
  return r;
}

// "<kind>:<canonical value>" split and checked: the kind one the register stores, the value its
// canonical form (what dfx normalize prints), or why not.
Result<std::pair<std::string, std::string>> parse_identifier(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return fail("not <kind>:<canonical value>");
  std::string kind = text.substr(0, colon), value = text.substr(colon + 1);
  const auto& kinds = register_store::kStoredKinds;
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
    return fail("kind \"" + kind + "\" is not one the register holds");
  const auto k = ident::kind_from_string(kind);
  if (!k) return fail("kind \"" + kind + "\" is unknown");
  const auto n = ident::normalize(value, *k);
  if (!n) return fail("\"" + value + "\" is not a valid " + kind + ": " + n.error().reason);
  // The register is keyed by canonical forms: anything else would be a miss it never looked up.
  if (n->canonical != value || ident::to_string(n->kind) != kind)
    return fail("\"" + value + "\" is not the canonical form of a " + kind + " (that is " +
                std::string(ident::to_string(n->kind)) + ":" + n->canonical + ")");
  return std::pair{std::move(kind), std::move(value)};
}

// "<kind>/<prefix>" (the path after /v1/range/) split and checked: a kind the register stores and
// a hash prefix (parse_hash_prefix), or why not. The reason never repeats the prefix.
Result<std::pair<std::string, std::string>> parse_range(std::string_view rest) {
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || rest.find('/', slash + 1) != std::string_view::npos)
    return fail("the path must be /v1/range/<kind>/<prefix>");
  std::string kind(rest.substr(0, slash));
  const auto& kinds = register_store::kStoredKinds;
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    std::string known;
    for (const auto k : kinds) known += (known.empty() ? "" : ", ") + std::string(k);
    return fail("kind \"" + kind + "\" is not one the register holds (" + known + ")");
  }
  auto prefix = parse_hash_prefix(rest.substr(slash + 1));
  if (!prefix) return tl::unexpected(std::move(prefix.error()));
  return std::pair{std::move(kind), std::move(*prefix)};
}

json records_json(const std::vector<register_store::Record>& records) {
  json out = json::array();
  for (const auto& r : records)
    out.push_back({{"status", r.status},
                   {"reported_at", r.reported_at},
                   {"reporting_party", r.source},
                   {"reference", r.reference}});
  return out;
}

}  // namespace

Result<register_store::RegisterStore*> Service::store() {
  if (!store_) {
    auto opened = register_store::RegisterStore::open_for_reading(db_);
    if (!opened) return tl::unexpected(std::move(opened.error()));
    store_.emplace(std::move(*opened));
  }
  return &*store_;
}

Result<void> Service::reload() {
  std::lock_guard lock(mutex_);
  auto opened = register_store::RegisterStore::open_for_reading(db_);
  if (!opened) return tl::unexpected(opened.error());
  store_.emplace(std::move(*opened));
  return {};
}

Response Service::handle(const Request& request) {
  if (request.method == "GET" && request.path == "/v1/health") {
    std::lock_guard lock(mutex_);
    if (!store()) return error(503, "the register cannot be read", "/v1/health");
    Response r;
    r.body = json{{"status", "ok"}}.dump();
    r.route = "/v1/health";
    return r;
  }
  const bool single = request.path.rfind("/v1/identifiers/", 0) == 0;
  const bool ranged = request.path.rfind("/v1/range/", 0) == 0;
  // The route is what the log shows: never an identifier, never a hash prefix.
  const std::string route = single   ? "/v1/identifiers/{id}"
                            : ranged ? "/v1/range/{kind}/{prefix}"
                                     : request.path;
  const std::string bearer = "Bearer ";
  const auto name = request.authorization.rfind(bearer, 0) == 0
                        ? tokens_.name_of(request.authorization.substr(bearer.size()))
                        : std::nullopt;
  if (!name) return error(401, "a valid bearer token is needed", route);
  Response r;
  if (single && request.method == "GET") {
    r = lookup({request.path.substr(std::string("/v1/identifiers/").size())}, false);
  } else if (ranged && request.method == "GET") {
    auto asked =
        parse_range(std::string_view(request.path).substr(std::string("/v1/range/").size()));
    r = asked ? range(asked->first, asked->second) : error(400, asked.error().message, route);
  } else if (request.path == "/v1/check" && request.method == "POST") {
    auto body = parse_json(request.body, "the request", {.max_depth = 3});
    if (!body || !body->is_object() || !body->contains("identifiers") ||
        !(*body)["identifiers"].is_array())
      r = error(400, "the body must be {\"identifiers\": [\"<kind>:<value>\", ...]}", route);
    else if ((*body)["identifiers"].size() > kMaxBatch)
      r = error(413, "more than " + std::to_string(kMaxBatch) + " identifiers in one request",
                route);
    else {
      std::vector<std::string> ids;
      for (const auto& v : (*body)["identifiers"])
        ids.push_back(v.is_string() ? v.get<std::string>() : std::string());
      r = lookup(ids, true);
    }
  } else {
    r = error(404, "no such endpoint", route);
  }
  r.route = route;
  r.token = *name;
  return r;
}

Response Service::lookup(const std::vector<std::string>& identifiers, bool batch) {
  std::vector<json> results(identifiers.size());
  std::vector<std::pair<std::string, std::string>> parsed;
  std::vector<std::size_t> where;  // parsed[i] answers results[where[i]]
  for (std::size_t i = 0; i < identifiers.size(); ++i) {
    results[i] = {{"identifier", identifiers[i]}};
    auto p = parse_identifier(identifiers[i]);
    if (!p) {
      results[i]["outcome"] = "error";
      results[i]["error"] = p.error().message;
      continue;
    }
    where.push_back(i);
    parsed.push_back(std::move(*p));
  }
  std::vector<register_store::LookupKey> keys;
  for (const auto& [kind, value] : parsed) keys.push_back({kind, value});
  std::string failure;
  Result<std::vector<std::vector<register_store::Record>>> found =
      fail("the register was not read");
  {
    std::lock_guard lock(mutex_);
    if (!store()) failure = "the register cannot be read";
    if (store_) {
      auto empty = store_->empty();
      if (!empty || *empty)
        failure = "the register holds no record (nothing was imported): nothing can be a miss";
      else
        found = store_->lookup(keys);
    }
  }
  if (failure.empty() && !found) failure = "lookup failed: " + found.error().message;
  for (std::size_t j = 0; j < where.size(); ++j) {
    json& out = results[where[j]];
    if (!failure.empty()) {
      out["outcome"] = "error";
      out["error"] = failure;
    } else if ((*found)[j].empty()) {
      out["outcome"] = "miss";
    } else {
      out["outcome"] = "hit";
      out["records"] = records_json((*found)[j]);
    }
  }
  Response r;
  r.identifiers = identifiers.size();
  if (batch)
    r.body = json{{"results", results}}.dump(-1, ' ', false, json::error_handler_t::replace);
  else
    r.body = results[0].dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response Service::range(const std::string& kind, const std::string& prefix) {
  const std::string route = "/v1/range/{kind}/{prefix}";
  std::vector<register_store::LookupKey> keys;
  std::vector<std::string> suffixes;  // suffixes[i] of keys[i]'s hash
  Result<std::vector<std::vector<register_store::Record>>> found =
      fail("the register was not read");
  {
    std::lock_guard lock(mutex_);
    auto s = store();
    if (!s) return error(503, "the register cannot be read", route);
    // The sealed digest names the register's state: an index built from another state (before
    // an import, or from the file a reload replaced) would miss what was added since.
    auto digest = (*s)->sealed_content_sha256();
    if (!digest) return error(503, "the register cannot be read: " + digest.error().message, route);
    if (digest->empty())
      return error(
          503, "the register holds no record (nothing was imported): nothing can be a miss", route);
    auto version = (*s)->data_version();
    if (!version)
      return error(503, "the register cannot be read: " + version.error().message, route);
    auto index = indexes_.find(kind);
    if (index == indexes_.end() || index->second.index.content_sha256() != *digest ||
        index->second.data_version != *version) {
      // Read before the build: a commit in between makes the next request build again.
      auto built = KeyHashIndex::build(**s, kind);
      if (!built)
        return error(503, "indexing the register failed: " + built.error().message, route);
      index = indexes_.insert_or_assign(kind, BuiltIndex{std::move(*built), *version}).first;
    }
    const auto matches = index->second.index.matching(prefix);
    if (matches.size() > max_range_matches_)
      return error(400,
                   "prefix too short for this register: " + std::to_string(matches.size()) +
                       " identifiers match; use a longer prefix",
                   route);
    for (const auto& m : matches) {
      keys.push_back({kind, m.identifier});
      suffixes.push_back(hash_hex(m.hash).substr(prefix.size()));
    }
    // The records through the checked lookup, as /v1/identifiers reads them (the keys view the
    // index, which no other request can rebuild while the lock is held).
    found = (*s)->lookup(keys);
  }
  if (!found) return error(503, "lookup failed: " + found.error().message, route);
  json matches = json::array();
  for (std::size_t i = 0; i < suffixes.size(); ++i)
    // Imports never remove a record: no records means that a checked lookup proved none there.
    if (!(*found)[i].empty())
      matches.push_back({{"suffix", suffixes[i]}, {"records", records_json((*found)[i])}});
  Response r;
  r.body = json{{"kind", kind}, {"prefix", prefix}, {"matches", std::move(matches)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
  return r;
}

}  // namespace dfx::registerd
