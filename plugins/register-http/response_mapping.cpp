#include "response_mapping.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace dfx::register_http {
namespace {

using nlohmann::json;
using Outcome = ItemAnswer::Outcome;

ItemAnswer error(std::string why) {
  return {Outcome::Error, {}, std::move(why)};
}

const json* at(const json& j, const std::string& pointer) {
  if (pointer.empty()) return &j;
  try {
    const json::json_pointer p(pointer);
    return j.contains(p) ? &j.at(p) : nullptr;
  } catch (const json::exception&) {
    return nullptr;
  }
}

// A scalar as text: strings as they are, numbers and booleans as JSON writes them.
std::optional<std::string> scalar(const json* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number() || v->is_boolean()) return v->dump();
  return std::nullopt;
}

// Printable and bounded: a field goes into the record and the report.
std::string clean(std::string s) {
  for (auto& ch : s)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = ' ';
  if (s.size() > kMaxFieldChars) s.resize(kMaxFieldChars);
  return s;
}

std::string field(const json& record, const std::string& pointer) {
  if (pointer.empty()) return "";
  return clean(scalar(at(record, pointer)).value_or(""));
}

// The service's own error text at `pointer`, "" when there is none.
std::string service_error(const json& j, const std::string& pointer) {
  if (pointer.empty()) return "";
  const json* e = at(j, pointer);
  if (e == nullptr || e->is_null()) return "";
  if (e->is_string()) return clean(e->get<std::string>());
  if ((e->is_array() || e->is_object()) && e->empty()) return "";
  if (e->is_boolean() && !e->get<bool>()) return "";
  return clean(e->dump());
}

dfx::sdk::Hit record_hit(const ServiceConfig& c, const json& record, const std::string& status) {
  dfx::sdk::Hit h;
  h.status = status;
  h.reported_at = field(record, c.response.record.reported_at);
  h.reporting_party = field(record, c.response.record.reporting_party);
  h.reference = field(record, c.response.record.reference);
  return h;
}

ItemAnswer from_records(const ServiceConfig& c, const json& item) {
  const auto& r = c.response;
  const json* records = at(item, r.records);
  if (records == nullptr || !records->is_array())
    return error("the answer has no records array at " + r.records);
  if (records->empty()) return error("the answer says hit but lists no record at " + r.records);
  ItemAnswer a{Outcome::Hit, {}, ""};
  for (const auto& rec : *records) {
    if (a.hits.size() == kMaxRecords) break;
    std::string status = "other";  // a record of unknown kind is still a record: never dropped
    if (const auto word = scalar(at(rec, r.record.status))) {
      if (const auto it = r.status_words.find(*word); it != r.status_words.end())
        status = it->second;
      else if (is_hit_status(*word))
        status = *word;
    }
    a.hits.push_back(record_hit(c, rec, status));
  }
  return a;
}

ItemAnswer by_target(const ServiceConfig& c, const json* item, const std::string& target,
                     const std::string& said) {
  if (target == "miss") return {Outcome::Miss, {}, ""};
  if (target == "error")
    return error("the service answered " + said +
                 (item ? [&] {
                   const auto e = service_error(*item, c.response.error);
                   return e.empty() ? std::string() : ": " + e;
                 }()
                       : std::string()));
  if (target == "records") return item ? from_records(c, *item) : error("no records to read");
  return {
      Outcome::Hit, {item ? record_hit(c, *item, target) : dfx::sdk::Hit{target, "", "", ""}}, ""};
}

// One result object (the whole answer in the single mode).
ItemAnswer read_item(const ServiceConfig& c, const json& item) {
  const auto& r = c.response;
  if (const auto e = service_error(item, r.error); !e.empty())
    return error("the service reported an error: " + e);
  const json* word_value = at(item, r.outcome);
  const auto word = scalar(word_value);
  if (!word)
    return error(word_value ? "the value at " + r.outcome + " is not a word"
                            : "the answer has nothing at " + r.outcome);
  const auto it = r.words.find(*word);
  if (it == r.words.end())
    return error("the service answered \"" + clean(*word).substr(0, 64) + "\" at " + r.outcome +
                 ", which the configuration does not map");
  return by_target(c, &item, it->second, "\"" + *word + "\"");
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return s;
}

bool is_json_type(const std::string& content_type) {
  auto t = lower(content_type.substr(0, content_type.find(';')));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  return t == "application/json" ||
         (t.rfind("application/", 0) == 0 && t.size() > 5 && t.ends_with("+json"));
}

}  // namespace

bool nesting_within(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\')
        ++i;
      else if (ch == '"')
        in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > max_depth) return false;
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return true;
}

std::vector<ItemAnswer> read_answers(const ServiceConfig& c, const HttpReply& reply,
                                     std::span<const Item> items,
                                     std::span<const std::size_t> asked) {
  const auto all = [&](ItemAnswer a) { return std::vector<ItemAnswer>(asked.size(), a); };
  const auto& r = c.response;
  const auto mapped = r.http_status.find(reply.status);
  if (mapped != r.http_status.end())
    return all(by_target(c, nullptr, mapped->second, "HTTP " + std::to_string(reply.status)));
  const bool ok = reply.status >= 200 && reply.status < 300;
  if (!ok) {
    std::string e;
    if (is_json_type(reply.content_type) && nesting_within(reply.body, kMaxDepth)) {
      const json doc = json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
      if (!doc.is_discarded()) e = service_error(doc, r.error);
    }
    return all(error("HTTP " + std::to_string(reply.status) + (e.empty() ? "" : ": " + e)));
  }
  if (!is_json_type(reply.content_type))
    return all(error("HTTP " + std::to_string(reply.status) + " with content type \"" +
                     clean(reply.content_type).substr(0, 64) + "\", not JSON"));
  if (!nesting_within(reply.body, kMaxDepth))
    return all(error("the answer nests deeper than " + std::to_string(kMaxDepth) + " levels"));
  const json doc = json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded())
    return all(error("HTTP " + std::to_string(reply.status) + " with an answer that is not JSON"));

  if (c.mode == QueryMode::Single) return all(read_item(c, doc));

  if (c.mode == QueryMode::Range) {
    if (const auto e = service_error(doc, r.error); !e.empty())
      return all(error("the service reported an error: " + e));
    const json* matches = at(doc, r.matches);
    if (matches == nullptr || !matches->is_array())
      return all(error("the answer has no array at " + r.matches));
    std::vector<ItemAnswer> out;
    for (const auto i : asked) {
      const std::string suffix =
          sha256_hex(items[i].identifier).substr(static_cast<std::size_t>(c.prefix_length));
      const json* found = nullptr;
      std::size_t count = 0;
      for (const auto& m : *matches) {
        const auto s = scalar(at(m, r.suffix));
        if (!s) return all(error("a match has no suffix at " + r.suffix));
        if (lower(*s) == suffix) {
          found = &m;
          ++count;
        }
      }
      if (count > 1)
        out.push_back(error("the answer lists its hash " + std::to_string(count) + " times"));
      else if (found == nullptr)
        out.push_back({Outcome::Miss, {}, ""});  // the configuration's explicit no_match: miss
      else
        out.push_back(from_records(c, *found));
    }
    return out;
  }

  // Batch: results are matched to identifiers by what they name, never by position.
  if (const auto e = service_error(doc, r.error); !e.empty())
    return all(error("the service reported an error: " + e));
  const json* results = at(doc, r.results);
  if (results == nullptr || !results->is_array())
    return all(error("the answer has no array at " + r.results));
  std::map<std::string, std::vector<const json*>> by_name;
  for (const auto& res : *results)
    if (const auto name = scalar(at(res, r.match_pointer))) by_name[*name].push_back(&res);
  std::vector<ItemAnswer> out;
  for (const auto i : asked) {
    const auto it = by_name.find(fill(r.match_value, items[i], c.prefix_length, false));
    if (it == by_name.end())
      out.push_back(error("the answer holds no result for it"));
    else if (it->second.size() > 1)
      out.push_back(
          error("the answer holds " + std::to_string(it->second.size()) + " results for it"));
    else
      out.push_back(read_item(c, *it->second.front()));
  }
  return out;
}

}  // namespace dfx::register_http
