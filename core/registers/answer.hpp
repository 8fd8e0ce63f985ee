// What registers said about identifiers, as the host keeps it: one Answer per register asked,
// with every record it holds, or the reason it could not answer. Nothing here is merged: two
// registers that disagree stay two answers, each with its provenance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dfx::registers {

/// One identifier to look up: kind and canonical form.
struct Lookup {
  std::string kind;
  std::string identifier;
};

/// How one register answered one query.
enum class Outcome {
  Hit,    ///< it holds one or more records (see Answer::hits)
  Miss,   ///< it was asked and holds no record
  Error,  ///< it could not be asked, did not answer in time, or answered incoherently
};

/// "hit", "miss", "error".
std::string_view to_string(Outcome outcome);

/// The report statuses a register may give (dfx_register_hit.status).
inline constexpr std::string_view kHitStatuses[] = {"stolen", "lost", "blocked", "fraud", "other"};

/// True when `status` is one of kHitStatuses.
bool is_known_status(std::string_view status);

/// One record a register holds about an identifier.
struct Hit {
  std::string status;           ///< one of kHitStatuses
  std::string reported_at;      ///< ISO 8601, "" when the register did not say
  std::string reporting_party;  ///< "" when the register did not say
  std::string reference;        ///< "" when the register did not say
};

/// One register's answer to one query.
struct Answer {
  std::string register_id;  ///< the register's id from the configuration
  Outcome outcome = Outcome::Error;
  std::vector<Hit> hits;  ///< non-empty exactly when outcome is Hit
  std::string error;      ///< why, when outcome is Error
  double latency_ms = 0;  ///< how long the register took for the batch this query was in
  std::string asked_at;   ///< UTC time (ISO 8601, ms) the batch was sent; "" if never asked
  /// SHA-256 (hex) of the register's raw answer to the batch this query was in: the bytes its
  /// worker sent (the Answers frame's payload), or, for a register run in-process, the same
  /// serialization of what its plugin reported. "" when it gave no answer.
  std::string answer_sha256;
};

/// `n` answers of register `register_id`, each an error saying `why`: what a register that could
/// not be asked answers.
std::vector<Answer> error_answers(std::size_t n, const std::string& register_id,
                                  const std::string& why);

}  // namespace dfx::registers
