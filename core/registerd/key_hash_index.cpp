#include "registerd/key_hash_index.hpp"

#include <algorithm>

#include "base/hex.hpp"
#include "base/sha256.hpp"

namespace dfx::registerd {
namespace {

// The value of a lower-case hex digit, or -1.
int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The hash whose hex digits are `prefix` followed by `fill` (0 or 15) up to 64 digits: the
// smallest and largest hashes that start with the prefix.
KeyHash bound(std::string_view prefix, unsigned fill) {
  KeyHash h{};
  for (std::size_t i = 0; i < 2 * h.size(); ++i) {
    const unsigned v = i < prefix.size() ? static_cast<unsigned>(nibble(prefix[i])) : fill;
    h[i / 2] = static_cast<unsigned char>(i % 2 == 0 ? v << 4 : h[i / 2] | v);
  }
  return h;
}

}  // namespace

Result<std::string> parse_hash_prefix(std::string_view text) {
  if (text.size() < kMinPrefixDigits || text.size() > kMaxPrefixDigits)
    return fail("the prefix must be " + std::to_string(kMinPrefixDigits) + " to " +
                std::to_string(kMaxPrefixDigits) + " hex digits of the identifier's SHA-256, not " +
                std::to_string(text.size()));
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (nibble(c) < 0)
      return fail("the prefix must be hex digits (0-9, a-f) of the identifier's SHA-256");
  }
  return out;
}

std::string hash_hex(const KeyHash& hash) {
  return to_hex(std::span<const unsigned char>(hash));
}

Result<KeyHashIndex> KeyHashIndex::from_identifiers(std::string content_sha256,
                                                    const std::vector<std::string>& identifiers) {
  KeyHashIndex index;
  index.content_sha256_ = std::move(content_sha256);
  index.entries_.reserve(identifiers.size());
  Sha256 sha;
  for (const auto& id : identifiers) {
    Entry e{{}, id};
    sha.update(id);
    if (!sha.finish_and_reset(e.hash)) return fail("cannot compute SHA-256 (OpenSSL failed)");
    index.entries_.push_back(std::move(e));
  }
  std::sort(index.entries_.begin(), index.entries_.end(),
            [](const Entry& a, const Entry& b) { return a.hash < b.hash; });
  return index;
}

Result<KeyHashIndex> KeyHashIndex::build(register_store::RegisterStore& store,
                                         std::string_view kind) {
  auto listed = store.identifiers_of(kind);
  if (!listed) return tl::unexpected(std::move(listed.error()));
  return from_identifiers(std::move(listed->content_sha256), listed->identifiers);
}

std::span<const KeyHashIndex::Entry> KeyHashIndex::matching(std::string_view prefix) const {
  const KeyHash lo = bound(prefix, 0), hi = bound(prefix, 15);
  const auto first = std::lower_bound(entries_.begin(), entries_.end(), lo,
                                      [](const Entry& e, const KeyHash& h) { return e.hash < h; });
  const auto last = std::upper_bound(first, entries_.end(), hi,
                                     [](const KeyHash& h, const Entry& e) { return h < e.hash; });
  return {first, last};
}

}  // namespace dfx::registerd
