#include "probe/worker.hpp"

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <optional>

#include "base/hex.hpp"
#include "base/json_file.hpp"
#include "base/paths.hpp"
#include "base/sha256.hpp"
#include "base/utc_time.hpp"
#include "plugin_host/loader.hpp"
#include "probe/c_device.hpp"
#include "probe/frame_io.hpp"
#include "probe/messages.hpp"
#include "probe/sandbox_plan.hpp"
#include "probe/usb_broker.hpp"
#include "probe/worker_host.hpp"
#include "usb/recording_port.hpp"
#include "usb/replay_port.hpp"
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

// The transcript goes to the host after the plugin's process has ended, from this side of the
// sandbox: in slices under the host's frame limit, then its size and hash. A plugin that wrote
// Transcript frames of its own on the shared socket cannot pass them off as these: the host takes
// one transcript, after Done, and refuses the probe when a second one follows.
void send_transcript(FrameWriter& out, const usb::Transcript& transcript) {
  const std::string text = usb::to_jsonl(transcript);
  constexpr std::size_t kSlice = 60 * 1024;
  for (std::size_t at = 0; at < text.size(); at += kSlice)
    if (!out.send(FrameType::Transcript, std::string_view(text).substr(at, kSlice))) return;
  out.send(FrameType::TranscriptEnd, to_payload(TranscriptEnd{text.size(), sha256_hex(text)}));
}

// The device's descriptors as the kernel keeps them (the device descriptor, then every
// configuration's), for the transcript's header: with them a recording can be plugged again as a
// virtual handset (dfx-lab). "" when sysfs has none (a replay has no device).
std::string sysfs_descriptors(const usb::DeviceFacts& d) {
  const std::string path = "/sys/bus/usb/devices/" + d.location() + "/descriptors";
  auto bytes = read_small_file(path, 64 * 1024, "not a descriptors file");
  return bytes ? to_hex(*bytes) : std::string();
}

// What the worker itself changed on the device, as findings, sent from this side of the sandbox
// once the plugin's process has ended (so a plugin cannot suppress them): a configuration dfx
// selected for the plugin (an iPhone offers usbmux only in another configuration).
void send_worker_findings(FrameWriter& out, const usb::Transcript& transcript) {
  for (const auto& e : transcript.exchanges)
    if (e.op == usb::UsbOp::configure && e.status == DFX_OK && e.previous != e.target)
      out.send(FrameType::Finding,
               to_payload(Finding{
                   "usb_configuration_changed",
                   "dfx selected USB configuration " + std::to_string(e.target) + " (was " +
                       std::to_string(e.previous) +
                       ") to reach the interface the plugin's manifest declares; this changes "
                       "which USB functions the device offers until it is unplugged, not data "
                       "held on the device"}));
}

// The transcript a replay answers from: a file the host names, read before the sandbox closes.
Result<usb::Transcript> replay_transcript(const std::filesystem::path& path) {
  auto text = read_small_file(path, 64u << 20, "not a transcript");
  if (!text) return tl::unexpected(text.error());
  auto t = usb::parse_transcript(*text);
  if (!t) return tl::unexpected(t.error().context(path.string()));
  return t;
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
  std::optional<usb::ReplayPort> replay;
  std::optional<usb::RecordingPort> recording;
  usb::Transcript transcript;
  usb::UsbPort* device_port = nullptr;  // what the broker (or the plugin, in-process) calls
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
    if (request->replay.empty()) {
      session.emplace(*request->device, [&, log_usb](const std::string& line) {
        if (sandboxed)
          trace = line;
        else
          log_usb(line);
      });
      session->open_now();
      session->restrict_to(manifest->usb);
      device_port = &*session;
    } else {
      auto recorded = replay_transcript(request->replay);
      if (!recorded)
        return finish(out, {false, "refused", "replay: " + recorded.error().message, std::nullopt});
      replay.emplace(std::move(*recorded));
      device_port = &*replay;
    }
    {
      // Recorded here, around the device, outside the sandbox: every call the plugin makes
      // passes through it, and the plugin cannot reach the recording. Always recorded (the
      // worker's own findings come from it); sent to the host when the request asks.
      transcript.header = {{"dfx_transcript", 1},
                           {"plugin", {{"id", manifest->id}, {"version", manifest->version}}},
                           {"device", *request->device},
                           {"started", utc_now_iso8601(true)}};
      if (replay) transcript.header["replay"] = true;
      if (!replay) transcript.header["descriptors"] = sysfs_descriptors(*request->device);
      recording.emplace(*device_port, transcript);
      device_port = &*recording;
    }
    usb::UsbPort* port = device_port;
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
  if (request->mode == Mode::Register)
    if (auto granted =
            add_grants(*plan, request->grant_environment, request->grant_files, process_env());
        !granted)
      return finish(out, {false, "refused", granted.error().message, std::nullopt});
  plan->inherit = {fd, library->descriptor()};
  if (broker[1] >= 0) plan->inherit.push_back(broker[1]);
  SandboxService service;
  if (broker[0] >= 0)
    service = {broker[0], [&] { return serve_usb_request(broker[0], *device_port, trace); }};

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
  if (status && request->mode == Mode::Probe) {
    send_worker_findings(out, transcript);
    if (request->transcript) send_transcript(out, transcript);
  }
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
