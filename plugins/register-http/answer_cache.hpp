// Answers kept for a while, for services whose terms allow it: hits and misses have their own
// lifetimes (a miss goes stale sooner: a phone can be reported stolen at any moment), errors are
// never kept. Off unless the configuration gives a lifetime.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "resilience.hpp"
#include "response_mapping.hpp"

namespace dfx::register_http {

class AnswerCache {
 public:
  explicit AnswerCache(Cache config) : config_(config) {}

  /// The kept answer about kind:identifier, if it has not expired.
  std::optional<ItemAnswer> find(const Item& item, Clock::time_point now);
  /// Keeps `answer` (a hit or a miss whose lifetime is not 0; errors are not kept).
  void keep(const Item& item, const ItemAnswer& answer, Clock::time_point now);
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    ItemAnswer answer;
    Clock::time_point expires;
  };
  Cache config_;
  std::map<std::string, Entry> entries_;
};

}  // namespace dfx::register_http
