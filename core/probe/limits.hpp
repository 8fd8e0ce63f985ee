// What one probe may make the host hold. The worker applies these limits to its plugin; the host
// applies them again to every frame it receives, because a plugin shares the worker's process and
// can write raw frames on the protocol socket: nothing the worker sends is trusted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "probe/messages.hpp"

namespace dfx::probe {

inline constexpr std::size_t kMaxClaims = 4096;
inline constexpr std::size_t kMaxClaimKind = 64;
inline constexpr std::size_t kMaxClaimValue = 4096;
inline constexpr std::size_t kMaxClaimMethod = 512;
inline constexpr std::size_t kMaxFindings = 64;
inline constexpr std::size_t kMaxFindingCode = 64;
inline constexpr std::size_t kMaxLogLines = 1000;
inline constexpr std::size_t kMaxLogLine = 4096;
/// A Done frame's error sentence: a plugin's set_error (kMaxLogLine) or a loader's refusal.
inline constexpr std::size_t kMaxDoneError = 8192;
/// Each text a library reports about itself (id, version, name, kind).
inline constexpr std::size_t kMaxIdentityField = 256;

/// Log frames a worker may send: its plugin's lines and one note that further lines were dropped.
inline constexpr std::size_t kMaxLogFrames = kMaxLogLines + 1;
/// Largest frame payload the host accepts from a worker: the largest legitimate frame (a claim at
/// its limits, escaped as JSON at worst six bytes a byte) with room to spare.
inline constexpr std::uint32_t kMaxWorkerFrame = 64 * 1024;
/// All bytes one worker may send, frames and headers together.
inline constexpr std::size_t kMaxWorkerBytes = 64ull * 1024 * 1024;

/// Why a claim received from a worker is over the limits ("" when it is within them).
std::string claim_over_limit(const Claim& claim);
/// Why a finding received from a worker is over the limits or malformed ("" when it is fine):
/// its code must be 1 to 64 of [a-z0-9_], its message non-empty and at most a log line.
std::string finding_over_limit(const Finding& finding);
/// Why a log line received from a worker is over the limits ("" when it is within them).
std::string log_over_limit(const LogLine& line);
/// Why a Done received from a worker is over the limits ("" when it is within them).
std::string done_over_limit(const Done& done);

}  // namespace dfx::probe
