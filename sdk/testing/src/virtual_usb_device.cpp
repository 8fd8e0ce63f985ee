// VirtualUsbDevice and DeviceSide: thin, thread-safe front ends of the core.
#include "dfx/testing/virtual_usb_device.hpp"

#include "testbed_state.hpp"

namespace dfx::testing {

// --- DeviceSide -------------------------------------------------------------

namespace {
const DescriptorSet& empty_descriptors() {
  static const DescriptorSet empty;
  return empty;
}
}  // namespace

tl::expected<void, std::string> DeviceSide::queue_in(std::uint8_t endpoint, Bytes bytes) const {
  auto core = core_.lock();
  if (!core) return tl::unexpected(std::string("device no longer exists"));
  return core->queue_in(endpoint, std::move(bytes));
}

tl::expected<void, std::string> DeviceSide::halt(std::uint8_t endpoint) const {
  auto core = core_.lock();
  if (!core) return tl::unexpected(std::string("device no longer exists"));
  return core->halt(endpoint);
}

tl::expected<void, std::string> DeviceSide::disconnect() const {
  auto core = core_.lock();
  if (!core) return tl::unexpected(std::string("device no longer exists"));
  return core->pull_cable();
}

std::size_t DeviceSide::waiting_in_transfers(std::uint8_t endpoint) const {
  auto core = core_.lock();
  return core ? core->waiting_in_transfers(endpoint) : 0;
}

std::size_t DeviceSide::queued_in_messages(std::uint8_t endpoint) const {
  auto core = core_.lock();
  return core ? core->queued_in_messages(endpoint) : 0;
}

std::uint8_t DeviceSide::configuration() const {
  auto core = core_.lock();
  return core ? core->configuration() : 0;
}

std::uint8_t DeviceSide::alt_setting(std::uint8_t interface) const {
  auto core = core_.lock();
  return core ? core->alt_setting(interface) : 0;
}

bool DeviceSide::connected() const {
  auto core = core_.lock();
  return core && !core->gone();
}

const DescriptorSet& DeviceSide::descriptors() const {
  auto core = core_.lock();
  return core ? core->descriptors() : empty_descriptors();
}

// --- VirtualUsbDevice -------------------------------------------------------

VirtualUsbDevice::VirtualUsbDevice(std::shared_ptr<detail::PluggedDevice> state)
    : state_(std::move(state)) {}
VirtualUsbDevice::~VirtualUsbDevice() = default;

const DescriptorSet& VirtualUsbDevice::descriptors() const {
  return state_->core->descriptors();
}
std::uint8_t VirtualUsbDevice::bus() const {
  return state_->location.bus;
}
std::uint8_t VirtualUsbDevice::devnum() const {
  return state_->location.devnum;
}
const std::vector<std::uint8_t>& VirtualUsbDevice::port_path() const {
  return state_->location.ports;
}
const std::string& VirtualUsbDevice::sysfs_name() const {
  return state_->name;
}
const std::string& VirtualUsbDevice::sysfs_path() const {
  return state_->sysfs_path;
}
const std::string& VirtualUsbDevice::devnode() const {
  return state_->devnode;
}

bool VirtualUsbDevice::plugged() const {
  std::lock_guard lock(state_->mu);
  return state_->plugged;
}

DeviceSide VirtualUsbDevice::device_side() const {
  return state_->core->side();
}

tl::expected<void, std::string> VirtualUsbDevice::queue_in(std::uint8_t endpoint,
                                                           Bytes bytes) const {
  return state_->core->queue_in(endpoint, std::move(bytes));
}

void VirtualUsbDevice::inject(Fault fault) {
  state_->core->inject(std::move(fault));
}
void VirtualUsbDevice::clear_faults() {
  state_->core->clear_faults();
}
tl::expected<void, std::string> VirtualUsbDevice::unplug() {
  return state_->unplug();
}

std::vector<VirtualTty*> VirtualUsbDevice::ttys() const {
  std::vector<VirtualTty*> out;
  for (const auto& t : state_->ttys) out.push_back(t.get());
  return out;
}

VirtualTty* VirtualUsbDevice::tty(std::string_view name) const {
  for (const auto& t : state_->ttys)
    if (t->name() == name) return t.get();
  return nullptr;
}

TransferCounters VirtualUsbDevice::counters() const {
  return state_->core->counters();
}
std::vector<std::string> VirtualUsbDevice::behavior_errors() const {
  return state_->core->behavior_errors();
}

}  // namespace dfx::testing
