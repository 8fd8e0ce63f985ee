// A case's records: JSON lines, each holding the hash of the record before it ("prev") and its
// own ("hash"), so that any change, loss or reordering of a record shows.
//
// A line is the record's canonical serialization without "hash" (keys sorted, no white space,
// UTF-8, invalid bytes from a device replaced by U+FFFD before they are first written) with the
// member `"hash":"<64 hex digits>"` added last, before the closing brace. The hash is SHA-256 of
// the line without that last member: a third party checks it with byte operations alone, and
// reads the line with any JSON parser.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dfx::evidence {

/// The file of a case folder that holds its records.
inline constexpr const char* kRecordsFile = "case.jsonl";

/// The canonical serialization of `record` (keys sorted, no white space).
std::string canonical(const nlohmann::json& record);

/// The line of `record` (any "hash" member in it is ignored and replaced), without the newline;
/// `hash` receives its hash.
std::string record_line(nlohmann::json record, std::string* hash = nullptr);

/// A line split into the record without its hash member (what the hash covers) and the hash;
/// nullopt when the line does not end with a hash member.
struct SplitLine {
  std::string body;  ///< the line without `,"hash":"..."`, closing brace kept
  std::string hash;
};
std::optional<SplitLine> split_line(std::string_view line);

/// What a checkpoint's signature covers: the case, and the head of the chain it vouches for.
std::string signed_head(const std::string& case_id, uint64_t seq, const std::string& hash);

}  // namespace dfx::evidence
