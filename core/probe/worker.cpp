#include "probe/worker.hpp"

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <optional>

#include "base/paths.hpp"
#include "plugin_host/loader.hpp"
#include "probe/c_device.hpp"
#include "probe/frame_io.hpp"
#include "probe/messages.hpp"
#include "probe/sandbox_plan.hpp"
#include "probe/usb_broker.hpp"
#include "probe/worker_host.hpp"
#include "usb/usb_session.hpp"

namespace dfx::probe {
namespace {

using Clock = std::chrono::steady_clock;

PluginIdentity identity_of(const plugin_host::LoadedPlugin& p) {
  const auto& i = p.info();
  return {i.id ? i.id : "", i.version ? i.version : "", i.name ? i.name : "",
          std::string(plugin_host::to_string(p.manifest().kind)), p.abi()};
}

int finish(FrameWriter& out, const Done& done) {
  return out.send(FrameType::Done, to_payload(done)) ? 0 : kWorkerHostGone;
}

}  // namespace

namespace {
RegisterServer& register_server() {
  static RegisterServer server;
  return server;
}
}  // namespace

void set_register_server(RegisterServer server) {
  register_server() = std::move(server);
}

int serve(int fd, Isolation isolation) {
  const auto started = Clock::now();
  FrameWriter out(fd);
  auto frame = read_frame(fd, std::chrono::seconds(10));
  if (!frame) return kWorkerProtocol;
  if (frame->type != FrameType::Request) return kWorkerProtocol;
  auto request = parse_request(frame->payload);
  if (!request) return kWorkerProtocol;

  out.send(FrameType::Hello,
           to_payload(Hello{kProtocolVersion, plugin_host::host_abi(), ::getpid()}));

  // Everything the plugin is given is opened here, before the sandbox closes: its manifest, its
  // library (checked, then loaded through the open descriptor) and the device.
  auto manifest = plugin_host::read_manifest(request->manifest);
  if (!manifest) return finish(out, {false, "refused", manifest.error().message, std::nullopt});
  auto library = plugin_host::open_library(*manifest);
  if (!library) return finish(out, {false, "refused", library.error().message, std::nullopt});
  // The plugin is told to stop at 90% of the host's deadline, leaving it time to return cleanly
  // (and its claims to reach the host) before the host's hard kill.
  const auto deadline = started + std::chrono::milliseconds(request->deadline_ms * 9 / 10);
  const bool sandboxed = isolation == Isolation::Sandbox;
  // The device stays with this process; in the sandbox, the plugin's USB calls come back here
  // through the broker's socket.
  std::optional<usb::UsbSession> session;
  std::optional<BrokeredUsb> brokered;
  std::optional<WorkerHost> host;
  std::string trace;  // the session's trace of the call being brokered
  int broker[2] = {-1, -1};
  if (request->mode == Mode::Probe) {
    if (!request->device)
      return finish(out, {false, "protocol", "probe request without a device", std::nullopt});
    if (manifest->kind != plugin_host::PluginKind::Device)
      return finish(out, {false, "refused", "plugin " + manifest->id + " is not a device plugin",
                          std::nullopt});
    const auto log_usb = [&](const std::string& line) {
      if (host) host->log(DFX_LOG_DEBUG, ("usb: " + line).c_str());
    };
    session.emplace(*request->device, [&, log_usb](const std::string& line) {
      if (sandboxed)
        trace = line;
      else
        log_usb(line);
    });
    session->open_now();
    session->restrict_to(manifest->usb);
    usb::UsbPort* port = &*session;
    if (sandboxed) {
      if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, broker) != 0)
        return finish(out, {false, "sandbox",
                            "plugin " + manifest->id + " was not run: no socket for the USB broker",
                            std::nullopt});
      brokered.emplace(broker[1], log_usb);
      port = &*brokered;
    }
    host.emplace(out, *request->device, deadline, *port);
  }
  const auto cpu = std::chrono::seconds(request->deadline_ms / 1000 + 2);
  auto plan = plan_for(*manifest, process_env(), cpu);
  if (!plan) return finish(out, {false, "refused", plan.error().message, std::nullopt});
  // Only a register worker may keep the network, and only when its configuration says so.
  plan->network = request->mode == Mode::Register && request->network;
  plan->inherit = {fd, library->descriptor()};
  if (broker[1] >= 0) plan->inherit.push_back(broker[1]);
  SandboxService service;
  if (broker[0] >= 0)
    service = {broker[0], [&] { return serve_usb_request(broker[0], *session, trace); }};

  const auto body = [&]() -> int {
    auto plugin = plugin_host::load_plugin(*manifest, std::move(*library));
    if (!plugin) return finish(out, {false, "refused", plugin.error().message, std::nullopt});
    const PluginIdentity id = identity_of(*plugin);
    if (request->mode == Mode::Inspect) return finish(out, {true, "ok", "", id});
    if (request->mode == Mode::Register) {
      if (manifest->kind != plugin_host::PluginKind::Register || !register_server())
        return finish(out, {false, "refused", "plugin " + id.id + " is not a register plugin", id});
      return register_server()(fd, *request, *plugin);
    }
    CDevice device(*request->device);
    const dfx_status st = plugin->info().probe(WorkerHost::api(), host->handle(), device.get());
    if (st == DFX_OK) return finish(out, {true, "ok", "", id});
    std::string why = host->plugin_error().empty() ? std::string("the plugin returned ") +
                                                         dfx_status_name(st) + " without saying why"
                                                   : host->plugin_error();
    return finish(out, {false, "plugin_error", why, id});
  };
  auto status = sandboxed ? run_confined(*plan, body, service) : Result<int>(W_EXITCODE(body(), 0));
  for (const int end : broker)
    if (end >= 0) ::close(end);
  if (!status)
    return finish(
        out, {false, "sandbox",
              "plugin " + manifest->id + " was not run: " + status.error().message, std::nullopt});
  if (WIFSIGNALED(*status)) {
    // The plugin's process died of a signal: die of the same one, so that the host reports the
    // crash as it would without the sandbox.
    std::signal(WTERMSIG(*status), SIG_DFL);
    ::raise(WTERMSIG(*status));
  }
  return WIFEXITED(*status) ? WEXITSTATUS(*status) : kWorkerProtocol;
}

}  // namespace dfx::probe
