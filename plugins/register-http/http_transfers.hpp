// The I/O of register-http: HTTP requests through libcurl's multi interface, with the limits a
// real service needs (docs/registers.md): connect and per-attempt timeouts, retries with backoff
// and jitter on timeouts, resets and 5xx (never on other 4xx), 429 honoured with Retry-After, a
// rate and a concurrency limit, a circuit breaker, TLS verified (optionally against a given CA),
// no redirects, bounded answers. Everything else (what to send, how to read it) is pure code in
// request_plan and response_mapping.
#pragma once

#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <dfx/sdk/result.hpp>

#include "request_plan.hpp"
#include "resilience.hpp"
#include "response_mapping.hpp"
#include "service_config.hpp"

namespace dfx::register_http {

/// How one planned request ended.
struct TransferResult {
  bool answered = false;  ///< an HTTP answer came back (reply is set)
  HttpReply reply;
  std::string error;  ///< when not answered: why, with the attempts made
  int attempts = 0;
  double latency_ms = 0;  ///< from the first attempt to the end
};

class HttpTransfers {
 public:
  /// Ready to ask the service of `config` with `secret` (from read_secret).
  static dfx::sdk::Result<std::unique_ptr<HttpTransfers>> create(const ServiceConfig& config,
                                                                 std::string secret);
  ~HttpTransfers();
  HttpTransfers(const HttpTransfers&) = delete;
  HttpTransfers& operator=(const HttpTransfers&) = delete;

  /// Runs `requests`; one result each, in order. `stop` is polled while waiting: once it says
  /// true, what is still unanswered ends as an error (the register's time ran out).
  std::vector<TransferResult> run(const std::vector<PlannedRequest>& requests,
                                  const std::function<bool()>& stop);

  struct Job;  ///< one request's transfer state (http_transfers.cpp)

 private:
  HttpTransfers(const ServiceConfig& config, std::string secret);
  void start(Job& job);
  void finish(Job& job, int curl_code, Clock::time_point now);

  const ServiceConfig& config_;
  std::string secret_;
  void* multi_ = nullptr;  // CURLM*
  CircuitBreaker breaker_;
  RateLimiter limiter_;
  std::mt19937_64 random_;
};

}  // namespace dfx::register_http
