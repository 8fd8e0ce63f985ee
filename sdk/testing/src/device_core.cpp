// URB life cycle of a virtual USB device: submission, fault rules, IN data
// matching, completion, reaping and discarding, plus the device-side API
// (see device_core.hpp; control requests are in device_core_control.cpp).
#include "device_core.hpp"

#include <algorithm>
#include <cerrno>
#include <exception>

namespace dfx::testing::detail {
namespace {

bool control_matches(const ControlMatch& m, const SetupPacket& s) {
  return (!m.request_type || *m.request_type == s.request_type) &&
         (!m.request || *m.request == s.request) && (!m.value || *m.value == s.value) &&
         (!m.index || *m.index == s.index);
}

std::string hex2(unsigned v) {
  static const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[(v >> 4) & 0xF] + digits[v & 0xF];
}

}  // namespace

DeviceCore::DeviceCore(DescriptorSet descriptors, std::unique_ptr<UsbBehavior> behavior)
    : desc_(std::move(descriptors)),
      behavior_(behavior ? std::move(behavior) : std::make_unique<UsbBehavior>()) {
  std::vector<std::function<void()>> ignored;
  set_configuration_locked(desc_.spec.configurations.front().value, ignored);
}

DeviceCore::~DeviceCore() = default;

void DeviceCore::set_disconnect_handler(std::function<void()> f) {
  std::lock_guard lock(mu_);
  on_disconnect_ = std::move(f);
}

void DeviceCore::set_configuration_listener(std::function<void(std::uint8_t)> f) {
  std::lock_guard lock(mu_);
  on_configuration_ = std::move(f);
}

// ---------------------------------------------------------------------------
// Helpers (mu_ held)

const ConfigurationSpec* DeviceCore::active_configuration_locked() const {
  for (const auto& c : desc_.spec.configurations)
    if (c.value == configuration_ && configuration_ != 0) return &c;
  return nullptr;
}

const AltSettingSpec* DeviceCore::current_alt_locked(const InterfaceSpec& iface) const {
  auto it = alt_.find(iface.number);
  const std::uint8_t want = it == alt_.end() ? 0 : it->second;
  for (const auto& a : iface.alt_settings)
    if (a.alternate == want) return &a;
  return iface.alt_settings.empty() ? nullptr : &iface.alt_settings.front();
}

std::optional<DeviceCore::EndpointInfo> DeviceCore::active_endpoint_locked(
    std::uint8_t address) const {
  const auto* config = active_configuration_locked();
  if (!config) return std::nullopt;
  for (const auto& iface : config->interfaces) {
    const auto* alt = current_alt_locked(iface);
    if (!alt) continue;
    for (const auto& ep : alt->endpoints)
      if (ep.address == address) return EndpointInfo{ep.type, ep.max_packet_size};
  }
  return std::nullopt;
}

std::optional<DeviceCore::EndpointInfo> DeviceCore::any_endpoint(std::uint8_t address) const {
  for (const auto& c : desc_.spec.configurations)
    for (const auto& iface : c.interfaces)
      for (const auto& alt : iface.alt_settings)
        for (const auto& ep : alt.endpoints)
          if (ep.address == address) return EndpointInfo{ep.type, ep.max_packet_size};
  return std::nullopt;
}

std::optional<Fault> DeviceCore::take_fault_locked(std::uint8_t endpoint,
                                                   const SetupPacket* setup) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->times == 0) continue;
    if (it->endpoint && (*it->endpoint & 0x7F ? *it->endpoint : 0) != endpoint) continue;
    if (setup && !control_matches(it->control, *setup)) continue;
    if (it->skip > 0) {  // this transfer passes normally, and counts towards the rule
      --it->skip;
      return std::nullopt;
    }
    Fault f = *it;
    if (it->times > 0 && --it->times == 0) faults_.erase(it);
    return f;
  }
  return std::nullopt;
}

Urb* DeviceCore::find_pending_locked(std::uint64_t id) {
  for (auto& u : pending_)
    if (u->id == id) return u.get();
  return nullptr;
}

void DeviceCore::finish_locked(Urb& urb, int status, Bytes in, std::size_t actual_length) {
  auto it = std::find_if(pending_.begin(), pending_.end(),
                         [&](const auto& p) { return p.get() == &urb; });
  if (it == pending_.end()) return;
  std::unique_ptr<Urb> owned = std::move(*it);
  pending_.erase(it);
  owned->finished = true;
  owned->status = status;
  owned->actual_length = in.empty() ? actual_length : in.size();
  owned->in = std::move(in);
  owned->ready_at = Clock::now() + owned->delay;
  // Keep done_ ordered by the time each URB may be reaped (stable for equal times).
  auto pos = std::upper_bound(done_.begin(), done_.end(), owned->ready_at,
                              [](Clock::time_point t, const auto& u) { return t < u->ready_at; });
  done_.insert(pos, std::move(owned));
}

Bytes DeviceCore::garbage_locked(std::size_t n) {
  Bytes out(n);
  for (auto& b : out) {
    // xorshift32: deterministic junk, so a failing test fails the same way twice.
    garbage_seed_ ^= garbage_seed_ << 13;
    garbage_seed_ ^= garbage_seed_ >> 17;
    garbage_seed_ ^= garbage_seed_ << 5;
    b = static_cast<std::uint8_t>(garbage_seed_);
  }
  return out;
}

void DeviceCore::deliver_in_locked(Urb& urb, Bytes message, bool force_overflow) {
  const std::size_t asked = urb.length;
  if (message.size() <= asked) {
    const std::size_t n = message.size();
    finish_locked(urb, 0, std::move(message), n);
    return;
  }
  const auto info = active_endpoint_locked(urb.endpoint);
  const std::size_t mps = info ? (info->max_packet_size & 0x7FF) : 0;
  Bytes head(message.begin(), message.begin() + static_cast<std::ptrdiff_t>(asked));
  if (!force_overflow && asked > 0 && mps > 0 && asked % mps == 0) {
    // The transfer ended on a packet boundary: the rest is still in the
    // device's FIFO and answers the next IN transfer.
    in_queue_[urb.endpoint].emplace_front(message.begin() + static_cast<std::ptrdiff_t>(asked),
                                          message.end());
    finish_locked(urb, 0, std::move(head), asked);
  } else {
    // A packet larger than the space left: babble, the kernel reports -EOVERFLOW.
    finish_locked(urb, -EOVERFLOW, std::move(head), asked);
  }
}

void DeviceCore::match_in_locked(std::uint8_t endpoint) {
  for (;;) {
    auto& queue = in_queue_[endpoint];
    if (queue.empty()) return;
    Urb* waiting = nullptr;
    for (auto& u : pending_)
      if (u->type != UrbType::control && u->endpoint == endpoint && !u->stuck) {
        waiting = u.get();
        break;
      }
    if (!waiting) return;
    Bytes message = std::move(queue.front());
    queue.pop_front();
    deliver_in_locked(*waiting, std::move(message), false);
  }
}

void DeviceCore::halt_locked(std::uint8_t endpoint) {
  halted_.insert(endpoint);
  std::vector<Urb*> victims;
  for (auto& u : pending_)
    if (u->type != UrbType::control && u->endpoint == endpoint) victims.push_back(u.get());
  for (Urb* u : victims) finish_locked(*u, -EPIPE);
}

void DeviceCore::disconnect_locked() {
  gone_ = true;
  std::vector<Urb*> victims;
  for (auto& u : pending_) victims.push_back(u.get());
  for (Urb* u : victims) {
    u->delay = std::chrono::milliseconds(0);
    finish_locked(*u, -ESHUTDOWN);
  }
  // Delayed completions not yet due were still in flight for the host.
  const auto now = Clock::now();
  std::vector<std::unique_ptr<Urb>> shut;
  for (auto it = done_.begin(); it != done_.end();) {
    if ((*it)->ready_at > now) {
      shut.push_back(std::move(*it));
      it = done_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& u : shut) {
    u->status = -ESHUTDOWN;
    u->actual_length = 0;
    u->in.clear();
    u->ready_at = now;
    done_.push_back(std::move(u));
  }
  in_queue_.clear();
}

bool DeviceCore::interface_exists_locked(unsigned interface) const {
  const auto* config = active_configuration_locked();
  if (!config) return false;
  return std::any_of(config->interfaces.begin(), config->interfaces.end(),
                     [&](const auto& i) { return i.number == interface; });
}

void DeviceCore::run_hooks(std::vector<std::function<void()>>& hooks) {
  for (auto& h : hooks) h();
  hooks.clear();
}

bool DeviceCore::call_hook(const char* name, const std::function<void(DeviceSide&)>& fn) {
  try {
    DeviceSide s = side();
    fn(s);
    return true;
  } catch (const std::exception& e) {
    record_error(std::string(name) + ": " + e.what());
  } catch (...) {
    record_error(std::string(name) + ": unknown exception");
  }
  return false;
}

void DeviceCore::record_error(const std::string& what) {
  std::lock_guard lock(mu_);
  errors_.push_back(what);
}

// ---------------------------------------------------------------------------
// Bulk and interrupt

void DeviceCore::process_out(std::uint64_t id) {
  std::uint8_t endpoint;
  UrbType type;
  Bytes data;
  {
    std::lock_guard lock(mu_);
    Urb* u = find_pending_locked(id);
    if (!u) return;
    endpoint = u->endpoint;
    type = u->type;
    data = u->out;
  }
  OutReply reply = OutReply::ack;
  const bool ok = call_hook(
      type == UrbType::interrupt ? "on_interrupt_out" : "on_bulk_out", [&](DeviceSide& side) {
        const std::span<const std::uint8_t> view(data.data(), data.size());
        reply = type == UrbType::interrupt ? behavior_->on_interrupt_out(side, endpoint, view)
                                           : behavior_->on_bulk_out(side, endpoint, view);
      });
  std::lock_guard lock(mu_);
  Urb* u = find_pending_locked(id);
  if (!u) return;
  if (!ok) return finish_locked(*u, -EPROTO);
  switch (reply) {
    case OutReply::ack:
      return finish_locked(*u, 0, {}, u->length);
    case OutReply::stall:
      return halt_locked(endpoint);
    case OutReply::no_answer:
      u->stuck = true;
      return;
  }
}

void DeviceCore::process_in(std::uint64_t id) {
  std::uint8_t endpoint;
  std::size_t length;
  {
    std::lock_guard lock(mu_);
    Urb* u = find_pending_locked(id);
    if (!u) return;
    endpoint = u->endpoint;
    length = u->length;
    if (u->answer_fault) {
      // The device answers at once with junk or too much, data or not.
      const Fault& f = *u->answer_fault;
      Bytes answer;
      if (f.action == FaultAction::garbage) {
        answer = f.bytes.empty() ? garbage_locked(length) : f.bytes;
      } else {
        auto& queue = in_queue_[endpoint];
        if (!queue.empty()) {
          answer = std::move(queue.front());
          queue.pop_front();
        }
        answer.resize(std::max(answer.size(), length + f.extra_bytes), filler_byte);
      }
      deliver_in_locked(*u, std::move(answer), true);
      return;
    }
    match_in_locked(endpoint);
    if (!find_pending_locked(id)) return;  // answered from the queue
  }
  call_hook("on_in_requested",
            [&](DeviceSide& side) { behavior_->on_in_requested(side, endpoint, length); });
  std::lock_guard lock(mu_);
  match_in_locked(endpoint);
}

// ---------------------------------------------------------------------------
// Host side

int DeviceCore::submit(std::unique_ptr<Urb> urb) {
  bool disconnect_now = false;
  std::function<void()> disconnect_cb;
  std::uint64_t id;
  UrbType type;
  bool in;
  {
    std::lock_guard lock(mu_);
    if (gone_) return ENODEV;
    std::optional<Fault> fault;
    if (urb->type == UrbType::iso) return EINVAL;  // not emulated
    if (urb->type == UrbType::control) {
      if (urb->length < 8 || urb->out.size() < 8) return EINVAL;
      const SetupPacket s = parse_setup(urb->out);
      if (std::size_t{8} + s.length > urb->length) return EINVAL;
      fault = take_fault_locked(0, &s);
    } else {
      const auto info = active_endpoint_locked(urb->endpoint);
      if (!info) return ENOENT;
      if (info->type == TransferType::interrupt)
        urb->type = UrbType::interrupt;  // usbfs allows bulk URBs on interrupt endpoints
      else if (info->type != TransferType::bulk || urb->type != UrbType::bulk)
        return EINVAL;
      fault = take_fault_locked(urb->endpoint, nullptr);
    }
    ++counters_.submitted;
    urb->id = next_id_++;
    id = urb->id;
    type = urb->type;
    in = urb->is_in();
    const std::uint8_t endpoint = urb->endpoint;
    Urb& u = *urb;
    pending_.push_back(std::move(urb));
    if (fault) {
      switch (fault->action) {
        case FaultAction::stall:
          if (type == UrbType::control)
            finish_locked(u, -EPIPE);
          else
            halt_locked(endpoint);
          return 0;
        case FaultAction::never_answer:
          u.stuck = true;
          return 0;
        case FaultAction::disconnect:
          disconnect_locked();
          disconnect_now = true;
          disconnect_cb = on_disconnect_;
          break;
        case FaultAction::delay:
          u.delay = fault->delay;
          break;
        case FaultAction::oversize:
        case FaultAction::garbage:
          if (in) u.answer_fault = fault;
          break;
      }
    }
    if (!disconnect_now && type != UrbType::control && halted_.count(endpoint)) {
      finish_locked(u, -EPIPE);
      return 0;
    }
  }
  if (disconnect_now) {
    if (disconnect_cb) disconnect_cb();
    return 0;
  }
  if (type == UrbType::control)
    process_control(id);
  else if (in)
    process_in(id);
  else
    process_out(id);
  return 0;
}

std::unique_ptr<Urb> DeviceCore::reap() {
  std::lock_guard lock(mu_);
  if (done_.empty() || done_.front()->ready_at > Clock::now()) return nullptr;
  auto urb = std::move(done_.front());
  done_.pop_front();
  ++counters_.completed;
  return urb;
}

bool DeviceCore::discard(unsigned long client_address) {
  std::lock_guard lock(mu_);
  for (auto& u : pending_) {
    if (u->client_address != client_address) continue;
    u->delay = std::chrono::milliseconds(0);
    ++counters_.cancelled;
    finish_locked(*u, -ENOENT);
    return true;
  }
  // A delayed URB is still in flight for the host until its time comes.
  const auto now = Clock::now();
  for (auto it = done_.begin(); it != done_.end(); ++it) {
    if ((*it)->client_address != client_address || (*it)->ready_at <= now) continue;
    std::unique_ptr<Urb> urb = std::move(*it);
    done_.erase(it);
    urb->status = -ENOENT;
    urb->actual_length = 0;
    urb->in.clear();
    urb->ready_at = now;
    auto pos = std::upper_bound(done_.begin(), done_.end(), now,
                                [](Clock::time_point t, const auto& u) { return t < u->ready_at; });
    done_.insert(pos, std::move(urb));
    ++counters_.cancelled;
    return true;
  }
  return false;
}

bool DeviceCore::drained_and_gone() const {
  std::lock_guard lock(mu_);
  return gone_ && done_.empty() && pending_.empty();
}

bool DeviceCore::gone() const {
  std::lock_guard lock(mu_);
  return gone_;
}

int DeviceCore::claim_interface(unsigned interface) {
  std::lock_guard lock(mu_);
  if (gone_) return ENODEV;
  if (!interface_exists_locked(interface)) return ENOENT;
  claimed_.insert(interface);
  return 0;
}

int DeviceCore::release_interface(unsigned interface) {
  std::lock_guard lock(mu_);
  if (gone_) return ENODEV;
  return claimed_.erase(interface) ? 0 : EINVAL;
}

int DeviceCore::clear_halt(unsigned endpoint) {
  std::lock_guard lock(mu_);
  if (gone_) return ENODEV;
  const auto ep = static_cast<std::uint8_t>(endpoint);
  if ((ep & 0x7F) == 0) return 0;
  if (!active_endpoint_locked(ep)) return ENOENT;
  halted_.erase(ep);
  return 0;
}

int DeviceCore::reset() {
  {
    std::lock_guard lock(mu_);
    if (gone_) return ENODEV;
    halted_.clear();
    in_queue_.clear();
    for (auto& [iface, alt] : alt_) alt = 0;
  }
  call_hook("on_reset", [&](DeviceSide& side) { behavior_->on_reset(side); });
  return 0;
}

// ---------------------------------------------------------------------------
// Device side

tl::expected<void, std::string> DeviceCore::queue_in(std::uint8_t endpoint, Bytes bytes) {
  std::lock_guard lock(mu_);
  if (gone_) return tl::unexpected(std::string("device is unplugged"));
  if (!(endpoint & 0x80))
    return tl::unexpected("endpoint " + hex2(endpoint) + " is not an IN endpoint");
  const auto info = any_endpoint(endpoint);
  if (!info || (info->type != TransferType::bulk && info->type != TransferType::interrupt))
    return tl::unexpected("the device has no bulk or interrupt IN endpoint " + hex2(endpoint));
  in_queue_[endpoint].push_back(std::move(bytes));
  match_in_locked(endpoint);
  return {};
}

tl::expected<void, std::string> DeviceCore::halt(std::uint8_t endpoint) {
  std::lock_guard lock(mu_);
  if (gone_) return tl::unexpected(std::string("device is unplugged"));
  if (!any_endpoint(endpoint))
    return tl::unexpected("the device has no endpoint " + hex2(endpoint));
  halt_locked(endpoint);
  return {};
}

std::size_t DeviceCore::waiting_in_transfers(std::uint8_t endpoint) const {
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(std::count_if(
      pending_.begin(), pending_.end(),
      [&](const auto& u) { return u->type != UrbType::control && u->endpoint == endpoint; }));
}

std::size_t DeviceCore::queued_in_messages(std::uint8_t endpoint) const {
  std::lock_guard lock(mu_);
  auto it = in_queue_.find(endpoint);
  return it == in_queue_.end() ? 0 : it->second.size();
}

std::uint8_t DeviceCore::configuration() const {
  std::lock_guard lock(mu_);
  return configuration_;
}

std::uint8_t DeviceCore::alt_setting(std::uint8_t interface) const {
  std::lock_guard lock(mu_);
  auto it = alt_.find(interface);
  return it == alt_.end() ? 0 : it->second;
}

void DeviceCore::inject(Fault fault) {
  std::lock_guard lock(mu_);
  if (fault.times != 0) faults_.push_back(std::move(fault));
}

void DeviceCore::clear_faults() {
  std::lock_guard lock(mu_);
  faults_.clear();
}

void DeviceCore::disconnect() {
  std::lock_guard lock(mu_);
  disconnect_locked();
}

tl::expected<void, std::string> DeviceCore::pull_cable() {
  std::function<void()> cb;
  {
    std::lock_guard lock(mu_);
    if (gone_) return tl::unexpected(std::string("device is unplugged"));
    disconnect_locked();
    cb = on_disconnect_;
  }
  if (cb) cb();
  return {};
}

void DeviceCore::attach() {
  call_hook("on_attach", [&](DeviceSide& side) { behavior_->on_attach(side); });
}

TransferCounters DeviceCore::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

std::vector<std::string> DeviceCore::behavior_errors() const {
  std::lock_guard lock(mu_);
  return errors_;
}

}  // namespace dfx::testing::detail
