// How register-http behaves with a real service that is slow, down or busy: a circuit breaker,
// a client-side rate limit and the wait before a retry. Pure (time is passed in), so that each
// rule is tested without a clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "service_config.hpp"

namespace dfx::register_http {

using Clock = std::chrono::steady_clock;

/// Stops asking a service that keeps failing: after `failures` failed attempts in a row it is
/// open and answers `error` at once for `open_for`; then one request probes the service again
/// (half-open) and its outcome closes or re-opens it.
class CircuitBreaker {
 public:
  explicit CircuitBreaker(Breaker config) : config_(config) {}

  /// True when a request may be sent now (in half-open state, only the one probe).
  bool allow(Clock::time_point now);
  /// The service answered (any HTTP answer that is not 5xx).
  void succeeded();
  /// An attempt failed the way a service that is down fails (timeout, reset, refused, 5xx).
  void failed(Clock::time_point now);
  /// Why requests are refused now, for the error answer.
  [[nodiscard]] std::string why(Clock::time_point now) const;
  [[nodiscard]] bool open(Clock::time_point now) const {
    return state_ == State::Open && now < reopen_at_;
  }

 private:
  enum class State { Closed, Open, HalfOpen };
  Breaker config_;
  State state_ = State::Closed;
  int in_a_row_ = 0;
  Clock::time_point reopen_at_{};
  bool probing_ = false;
};

/// A token bucket of `rate` requests per second with room for `burst` at once.
class RateLimiter {
 public:
  RateLimiter(double rate, int burst) : rate_(rate), burst_(burst), tokens_(burst) {}
  /// Takes a token when one is there (true); else false and `next` is when one will be.
  bool take(Clock::time_point now, Clock::time_point& next);

 private:
  double rate_;  // 0: no limit
  double burst_;
  double tokens_;
  std::optional<Clock::time_point> last_;
};

/// The wait before retry number `retry` (1 for the first): exponential from `limits.backoff`,
/// capped at `limits.backoff_max`, with "equal jitter" (half fixed, half random) so that many
/// clients do not retry in step.
std::chrono::milliseconds backoff(const Limits& limits, int retry, std::mt19937_64& random);

/// A Retry-After header's value in whole seconds (RFC 9110: delay-seconds or an HTTP-date,
/// compared with `now_unix`); nullopt when it is neither.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::int64_t now_unix);

}  // namespace dfx::register_http
