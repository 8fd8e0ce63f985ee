#include "tac/tac_cache.hpp"

#include <algorithm>
#include <limits>

namespace dfx::tac {
namespace {

// 8 digits -> 0..99'999'999 (fits 32 bits); nullopt otherwise.
std::optional<std::uint32_t> tac_key(std::string_view tac) noexcept {
  if (tac.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : tac) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return v;
}

// Names longer than this are cut: a brand or model name is a few dozen bytes at most.
constexpr std::size_t kMaxName = std::numeric_limits<std::uint16_t>::max();

}  // namespace

Result<TacCache> TacCache::load(TacDatabase& db) {
  TacCache cache;
  if (auto n = db.count(); n) cache.entries_.reserve(static_cast<std::size_t>(*n));
  auto r = db.for_each([&](std::string_view tac, std::string_view brand, std::string_view model) {
    cache.add(tac, brand, model);
  });
  if (!r) return tl::unexpected(std::move(r.error()));
  cache.finish();
  return cache;
}

void TacCache::add(std::string_view tac, std::string_view brand, std::string_view model) {
  const auto key = tac_key(tac);
  if (!key) return;
  brand = brand.substr(0, kMaxName);
  model = model.substr(0, kMaxName);
  entries_.push_back({*key, static_cast<std::uint32_t>(arena_.size()),
                      static_cast<std::uint16_t>(brand.size()),
                      static_cast<std::uint16_t>(model.size())});
  arena_.append(brand);
  arena_.append(model);
}

void TacCache::finish() {
  // Stable: of two equal keys the first added stays first, and unique() keeps it.
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.key < b.key; });
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [](const Entry& a, const Entry& b) { return a.key == b.key; }),
                 entries_.end());
}

std::optional<TacName> TacCache::find(std::string_view tac) const noexcept {
  const auto key = tac_key(tac);
  if (!key) return std::nullopt;
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), *key,
                                   [](const Entry& e, std::uint32_t k) { return e.key < k; });
  if (it == entries_.end() || it->key != *key) return std::nullopt;
  const std::string_view arena(arena_);
  return TacName{arena.substr(it->offset, it->brand_size),
                 arena.substr(it->offset + it->brand_size, it->model_size)};
}

}  // namespace dfx::tac
