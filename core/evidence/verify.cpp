#include "evidence/verify.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/sha256.hpp"
#include "evidence/record.hpp"
#include "evidence/workstation_key.hpp"

namespace dfx::evidence {
namespace {

using nlohmann::json;

bool has(const json& j, const char* key, json::value_t type) {
  auto it = j.find(key);
  return it != j.end() && (it->type() == type ||
                           (type == json::value_t::number_unsigned && it->is_number_unsigned()));
}

// Whether a record numbered `seq` is among the lines of `rest` (to tell a reordering from a loss).
bool expected_comes_later(std::string_view rest, uint64_t seq) {
  for (std::size_t at = 0; at < rest.size();) {
    const std::size_t end = std::min(rest.find('\n', at), rest.size());
    const json r = json::parse(rest.substr(at, end - at), nullptr, false);
    if (r.is_object() && r.contains("seq") && r["seq"] == seq) return true;
    at = end + 1;
  }
  return false;
}

// A transcript's name is its hash: nothing else may be named (a changed record could otherwise
// point the verifier anywhere on the disk).
bool transcript_name_ok(const std::string& file, const std::string& sha256) {
  return sha256.size() == 64 &&
         std::all_of(sha256.begin(), sha256.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }) &&
         file == "transcripts/" + sha256 + ".jsonl";
}

// Collects the "transcript" objects of a record, wherever they are (a scan's probes hold them).
void collect_transcripts(const json& j, uint64_t seq, std::vector<TranscriptRef>& out) {
  if (j.is_array()) {
    for (const auto& e : j) collect_transcripts(e, seq, out);
    return;
  }
  if (!j.is_object()) return;
  for (const auto& [key, value] : j.items()) {
    if (key == "transcript" && value.is_object() && value.contains("file")) {
      TranscriptRef ref{seq, value.value("file", ""), value.value("sha256", ""), 0};
      if (const auto b = value.find("bytes"); b != value.end() && b->is_number_unsigned())
        ref.bytes = b->get<uint64_t>();
      out.push_back(std::move(ref));
    } else {
      collect_transcripts(value, seq, out);
    }
  }
}

}  // namespace

std::string_view to_string(Problem p) {
  switch (p) {
    case Problem::none:
      return "ok";
    case Problem::torn:
      return "torn";
    case Problem::changed:
      return "changed";
    case Problem::missing:
      return "missing";
    case Problem::reordered:
      return "reordered";
    case Problem::bad_signature:
      return "bad_signature";
    case Problem::unknown_key:
      return "unknown_key";
    case Problem::after_close:
      return "after_close";
    case Problem::not_a_case:
      return "not_a_case";
    case Problem::transcript:
      return "transcript";
  }
  return "?";
}

Verification verify_records(std::string_view content) {
  Verification v;
  const auto fail = [&v](Problem p, std::string message) {
    v.problem = p;
    v.message = std::move(message);
    return v;
  };
  if (content.empty()) return fail(Problem::not_a_case, "the case has no records");
  std::size_t at = 0;
  uint64_t line_no = 0;
  while (at < content.size()) {
    ++line_no;
    const std::size_t end = content.find('\n', at);
    const std::string where =
        "line " + std::to_string(line_no) + " (record " + std::to_string(v.records) + " expected)";
    if (end == std::string_view::npos)
      return fail(Problem::torn, "the last line (" + std::to_string(content.size() - at) +
                                     " bytes at offset " + std::to_string(at) +
                                     ") is torn: a write was interrupted; the " +
                                     std::to_string(v.records) +
                                     " records before it are intact (dfx case repair removes "
                                     "it and records that it did)");
    const std::string_view line = content.substr(at, end - at);
    const auto split = split_line(line);
    if (!split) return fail(Problem::changed, where + " does not end with its hash: changed");
    if (sha256_hex(split->body) != split->hash)
      return fail(Problem::changed, where + " does not match its own hash: changed");
    const json record = json::parse(split->body, nullptr, false);
    if (record.is_discarded() || !record.is_object())
      return fail(Problem::changed, where + " is not a JSON record: changed");
    if (!has(record, "seq", json::value_t::number_unsigned) ||
        !has(record, "prev", json::value_t::string) || !has(record, "type", json::value_t::string))
      return fail(Problem::changed, where + " lacks seq, prev or type: changed");
    const uint64_t seq = record["seq"].get<uint64_t>();
    const std::string label =
        "record " + std::to_string(seq) + " (line " + std::to_string(line_no) + ")";
    // The hash covers the line's bytes, so a record needs no re-serialization to be checked:
    // any byte changed shows, whichever tool wrote the line.
    if (seq > v.records && expected_comes_later(content.substr(end + 1), v.records))
      return fail(Problem::reordered, label + " comes where record " + std::to_string(v.records) +
                                          " belongs, which follows later: reordered");
    if (seq > v.records)
      return fail(Problem::missing, label + " follows record " + std::to_string(v.records) +
                                        (v.records ? " - 1" : "") + ": records " +
                                        std::to_string(v.records) + " to " +
                                        std::to_string(seq - 1) + " are missing");
    if (seq < v.records)
      return fail(Problem::reordered, label + " comes after record " +
                                          std::to_string(v.records - 1) +
                                          ": reordered or repeated");
    if (record["prev"].get<std::string>() != v.head_hash)
      return fail(Problem::reordered,
                  label +
                      " does not follow the record before it (its prev is not that record's "
                      "hash): a record before it was replaced, or records were reordered");
    if (v.closed)
      return fail(Problem::after_close, label + " follows the record that closed the case");
    const std::string type = record["type"].get<std::string>();
    if (seq == 0) {
      if (type != "case" || !has(record, "case_id", json::value_t::string))
        return fail(Problem::not_a_case, "record 0 is not a case record");
      v.case_id = record["case_id"].get<std::string>();
    } else if (type == "case") {
      return fail(Problem::reordered, label + " is a second case record");
    }
    if ((type == "case" || type == "workstation") && has(record, "key", json::value_t::string))
      v.keys.push_back(record["key"].get<std::string>());
    if (type == "checkpoint" || type == "close") {
      if (!has(record, "key", json::value_t::string) ||
          !has(record, "signature", json::value_t::string) ||
          !has(record, "head_seq", json::value_t::number_unsigned) ||
          !has(record, "head_hash", json::value_t::string) ||
          record["head_seq"].get<uint64_t>() + 1 != seq || record["head_hash"] != v.head_hash)
        return fail(Problem::changed, label +
                                          ": a checkpoint that does not sign the record "
                                          "before it: changed");
      const std::string key = record["key"].get<std::string>();
      if (std::find(v.keys.begin(), v.keys.end(), key) == v.keys.end())
        return fail(Problem::unknown_key,
                    label + " is signed by key " + key.substr(0, 16) +
                        "..., which no workstation record of the case introduced: unknown key");
      if (!verify_signature(key, signed_head(v.case_id, seq - 1, v.head_hash),
                            record["signature"].get<std::string>()))
        return fail(Problem::bad_signature, label + ": the signature does not verify with key " +
                                                key.substr(0, 16) + "...: bad signature");
      v.signed_through = static_cast<int64_t>(seq - 1);
      v.closed = type == "close";
    }
    if (split->body.find("\"transcript\"") != std::string_view::npos)
      collect_transcripts(record, seq, v.transcripts);
    v.head_hash = split->hash;
    ++v.records;
    at = end + 1;
    v.intact_bytes = at;
  }
  return v;
}

Result<Verification> verify_case(const std::filesystem::path& dir) {
  std::ifstream in(dir / kRecordsFile, std::ios::binary | std::ios::ate);
  if (!in) return fail("no case at " + dir.string() + " (no " + kRecordsFile + ")");
  // Read at once into one buffer: a day of depot work is tens of MB.
  std::string content(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.bad() || static_cast<std::size_t>(in.gcount()) != content.size())
    return fail("cannot read " + (dir / kRecordsFile).string());
  Verification v = verify_records(content);
  if (!v.ok()) return v;
  for (const auto& t : v.transcripts) {
    const std::string label = "record " + std::to_string(t.seq) + ": transcript " + t.file;
    const auto bad = [&](const std::string& why) {
      v.problem = Problem::transcript;
      v.message = label + " " + why;
      return v;
    };
    if (!transcript_name_ok(t.file, t.sha256))
      return bad("is not named by its SHA-256 (transcripts/<sha256>.jsonl): changed");
    std::ifstream f(dir / t.file, std::ios::binary);
    if (!f) return bad("is missing");
    std::ostringstream bytes;
    bytes << f.rdbuf();
    const std::string text = std::move(bytes).str();
    if (text.size() != t.bytes || sha256_hex(text) != t.sha256)
      return bad("is not what was recorded (" + std::to_string(text.size()) + " bytes, sha256 " +
                 sha256_hex(text).substr(0, 16) + "...): changed");
  }
  return v;
}

}  // namespace dfx::evidence
