#include "probe/worker.hpp"

#include <unistd.h>

#include <chrono>

#include "plugin_host/loader.hpp"
#include "probe/c_device.hpp"
#include "probe/frame_io.hpp"
#include "probe/messages.hpp"
#include "probe/worker_host.hpp"

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

int serve(int fd) {
  const auto started = Clock::now();
  FrameWriter out(fd);
  auto frame = read_frame(fd, std::chrono::seconds(10));
  if (!frame) return kWorkerProtocol;
  if (frame->type != FrameType::Request) return kWorkerProtocol;
  auto request = parse_request(frame->payload);
  if (!request) return kWorkerProtocol;

  out.send(FrameType::Hello,
           to_payload(Hello{kProtocolVersion, plugin_host::host_abi(), ::getpid()}));

  auto manifest = plugin_host::read_manifest(request->manifest);
  if (!manifest) return finish(out, {false, "refused", manifest.error().message, std::nullopt});
  auto plugin = plugin_host::load_plugin(*manifest);
  if (!plugin) return finish(out, {false, "refused", plugin.error().message, std::nullopt});
  const PluginIdentity id = identity_of(*plugin);
  if (request->mode == Mode::Inspect) return finish(out, {true, "ok", "", id});

  if (!request->device)
    return finish(out, {false, "protocol", "probe request without a device", id});
  if (manifest->kind != plugin_host::PluginKind::Device)
    return finish(out, {false, "refused", "plugin " + id.id + " is not a device plugin", id});

  // The plugin is told to stop at 90% of the host's deadline, leaving it time to return cleanly
  // (and its claims to reach the host) before the host's hard kill.
  const auto deadline = started + std::chrono::milliseconds(request->deadline_ms * 9 / 10);
  WorkerHost host(out, *request->device, deadline);
  CDevice device(*request->device);
  const dfx_status status = plugin->info().probe(WorkerHost::api(), host.handle(), device.get());
  if (status == DFX_OK) return finish(out, {true, "ok", "", id});
  std::string why =
      host.plugin_error().empty()
          ? std::string("the plugin returned ") + dfx_status_name(status) + " without saying why"
          : host.plugin_error();
  return finish(out, {false, "plugin_error", why, id});
}

}  // namespace dfx::probe
