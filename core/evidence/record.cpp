#include "evidence/record.hpp"

#include "base/sha256.hpp"

namespace dfx::evidence {

std::string canonical(const nlohmann::json& record) {
  // nlohmann's objects are sorted maps: dump() writes keys in order, without spaces.
  return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string record_hash(const nlohmann::json& record) {
  if (!record.is_object() || !record.contains("hash")) return sha256_hex(canonical(record));
  nlohmann::json without = record;
  without.erase("hash");
  return sha256_hex(canonical(without));
}

std::string signed_head(const std::string& case_id, uint64_t seq, const std::string& hash) {
  return "dfx case head\n" + case_id + "\n" + std::to_string(seq) + "\n" + hash + "\n";
}

}  // namespace dfx::evidence
