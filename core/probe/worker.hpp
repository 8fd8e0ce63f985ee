// The probe worker (dfx-probe): reads one request from the host, loads one plugin, runs it, and
// streams Hello, Log, Claim and Done frames back. Kept as a function so that the host's
// --in-process debug mode runs exactly the same code on a thread.
#pragma once

namespace dfx::probe {

/// Exit codes of dfx-probe, besides 0 (a Done frame was sent, whatever its outcome).
inline constexpr int kWorkerUsage = 64;     ///< not started by the host (no protocol fd)
inline constexpr int kWorkerProtocol = 65;  ///< the request was missing or malformed
inline constexpr int kWorkerHostGone = 66;  ///< the host closed the pipe

/// Serves one request on `fd` (a connected stream socket). Returns the exit code.
int serve(int fd);

}  // namespace dfx::probe
