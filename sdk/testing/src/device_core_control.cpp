// Control transfers and the chapter 9 state of a virtual device: standard
// requests, configuration and alternate settings, and the synchronous usbfs
// CONTROL/BULK ioctls (see device_core.hpp).
#include <algorithm>
#include <cerrno>

#include "device_core.hpp"

namespace dfx::testing::detail {

int DeviceCore::set_configuration_locked(int value, std::vector<std::function<void()>>& hooks) {
  std::uint8_t v = 0;
  if (value > 0) {
    if (!desc_.configuration_position(static_cast<std::uint8_t>(value))) return EINVAL;
    v = static_cast<std::uint8_t>(value);
  }
  configuration_ = v;
  alt_.clear();
  halted_.clear();
  if (const auto* config = active_configuration_locked())
    for (const auto& iface : config->interfaces) alt_[iface.number] = 0;
  hooks.push_back([this, v] {
    call_hook("on_set_configuration",
              [&](DeviceSide& side) { behavior_->on_set_configuration(side, v); });
  });
  if (on_configuration_) hooks.push_back([f = on_configuration_, v] { f(v); });
  return 0;
}

int DeviceCore::set_interface_locked(unsigned interface, unsigned alternate,
                                     std::vector<std::function<void()>>& hooks) {
  const auto* config = active_configuration_locked();
  if (!config) return EINVAL;
  for (const auto& iface : config->interfaces) {
    if (iface.number != interface) continue;
    for (const auto& alt : iface.alt_settings) {
      if (alt.alternate != alternate) continue;
      alt_[iface.number] = alt.alternate;
      for (const auto& ep : alt.endpoints) halted_.erase(ep.address);
      hooks.push_back([this, i = iface.number, a = alt.alternate] {
        call_hook("on_set_interface",
                  [&](DeviceSide& side) { behavior_->on_set_interface(side, i, a); });
      });
      return 0;
    }
    return EINVAL;
  }
  return ENOENT;
}

// ---------------------------------------------------------------------------
// Control requests

std::optional<ControlReply> DeviceCore::standard_request_locked(
    const SetupPacket& s, std::vector<std::function<void()>>& hooks) {
  if (s.kind() != 0) return std::nullopt;
  const auto recipient = s.recipient();
  switch (s.request) {
    case 0x00: {  // GET_STATUS
      if (!s.is_in()) return ControlReply::stall();
      if (recipient == 0) {
        const auto* config = active_configuration_locked();
        const std::uint8_t self_powered = (config && (config->attributes & 0x40)) ? 1 : 0;
        return ControlReply::data({self_powered, 0});
      }
      if (recipient == 1)
        return interface_exists_locked(s.index & 0xFF) ? ControlReply::data({0, 0})
                                                       : ControlReply::stall();
      if (recipient == 2) {
        const auto ep = static_cast<std::uint8_t>(s.index & 0xFF);
        if ((ep & 0x7F) == 0) return ControlReply::data({0, 0});
        if (!active_endpoint_locked(ep)) return ControlReply::stall();
        return ControlReply::data({static_cast<std::uint8_t>(halted_.count(ep) ? 1 : 0), 0});
      }
      return ControlReply::stall();
    }
    case 0x01:    // CLEAR_FEATURE
    case 0x03: {  // SET_FEATURE
      if (s.is_in()) return ControlReply::stall();
      if (recipient == 2 && s.value == 0) {  // ENDPOINT_HALT
        const auto ep = static_cast<std::uint8_t>(s.index & 0xFF);
        if ((ep & 0x7F) == 0) return ControlReply::ack();
        if (!active_endpoint_locked(ep)) return ControlReply::stall();
        if (s.request == 0x01)
          halted_.erase(ep);
        else
          halt_locked(ep);
        return ControlReply::ack();
      }
      if (recipient == 0 || recipient == 1)
        return ControlReply::ack();  // remote wakeup, test mode, function suspend
      return ControlReply::stall();
    }
    case 0x06: {  // GET_DESCRIPTOR
      if (!s.is_in()) return ControlReply::stall();
      if (recipient != 0)
        return std::nullopt;  // e.g. HID report descriptor: the behaviour's business
      const auto type = static_cast<std::uint8_t>(s.value >> 8);
      const auto index = static_cast<std::uint8_t>(s.value & 0xFF);
      std::optional<Bytes> d;
      switch (type) {
        case descriptor_type::device:
          d = desc_.device;
          break;
        case descriptor_type::configuration:
          d = desc_.configuration_by_index(index);
          break;
        case descriptor_type::string:
          d = desc_.string_descriptor(index);
          break;
        case descriptor_type::device_qualifier:
          d = desc_.device_qualifier();
          break;
        case descriptor_type::bos:
          if (!desc_.spec.bos.empty()) d = desc_.spec.bos;
          break;
        case descriptor_type::other_speed_configuration:
          break;
        default:
          return std::nullopt;  // vendor-specific descriptor types go to the behaviour
      }
      return d ? ControlReply::data(std::move(*d)) : ControlReply::stall();
    }
    case 0x08:  // GET_CONFIGURATION
      if (!s.is_in() || recipient != 0) return ControlReply::stall();
      return ControlReply::data({configuration_});
    case 0x09:  // SET_CONFIGURATION
      if (s.is_in() || recipient != 0) return ControlReply::stall();
      return set_configuration_locked(s.value & 0xFF, hooks) == 0 ? ControlReply::ack()
                                                                  : ControlReply::stall();
    case 0x0A: {  // GET_INTERFACE
      if (!s.is_in() || recipient != 1 || !interface_exists_locked(s.index & 0xFF))
        return ControlReply::stall();
      return ControlReply::data({alt_[static_cast<std::uint8_t>(s.index & 0xFF)]});
    }
    case 0x0B:  // SET_INTERFACE
      if (s.is_in() || recipient != 1) return ControlReply::stall();
      return set_interface_locked(s.index & 0xFF, s.value, hooks) == 0 ? ControlReply::ack()
                                                                       : ControlReply::stall();
    default:
      return std::nullopt;
  }
}

DeviceCore::ControlOutcome DeviceCore::run_control(const SetupPacket& setup,
                                                   const Bytes& out_data) {
  std::vector<std::function<void()>> hooks;
  std::optional<ControlReply> reply;
  {
    std::lock_guard lock(mu_);
    reply = standard_request_locked(setup, hooks);
  }
  run_hooks(hooks);
  if (reply) return {std::move(*reply), false};
  ControlReply answer;
  const bool ok = call_hook("on_control", [&](DeviceSide& side) {
    answer = behavior_->on_control(side, setup,
                                   std::span<const std::uint8_t>(out_data.data(), out_data.size()));
  });
  return {std::move(answer), !ok};
}

// Applies garbage/oversize to a control IN answer and truncates to wLength
// like a device would; returns {status, data}.
std::pair<int, Bytes> DeviceCore::shape_control_answer_locked(const SetupPacket& s, Bytes answer,
                                                              const std::optional<Fault>& fault) {
  bool force = false;
  if (fault && fault->action == FaultAction::garbage) {
    answer = fault->bytes.empty() ? garbage_locked(s.length) : fault->bytes;
    force = true;
  } else if (fault && fault->action == FaultAction::oversize) {
    answer.resize(std::max<std::size_t>(answer.size(), std::size_t{s.length} + fault->extra_bytes),
                  filler_byte);
    force = true;
  }
  if (answer.size() > s.length) {
    answer.resize(s.length);
    return {force ? -EOVERFLOW : 0, std::move(answer)};
  }
  return {0, std::move(answer)};
}

void DeviceCore::process_control(std::uint64_t id) {
  SetupPacket setup;
  Bytes out_data;
  {
    std::lock_guard lock(mu_);
    Urb* u = find_pending_locked(id);
    if (!u) return;
    setup = parse_setup(u->out);
    out_data.assign(u->out.begin() + 8, u->out.end());
  }
  ControlOutcome outcome = run_control(setup, out_data);
  std::lock_guard lock(mu_);
  Urb* u = find_pending_locked(id);
  if (!u) return;  // unplugged meanwhile
  if (outcome.failed) return finish_locked(*u, -EPROTO);
  switch (outcome.reply.kind) {
    case ControlReply::Kind::stall:
      return finish_locked(*u, -EPIPE);
    case ControlReply::Kind::no_answer:
      u->stuck = true;
      return;
    case ControlReply::Kind::data:
      break;
  }
  if (!setup.is_in()) return finish_locked(*u, 0, {}, setup.length);
  auto [status, data] =
      shape_control_answer_locked(setup, std::move(outcome.reply.bytes), u->answer_fault);
  const std::size_t n = data.size();
  finish_locked(*u, status, std::move(data), n);
}

int DeviceCore::set_interface(unsigned interface, unsigned alternate) {
  std::vector<std::function<void()>> hooks;
  int r;
  {
    std::lock_guard lock(mu_);
    if (gone_) return ENODEV;
    r = set_interface_locked(interface, alternate, hooks);
  }
  run_hooks(hooks);
  return r;
}

int DeviceCore::set_configuration(int value) {
  std::vector<std::function<void()>> hooks;
  int r;
  {
    std::lock_guard lock(mu_);
    if (gone_) return ENODEV;
    r = set_configuration_locked(value, hooks);
  }
  run_hooks(hooks);
  return r;
}

SyncResult DeviceCore::control_sync(const SetupPacket& setup, const Bytes& out_data) {
  std::optional<Fault> fault;
  std::function<void()> disconnect_cb;
  {
    std::lock_guard lock(mu_);
    if (gone_) return {-ENODEV, {}};
    ++counters_.submitted;
    ++counters_.completed;
    fault = take_fault_locked(0, &setup);
    if (fault && fault->action == FaultAction::stall) return {-EPIPE, {}};
    if (fault && fault->action == FaultAction::never_answer) return {-ETIMEDOUT, {}};
    if (fault && fault->action == FaultAction::disconnect) {
      disconnect_locked();
      disconnect_cb = on_disconnect_;
    }
  }
  if (fault && fault->action == FaultAction::disconnect) {
    if (disconnect_cb) disconnect_cb();
    return {-ENODEV, {}};
  }
  ControlOutcome outcome = run_control(setup, out_data);
  if (outcome.failed) return {-EPROTO, {}};
  if (outcome.reply.kind == ControlReply::Kind::stall) return {-EPIPE, {}};
  if (outcome.reply.kind == ControlReply::Kind::no_answer) return {-ETIMEDOUT, {}};
  if (!setup.is_in()) return {setup.length, {}};
  std::lock_guard lock(mu_);
  auto [status, data] = shape_control_answer_locked(setup, std::move(outcome.reply.bytes), fault);
  if (status < 0) return {status, {}};
  const int n = static_cast<int>(data.size());
  return {n, std::move(data)};
}

SyncResult DeviceCore::bulk_sync(std::uint8_t endpoint, std::size_t length, const Bytes& out_data) {
  const bool in = (endpoint & 0x80) != 0;
  {
    std::lock_guard lock(mu_);
    if (gone_) return {-ENODEV, {}};
    if (!active_endpoint_locked(endpoint)) return {-ENOENT, {}};
    if (halted_.count(endpoint)) return {-EPIPE, {}};
    ++counters_.submitted;
    ++counters_.completed;
    auto fault = take_fault_locked(endpoint, nullptr);
    if (fault && fault->action == FaultAction::stall) {
      halted_.insert(endpoint);
      return {-EPIPE, {}};
    }
    if (fault && fault->action == FaultAction::never_answer) return {-ETIMEDOUT, {}};
  }
  if (!in) {
    OutReply reply = OutReply::ack;
    const bool ok = call_hook("on_bulk_out", [&](DeviceSide& side) {
      reply = behavior_->on_bulk_out(
          side, endpoint, std::span<const std::uint8_t>(out_data.data(), out_data.size()));
    });
    if (!ok) return {-EPROTO, {}};
    if (reply == OutReply::stall) {
      std::lock_guard lock(mu_);
      halted_.insert(endpoint);
      return {-EPIPE, {}};
    }
    if (reply == OutReply::no_answer) return {-ETIMEDOUT, {}};
    return {static_cast<int>(length), {}};
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      std::lock_guard lock(mu_);
      auto& queue = in_queue_[endpoint];
      if (!queue.empty()) {
        Bytes m = std::move(queue.front());
        queue.pop_front();
        if (m.size() > length) {
          m.resize(length);
          return {-EOVERFLOW, {}};
        }
        const int n = static_cast<int>(m.size());
        return {n, std::move(m)};
      }
    }
    if (attempt == 0)
      call_hook("on_in_requested",
                [&](DeviceSide& side) { behavior_->on_in_requested(side, endpoint, length); });
  }
  return {-ETIMEDOUT, {}};  // the synchronous ioctl cannot wait for data queued later
}

}  // namespace dfx::testing::detail
