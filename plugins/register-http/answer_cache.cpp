#include "answer_cache.hpp"

#include <iterator>

namespace dfx::register_http {
namespace {

std::string key(const Item& item) {
  return item.kind + ":" + item.identifier;
}

}  // namespace

std::optional<ItemAnswer> AnswerCache::find(const Item& item, Clock::time_point now) {
  if (!config_.enabled) return std::nullopt;
  const auto it = entries_.find(key(item));
  if (it == entries_.end()) return std::nullopt;
  if (now >= it->second.expires) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.answer;
}

void AnswerCache::keep(const Item& item, const ItemAnswer& answer, Clock::time_point now) {
  if (!config_.enabled || answer.outcome == ItemAnswer::Outcome::Error) return;
  const auto lifetime =
      answer.outcome == ItemAnswer::Outcome::Hit ? config_.hit_lifetime : config_.miss_lifetime;
  if (lifetime.count() == 0) return;
  if (entries_.size() >= config_.max_entries) {
    for (auto it = entries_.begin(); it != entries_.end();)
      it = now >= it->second.expires ? entries_.erase(it) : std::next(it);
    if (entries_.size() >= config_.max_entries) return;  // full of live answers: ask next time
  }
  entries_[key(item)] = {answer, now + lifetime};
}

}  // namespace dfx::register_http
