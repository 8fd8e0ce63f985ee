#include "registers/duplicate_tracker.hpp"

namespace dfx::registers {
namespace {

// FNV-1a, then a final mix: stable, and good enough to spread canonical identifiers, which
// differ in a few trailing digits.
std::uint64_t hash_of(std::string_view key) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h == 0 ? 1 : h;  // 0 marks an empty slot
}

}  // namespace

void DuplicateTracker::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.hash == 0) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].hash != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::optional<std::size_t> DuplicateTracker::seen(std::string_view key, std::size_t where) {
  if (slots_.empty()) grow();
  const std::uint64_t h = hash_of(key);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = h & mask;
  while (slots_[i].hash != 0) {
    if (slots_[i].hash == h) return static_cast<std::size_t>(slots_[i].where);
    i = (i + 1) & mask;
  }
  if (size_ >= max_) {
    saturated_ = true;
    return std::nullopt;
  }
  slots_[i] = {h, where};
  ++size_;
  if (size_ * 2 > slots_.size()) grow();  // keep probes short: at most half full
  return std::nullopt;
}

}  // namespace dfx::registers
