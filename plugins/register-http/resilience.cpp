#include "resilience.hpp"

#include <algorithm>
#include <ctime>

namespace dfx::register_http {

bool CircuitBreaker::allow(Clock::time_point now) {
  switch (state_) {
    case State::Closed:
      return true;
    case State::Open:
      if (now < reopen_at_) return false;
      state_ = State::HalfOpen;
      probing_ = true;
      return true;
    case State::HalfOpen:
      if (probing_) return false;
      probing_ = true;
      return true;
  }
  return false;
}

void CircuitBreaker::succeeded() {
  state_ = State::Closed;
  in_a_row_ = 0;
  probing_ = false;
}

void CircuitBreaker::failed(Clock::time_point now) {
  ++in_a_row_;
  if (state_ == State::HalfOpen || in_a_row_ >= config_.failures) {
    state_ = State::Open;
    reopen_at_ = now + config_.open_for;
    probing_ = false;
  }
}

std::string CircuitBreaker::why(Clock::time_point now) const {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(reopen_at_ - now);
  return "not asked: the service failed " + std::to_string(in_a_row_) +
         " times in a row, so it is left alone for " +
         std::to_string(std::max<long>(0, left.count())) + " ms more (circuit breaker open)";
}

bool RateLimiter::take(Clock::time_point now, Clock::time_point& next) {
  if (rate_ <= 0) return true;
  if (last_) {
    const double elapsed = std::chrono::duration<double>(now - *last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
  }
  last_ = now;
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return true;
  }
  next = now + std::chrono::duration_cast<Clock::duration>(
                   std::chrono::duration<double>((1 - tokens_) / rate_));
  return false;
}

std::chrono::milliseconds backoff(const Limits& limits, int retry, std::mt19937_64& random) {
  long long wait = limits.backoff.count();
  for (int i = 1; i < retry && wait < limits.backoff_max.count(); ++i) wait *= 2;
  wait = std::min<long long>(wait, limits.backoff_max.count());
  const long long half = wait / 2;
  std::uniform_int_distribution<long long> jitter(0, wait - half);
  return std::chrono::milliseconds(half + jitter(random));
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::int64_t now_unix) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r' || value.back() == '\n'))
    value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return std::chrono::seconds(999999999);
    return std::chrono::seconds(std::stoll(std::string(value)));
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  const std::string text(value);
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const std::int64_t at = ::timegm(&tm);
  return std::chrono::seconds(std::max<std::int64_t>(0, at - now_unix));
}

}  // namespace dfx::register_http
