// A case's records: JSON lines, each holding the hash of the record before it and its own, so
// that any change, loss or reordering of a record shows. The hash is SHA-256 over the record's
// canonical serialization without its "hash" member: keys sorted, no white space, UTF-8 (invalid
// bytes from a device replaced by U+FFFD before they are first written), numbers as nlohmann
// writes them. The line written is the canonical serialization with the hash, so that a record
// read back and serialized again is byte for byte the line on disk.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace dfx::evidence {

/// The file of a case folder that holds its records.
inline constexpr const char* kRecordsFile = "case.jsonl";

/// The canonical serialization of `record` (see above).
std::string canonical(const nlohmann::json& record);

/// The record's hash: lower-case hex SHA-256 of canonical(record without "hash").
std::string record_hash(const nlohmann::json& record);

/// What a checkpoint's signature covers: the case, and the head of the chain it vouches for.
std::string signed_head(const std::string& case_id, uint64_t seq, const std::string& hash);

}  // namespace dfx::evidence
