// dfx-registerd's requests, without the HTTP server around them (main.cpp): a depot's shared
// register served from the same store `dfx register import` writes.
//
//   GET  /v1/health                      {"status":"ok"} (no token needed; 503 when unreadable)
//   GET  /v1/identifiers/<kind>:<value>  one identifier, e.g. /v1/identifiers/imei:353908123456789
//   POST /v1/check                       {"identifiers": ["imei:...", ...]} (at most 10,000)
//   GET  /v1/range/<kind>/<prefix>       every stored identifier of the kind whose SHA-256 starts
//                                        with the prefix, e.g. /v1/range/imei/3fa9c
//
// Every other request needs "Authorization: Bearer <token>" (tokens.hpp). An identifier is
// answered "hit" with its records, "miss", or "error" with the reason (a value that is not the
// canonical form of its kind, a register that holds nothing or fails its integrity check): never
// a miss for what was not looked up. The log line of a request names its route, never the
// identifiers asked.
//
// The range query keeps the identifier from the server: the client sends the first 4 to 32 hex
// digits of the SHA-256 of the canonical identifier's UTF-8 bytes (not the kind), and gets
//   {"kind", "prefix", "matches": [{"suffix": <the other hex digits>, "records": [...]}, ...]}
// for every stored identifier of that kind with that prefix (records as /v1/identifiers gives
// them, read through the same checked lookup), then looks for its own suffix: absent, a miss.
// A bad kind or prefix, and a prefix more than kMaxRangeMatches identifiers share, are 400 (the
// answer is never cut short); a register that holds nothing, cannot be read or fails its
// integrity check is 503 with {"error"}, never an empty "matches". The log's route is
// "/v1/range/{kind}/{prefix}": neither the prefix nor any identifier. The hashes come from an
// index of each kind (key_hash_index.hpp) rebuilt whenever the register's sealed content digest
// is not the one it was built from, checked at every range request.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "register_store/register_store.hpp"
#include "registerd/key_hash_index.hpp"
#include "registerd/tokens.hpp"

namespace dfx::registerd {

struct Request {
  std::string method;         ///< "GET", "POST"
  std::string path;           ///< without the query
  std::string authorization;  ///< the Authorization header, "" when absent
  std::string body;
};

struct Response {
  int status = 200;
  std::string body;  ///< JSON
  /// For the log: the route ("/v1/identifiers/{id}"), the token's name ("-" when none) and how
  /// many identifiers were asked (0 for a range); never an identifier nor a hash prefix.
  std::string route, token = "-";
  std::size_t identifiers = 0;
};

/// The largest batch POST /v1/check takes.
inline constexpr std::size_t kMaxBatch = 10000;

/// The most identifiers one range answer holds: a prefix that more share is refused (400), so
/// that the client asks a longer one; an answer is never cut short.
inline constexpr std::size_t kMaxRangeMatches = 1000;

class Service {
 public:
  /// `max_range_matches`: kMaxRangeMatches but in tests, which cannot make a register where a
  /// thousand identifiers share four hex digits of their hashes.
  Service(std::filesystem::path register_db, Tokens tokens,
          std::size_t max_range_matches = kMaxRangeMatches)
      : db_(std::move(register_db)),
        tokens_(std::move(tokens)),
        max_range_matches_(max_range_matches) {}

  /// Answers one request. Thread-safe (lookups, and range indexes, are serialised on the store).
  Response handle(const Request& request);

  /// Opens the register again (after it was replaced; an import into the same file is seen at
  /// the next request anyway, each lookup reading the last committed import, and each range
  /// request comparing its index with the sealed state).
  Result<void> reload();

 private:
  Response lookup(const std::vector<std::string>& identifiers, bool batch);
  Response range(const std::string& kind, const std::string& prefix);
  /// The store, opened now if it was not; with mutex_ held.
  Result<register_store::RegisterStore*> store();

  std::filesystem::path db_;
  Tokens tokens_;
  std::size_t max_range_matches_;
  std::mutex mutex_;  ///< guards store_ and indexes_
  std::optional<register_store::RegisterStore> store_;
  /// An index and the store's data version when it was built.
  struct BuiltIndex {
    KeyHashIndex index;
    std::int64_t data_version = 0;
  };
  /// Per kind, built at its first range request; each tagged with the sealed content digest it
  /// was built from and the file's data version then, and rebuilt before answering when either
  /// changed (an import changes both; a hand edit of the file only the data version, and the
  /// rebuild's checked listing then fails instead of answering from an index that misses it).
  std::map<std::string, BuiltIndex, std::less<>> indexes_;
};

}  // namespace dfx::registerd
