// The probe worker (dfx-probe): reads one request from the host, loads one plugin, runs it, and
// streams Hello, Log, Claim and Done frames back. Kept as a function so that the host's
// --in-process debug mode runs exactly the same code on a thread.
#pragma once

#include <functional>

#include "base/result.hpp"
#include "plugin_host/loader.hpp"
#include "probe/messages.hpp"
#include "probe/sandbox.hpp"

namespace dfx::probe {

/// Exit codes of dfx-probe, besides 0 (a Done frame was sent, whatever its outcome).
inline constexpr int kWorkerUsage = 64;     ///< not started by the host (no protocol fd)
inline constexpr int kWorkerProtocol = 65;  ///< the request was missing or malformed
inline constexpr int kWorkerHostGone = 66;  ///< the host closed the pipe

/// How the plugin's part of a request runs: in its sandbox with the device behind the USB broker
/// (dfx-probe), or on the calling thread with the device at hand (the host's --in-process debug
/// mode, which says so in a warning).
enum class Isolation { Sandbox, None };

/// Serves a register plugin, loaded in the sandbox, for a Mode::Register request: reads Query
/// frames from `fd` and answers each until the host closes it; returns the exit code. Given by
/// the registers module (dfx-probe's main), which the probe module does not depend on.
using RegisterServer =
    std::function<int(int fd, const Request& request, const plugin_host::LoadedPlugin& plugin)>;

/// Sets the register server of this process (dfx-probe's main does, once).
void set_register_server(RegisterServer server);

/// Serves one request on `fd` (a connected stream socket): opens what the plugin needs, then
/// runs the plugin as `isolation` says. Returns the exit code.
int serve(int fd, Isolation isolation);

}  // namespace dfx::probe
