#include "evidence/record.hpp"

#include "base/sha256.hpp"

namespace dfx::evidence {
namespace {

constexpr std::string_view kHashMember = ",\"hash\":\"";
constexpr std::size_t kHexDigits = 64;

bool lower_hex(std::string_view s) {
  for (const char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string canonical(const nlohmann::json& record) {
  // nlohmann's objects are sorted maps: dump() writes keys in order, without spaces.
  return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string record_line(nlohmann::json record, std::string* hash) {
  record.erase("hash");
  std::string line = canonical(record);
  const std::string digest = sha256_hex(line);
  line.pop_back();  // the closing brace, put back after the hash member
  line.append(kHashMember).append(digest).append("\"}");
  if (hash) *hash = digest;
  return line;
}

std::optional<SplitLine> split_line(std::string_view line) {
  const std::size_t tail = kHashMember.size() + kHexDigits + 2;  // `"}` after the digits
  if (line.size() < tail + 2 || line.substr(line.size() - 2) != "\"}") return std::nullopt;
  const std::size_t at = line.size() - tail;
  if (line.substr(at, kHashMember.size()) != kHashMember) return std::nullopt;
  const std::string_view digits = line.substr(at + kHashMember.size(), kHexDigits);
  if (!lower_hex(digits)) return std::nullopt;
  SplitLine s;
  s.body.reserve(at + 1);
  s.body.append(line.substr(0, at)).push_back('}');
  s.hash.assign(digits);
  return s;
}

std::string signed_head(const std::string& case_id, uint64_t seq, const std::string& hash) {
  return "dfx case head\n" + case_id + "\n" + std::to_string(seq) + "\n" + hash + "\n";
}

}  // namespace dfx::evidence
