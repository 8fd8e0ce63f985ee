// Reading a service's answer: an HTTP reply → one answer per identifier it was about, by the
// configuration's mapping. Pure (no I/O), and fuzzed: a register's answer is hostile input. The
// rule throughout: an identifier is a miss only where the configuration maps what the service
// said onto "miss"; anything missing, unexpected or unmapped is an error naming what and where.
#pragma once

#include <span>
#include <string>
#include <vector>

#include <dfx/plugin.hpp>

#include "request_plan.hpp"
#include "service_config.hpp"

namespace dfx::register_http {

/// One identifier's answer.
struct ItemAnswer {
  enum class Outcome { Hit, Miss, Error };
  Outcome outcome = Outcome::Error;
  std::vector<dfx::sdk::Hit> hits;  ///< Hit: at most kMaxRecords
  std::string error;                ///< Error: why
};

/// An HTTP reply as the transfer gave it.
struct HttpReply {
  long status = 0;
  std::string content_type;
  std::string body;
};

/// Records kept per identifier (what the host takes).
inline constexpr std::size_t kMaxRecords = 64;
/// Characters kept per record field.
inline constexpr std::size_t kMaxFieldChars = 1024;
/// Nesting accepted in an answer.
inline constexpr int kMaxDepth = 32;

/// The answers about `items[i]` for each i in `asked`, in that order, from `reply`.
std::vector<ItemAnswer> read_answers(const ServiceConfig& config, const HttpReply& reply,
                                     std::span<const Item> items,
                                     std::span<const std::size_t> asked);

/// True when `text` nests arrays and objects at most `max_depth` deep (strings skipped): checked
/// before parsing, so that a hostile answer cannot exhaust the stack.
bool nesting_within(std::string_view text, int max_depth);

}  // namespace dfx::register_http
