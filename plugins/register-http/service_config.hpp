// A remote register service as its configuration describes it: the "settings" of a register
// served by register-http, parsed and checked before anything is sent. Everything that decides
// what is asked, how an answer is read and when a question counts as answered is here, so that a
// new service needs a configuration, not code (docs/registers.md has the reference and examples).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <dfx/sdk/result.hpp>
#include <nlohmann/json.hpp>

namespace dfx::register_http {

/// How identifiers are put to the service.
enum class QueryMode {
  Single,  ///< one request per identifier
  Batch,   ///< one request for up to batch_size identifiers
  Range,   ///< one request per identifier naming only a prefix of its SHA-256 (the private mode)
};

/// How the request proves who asks.
enum class AuthType { None, Basic, Bearer, Header };

struct Auth {
  AuthType type = AuthType::None;
  std::string header;      ///< AuthType::Header: the header's name ("X-API-Key")
  std::string username;    ///< AuthType::Basic: the user name (the secret is the password)
  std::string secret_env;  ///< the variable holding the secret, or ""
  std::filesystem::path secret_file;  ///< the owner-only file holding it, or ""
};

/// JSON pointers to a record's fields, relative to the record ("" when the service has none).
struct RecordFields {
  std::string status, reported_at, reporting_party, reference;
};

/// How an answer is read. Pointers are RFC 6901 JSON pointers.
struct ResponseMapping {
  std::string results;        ///< Batch: the array of per-identifier results
  std::string match_pointer;  ///< Batch: in a result, the value that names its identifier
  std::string match_value;    ///< Batch: that value's template ("{kind}:{identifier}")
  std::string matches;        ///< Range: the array of identifiers sharing the prefix
  std::string suffix;         ///< Range: in a match, the rest of its SHA-256 (hex)
  std::string no_match;       ///< Range: what no matching suffix means; must say "miss"
  std::string outcome;        ///< in a result, the service's word for it ("" in Range mode)
  /// The service's words → "miss", "error", "records" (hits from the records array) or a hit
  /// status (stolen, lost, blocked, fraud, other). A word not in the table is an error: nothing
  /// becomes a miss unless the configuration says so.
  std::map<std::string, std::string> words;
  std::string records;  ///< in a result, the array of records (for "records")
  RecordFields record;  ///< in a record (or, for a status word, in the result)
  std::map<std::string, std::string> status_words;  ///< a record's status word → dfx status
  std::string error;  ///< in a result or the whole answer, the service's error text
  std::map<long, std::string> http_status;  ///< an HTTP status → a word target (404 → "miss")
};

struct Limits {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds request_timeout{5000};  ///< one attempt, connection included
  int retries = 2;                                  ///< further attempts after the first
  std::chrono::milliseconds backoff{100};           ///< before the first retry; doubles
  std::chrono::milliseconds backoff_max{2000};
  double rate_per_second = 0;  ///< 0: no client-side rate limit
  int concurrency = 8;         ///< requests in flight at most
  std::size_t max_response_bytes = 16u << 20;
};

struct Breaker {
  int failures = 5;                           ///< failed attempts in a row that open it
  std::chrono::milliseconds open_for{10000};  ///< how long it answers `error` at once
};

struct Cache {
  bool enabled = false;  ///< off unless configured: some services' terms forbid storing answers
  std::chrono::seconds hit_lifetime{0};
  std::chrono::seconds miss_lifetime{0};
  std::size_t max_entries = 100000;
};

/// One configured service.
struct ServiceConfig {
  std::string name;  ///< for messages ("depot register")
  QueryMode mode = QueryMode::Single;
  std::vector<std::string> kinds;      ///< identifier kinds the service is asked about
  std::string method = "GET";          ///< GET or POST
  std::string url;                     ///< template: {kind}, {identifier}, {prefix}
  std::optional<nlohmann::json> body;  ///< template; in Batch mode "{items}" is the item array
  std::string item = "{identifier}";   ///< Batch: one item of "{items}"
  std::size_t batch_size = 100;
  int prefix_length = 6;  ///< Range: hex characters of SHA-256 sent
  std::vector<std::pair<std::string, std::string>> headers;
  Auth auth;
  ResponseMapping response;
  Limits limits;
  Breaker breaker;
  Cache cache;
  std::filesystem::path ca_file;  ///< trusted CAs instead of the system's ("" for those)
  bool plain_http = false;        ///< allow http:// to a host other than loopback
};

/// Parses and checks `settings` (the register's "settings" object). Errors name the field:
/// "settings.response.words.failed: expected miss, error, records or a status".
dfx::sdk::Result<ServiceConfig> parse_service_config(std::string_view settings);

/// The hit statuses dfx knows (a word target or status word must map onto one of them).
bool is_hit_status(std::string_view status);

}  // namespace dfx::register_http
