// register-http: a register served by a remote HTTP(S) JSON service, described by its
// configuration (service_config.hpp) rather than by code. This file is the glue between the
// host's register API and the pure parts: it plans the requests, runs them, reads the answers and
// reports one answer per query, never a miss the configuration did not map.
#include <dfx/plugin.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "answer_cache.hpp"
#include "http_transfers.hpp"
#include "request_plan.hpp"
#include "response_mapping.hpp"
#include "secret.hpp"
#include "service_config.hpp"

namespace {

using dfx::register_http::AnswerCache;
using dfx::register_http::Clock;
using dfx::register_http::HttpTransfers;
using dfx::register_http::Item;
using dfx::register_http::ItemAnswer;
using dfx::register_http::ServiceConfig;

class HttpRegister {
 public:
  dfx::sdk::Status open(dfx::sdk::RegisterHost& host, std::string_view settings_json) {
    auto config = dfx::register_http::parse_service_config(settings_json);
    if (!config) return config.status();
    config_ = std::make_unique<ServiceConfig>(std::move(*config));
    auto secret = dfx::register_http::read_secret(config_->auth);
    if (!secret) return secret.status();
    secret_ = std::move(*secret);
    if (config_->auth.type == dfx::register_http::AuthType::Basic)
      basic_ = dfx::register_http::basic_credential(config_->auth.username, secret_);
    auto transfers = HttpTransfers::create(*config_, secret_);
    if (!transfers) return transfers.status();
    transfers_ = std::move(*transfers);
    cache_.emplace(config_->cache);
    host.log(DFX_LOG_DEBUG, "register-http: service \"" + config_->name + "\" ready");
    return dfx::sdk::Status::ok();
  }

  dfx::sdk::Status query(dfx::sdk::RegisterHost& host, std::span<const dfx::sdk::Query> batch) {
    std::vector<Item> items;
    items.reserve(batch.size());
    for (const auto& q : batch) items.push_back({std::string(q.kind), std::string(q.identifier)});
    std::vector<std::optional<ItemAnswer>> answers(items.size());
    std::vector<std::size_t> ask;
    const auto now = Clock::now();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!asks_about(items[i].kind)) {
        answers[i] = ItemAnswer{ItemAnswer::Outcome::Error,
                                {},
                                "service \"" + config_->name + "\" is not asked about " +
                                    items[i].kind + " (its configuration's \"kinds\")"};
      } else if (auto kept = cache_->find(items[i], now)) {
        answers[i] = std::move(*kept);
      } else {
        ask.push_back(i);
      }
    }
    const auto requests = dfx::register_http::plan_requests(*config_, items, ask);
    const auto results = transfers_->run(requests, [&] { return host.should_stop(); });
    for (std::size_t r = 0; r < requests.size(); ++r) {
      const auto& request = requests[r];
      const auto& result = results[r];
      std::vector<ItemAnswer> read;
      if (result.answered)
        read = dfx::register_http::read_answers(*config_, result.reply, items, request.items);
      else
        read.assign(request.items.size(), ItemAnswer{ItemAnswer::Outcome::Error, {}, result.error});
      for (std::size_t k = 0; k < request.items.size(); ++k) {
        const auto i = request.items[k];
        cache_->keep(items[i], read[k], Clock::now());
        answers[i] = std::move(read[k]);
      }
      host.log(DFX_LOG_DEBUG, "register-http: " + config_->name + ": " +
                                  (result.answered ? "HTTP " + std::to_string(result.reply.status)
                                                   : std::string("no answer")) +
                                  " for " + std::to_string(request.items.size()) +
                                  " identifiers in " +
                                  std::to_string(static_cast<long>(result.latency_ms)) + " ms");
    }
    for (std::uint32_t i = 0; i < answers.size(); ++i) {
      const auto& a = answers[i];
      if (!a || a->outcome == ItemAnswer::Outcome::Error) {
        const std::string why = a ? a->error : "not asked";
        host.error(i, "service \"" + config_->name + "\": " + redact(why));
      } else if (a->outcome == ItemAnswer::Outcome::Miss) {
        host.miss(i);
      } else {
        for (auto hit : a->hits) {
          hit.reference = redact(hit.reference);
          hit.reporting_party = redact(hit.reporting_party);
          host.hit(i, hit);
        }
      }
    }
    return dfx::sdk::Status::ok();
  }

 private:
  [[nodiscard]] bool asks_about(const std::string& kind) const {
    return std::find(config_->kinds.begin(), config_->kinds.end(), kind) != config_->kinds.end();
  }
  // Text that came back from the service, which may echo the credential.
  [[nodiscard]] std::string redact(std::string text) const {
    text = dfx::register_http::redact(std::move(text), secret_);
    return dfx::register_http::redact(std::move(text), basic_);
  }

  std::unique_ptr<ServiceConfig> config_;
  std::string secret_, basic_;
  std::unique_ptr<HttpTransfers> transfers_;
  std::optional<AnswerCache> cache_;
};

}  // namespace

DFX_REGISTER_PLUGIN(HttpRegister)
