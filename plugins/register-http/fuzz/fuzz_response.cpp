// Feeds arbitrary answers to the response mapping of each query mode: whatever a service sends,
// each identifier gets exactly one answer, a miss only where a mapped word or (range) an absent
// suffix says so, and nothing crashes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "response_mapping.hpp"
#include "service_config.hpp"

namespace {

using dfx::register_http::ServiceConfig;

ServiceConfig config(const char* mode) {
  std::string settings;
  if (std::string(mode) == "batch")
    settings = R"({"service":"f","mode":"batch","kinds":["imei"],"request":{"method":"POST",
      "url":"http://127.0.0.1/c","body":{"ids":"{items}"},"item":"{kind}:{identifier}"},
      "response":{"results":"/results","match":{"pointer":"/id","value":"{kind}:{identifier}"},
      "outcome":"/outcome","words":{"hit":"records","miss":"miss","bad":"error","x":"stolen"},
      "records":"/records","record":{"status":"/s","reported_at":"/d","reference":"/r"},
      "status_words":{"S":"stolen"},"error":"/error"}})";
  else if (std::string(mode) == "range")
    settings = R"({"service":"f","mode":"range","kinds":["imei"],"request":{
      "url":"http://127.0.0.1/r/{prefix}","prefix_length":5},"response":{"matches":"/m",
      "suffix":"/s","no_match":"miss","records":"/records","record":{"status":"/status"},
      "error":"/error"}})";
  else
    settings = R"({"service":"f","kinds":["imei"],"request":{"url":"http://127.0.0.1/{identifier}"},
      "response":{"outcome":"/a/b","words":{"passed":"miss","failed":"other","h":"records"},
      "records":"/list","record":{"reference":"/certid"},"error":"/errors",
      "http_status":{"404":"miss"}}})";
  auto c = dfx::register_http::parse_service_config(settings);
  if (!c) std::abort();  // the fixed configurations are valid
  return std::move(*c);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ServiceConfig configs[] = {config("single"), config("batch"), config("range")};
  if (size < 1) return 0;
  const std::vector<dfx::register_http::Item> items = {{"imei", "353812084788745"},
                                                       {"imei", "356763003735910"}};
  const std::vector<std::size_t> asked = {0, 1};
  dfx::register_http::HttpReply reply;
  reply.status = (data[0] & 1) ? 200 : 404;
  reply.content_type = (data[0] & 2) ? "application/json" : "application/problem+json; x=1";
  reply.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (const auto& c : configs) {
    const auto answers = dfx::register_http::read_answers(c, reply, items, asked);
    if (answers.size() != asked.size()) std::abort();
    for (const auto& a : answers) {
      const bool hit = a.outcome == dfx::register_http::ItemAnswer::Outcome::Hit;
      if (hit == a.hits.empty() || a.hits.size() > dfx::register_http::kMaxRecords) std::abort();
      for (const auto& h : a.hits)
        if (!dfx::register_http::is_hit_status(h.status)) std::abort();
    }
  }
  return 0;
}
