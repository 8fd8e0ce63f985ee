#include "register_store/record_digest.hpp"

#include <cstring>

namespace dfx::register_store::detail {

// Every field is length-prefixed, so that no two different records hash the same bytes
// ("ab" + "c" vs "a" + "bc"); a domain tag separates record digests from seals.
void Digester::field(std::string_view bytes) {
  const std::uint64_t n = bytes.size();
  unsigned char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
  sha_.update(std::string_view(reinterpret_cast<const char*>(len), sizeof len));
  sha_.update(bytes);
}

void Digester::number(std::int64_t n) {
  field(std::to_string(n));
}

void Digester::key(const RecordKey* k) {
  if (k == nullptr) {
    field("end");
    return;
  }
  field("key");
  field(k->kind);
  field(k->identifier);
  field(k->source);
  field(k->reference);
}

Digest Digester::finish() {
  std::array<unsigned char, 32> full{};
  // An OpenSSL failure yields an all-zero digest that matches no stored one: fail closed.
  if (!sha_.finish_and_reset(full)) full.fill(0);
  Digest d{};
  std::memcpy(d.data(), full.data(), d.size());
  return d;
}

Digest Digester::record(const StoredRecord& r, const RecordKey* next) {
  field("dfx register record v2");
  key(&r.key);
  field(r.status);
  field(r.reported_at);
  field(r.notes);
  number(r.added_by);
  number(r.updated_by);
  key(next);
  return finish();
}

Digest Digester::seal(const StateFields& s, const RecordKey* first) {
  field("dfx register state v2");
  number(s.import_id);
  number(s.records);
  field(s.content_sha256);
  field(s.file);
  field(s.file_sha256);
  field(s.format);
  field(s.imported_at);
  key(first);
  return finish();
}

std::string_view as_bytes(const Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

bool same(const Digest& d, std::string_view stored) {
  return stored.size() == d.size() && std::memcmp(stored.data(), d.data(), d.size()) == 0;
}

}  // namespace dfx::register_store::detail
