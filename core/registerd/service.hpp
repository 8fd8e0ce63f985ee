// dfx-registerd's requests, without the HTTP server around them (main.cpp): a depot's shared
// register served from the same store `dfx register import` writes.
//
//   GET  /v1/health                      {"status":"ok"} (no token needed; 503 when unreadable)
//   GET  /v1/identifiers/<kind>:<value>  one identifier, e.g. /v1/identifiers/imei:353908123456789
//   POST /v1/check                       {"identifiers": ["imei:...", ...]} (at most 10,000)
//
// Every other request needs "Authorization: Bearer <token>" (tokens.hpp). An identifier is
// answered "hit" with its records, "miss", or "error" with the reason (a value that is not the
// canonical form of its kind, a register that holds nothing or fails its integrity check): never
// a miss for what was not looked up. The log line of a request names its route, never the
// identifiers asked.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "register_store/register_store.hpp"
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
  /// many identifiers were asked; never an identifier.
  std::string route, token = "-";
  std::size_t identifiers = 0;
};

/// The largest batch POST /v1/check takes.
inline constexpr std::size_t kMaxBatch = 10000;

class Service {
 public:
  Service(std::filesystem::path register_db, Tokens tokens)
      : db_(std::move(register_db)), tokens_(std::move(tokens)) {}

  /// Answers one request. Thread-safe (lookups are serialised on the store).
  Response handle(const Request& request);

  /// Opens the register again (after it was replaced; an import into the same file is seen at
  /// the next request anyway, each lookup reading the last committed import).
  Result<void> reload();

 private:
  Response lookup(const std::vector<std::string>& identifiers, bool batch);

  std::filesystem::path db_;
  Tokens tokens_;
  std::mutex mutex_;
  std::optional<register_store::RegisterStore> store_;
};

}  // namespace dfx::registerd
