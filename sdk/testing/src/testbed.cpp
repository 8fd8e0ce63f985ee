// Testbed: plugging and unplugging virtual devices in a umockdev testbed.
#include "dfx/testing/testbed.hpp"

#include <sys/un.h>

#include <algorithm>
#include <atomic>
#include <cctype>

#include "hub_device.hpp"
#include "testbed_state.hpp"
#include "usbfs_handler.hpp"

namespace dfx::testing {
namespace detail {
namespace {

std::atomic<bool> g_testbed_alive{false};

std::string take_error(GError* e) {
  std::string s = e ? e->message : "unknown umockdev error";
  if (e) g_error_free(e);
  return s;
}

enum class Kind { device, hub, root_hub };

unsigned tty_minor(const std::string& name) {
  std::size_t i = name.size();
  while (i > 0 && std::isdigit(static_cast<unsigned char>(name[i - 1]))) --i;
  return i < name.size() ? static_cast<unsigned>(std::stoul(name.substr(i))) % 256u : 0u;
}

std::string port_text(std::uint8_t bus, const std::vector<std::uint8_t>& ports) {
  return sysfs_name(bus, ports);
}

}  // namespace

tl::expected<void, std::string> PluggedDevice::unplug() {
  std::lock_guard lock(mu);
  if (!plugged) return {};
  plugged = false;
  auto state = testbed.lock();
  if (!state) {
    core->disconnect();
    for (auto& r : tty_runners) r->stop();
    return {};
  }
  std::lock_guard state_lock(state->mu);
  return state->unplug_locked(*this);
}

tl::expected<void, std::string> TestbedState::unplug_locked(PluggedDevice& d) {
  // In-flight URBs end with -ESHUTDOWN before anything disappears, as when
  // the kernel's host controller loses the device.
  d.core->disconnect();
  for (auto& r : d.tty_runners) r->stop();
  if (!testbed) return {};
  // umockdev 0.17.16's remove_device() sends no uevent: send "remove" for
  // children first, like the kernel, while the uevent files still exist.
  for (auto it = d.tty_paths.rbegin(); it != d.tty_paths.rend(); ++it)
    umockdev_testbed_uevent(testbed, ("/sys" + *it).c_str(), "remove");
  for (auto it = d.interface_paths.rbegin(); it != d.interface_paths.rend(); ++it)
    umockdev_testbed_uevent(testbed, ("/sys" + *it).c_str(), "remove");
  umockdev_testbed_uevent(testbed, d.sysfs_path.c_str(), "remove");
  // Children one by one: remove_device() only unlinks the /sys/bus and
  // /sys/class links of the device it is given.
  for (auto& p : d.tty_paths) umockdev_testbed_remove_device(testbed, ("/sys" + p).c_str());
  for (auto& p : d.interface_paths) umockdev_testbed_remove_device(testbed, ("/sys" + p).c_str());
  umockdev_testbed_remove_device(testbed, d.sysfs_path.c_str());
  GError* error = nullptr;
  const bool detached = umockdev_testbed_detach_ioctl(testbed, d.devnode.c_str(), &error);
  occupied.erase(d.name);
  auto& bus = buses[d.location.bus];
  bus.used.erase(d.location.devnum);
  if (d.location.ports.empty()) bus.root_hub = false;
  if (!detached) return tl::unexpected("unplug " + d.name + ": " + take_error(error));
  return {};
}

namespace {

tl::expected<VirtualUsbDevice*, std::string> plug_locked(const std::shared_ptr<TestbedState>& st,
                                                         std::shared_ptr<DeviceCore> core,
                                                         const Placement& placement,
                                                         const std::vector<TtySpec>& ttys,
                                                         Kind kind);

tl::expected<VirtualUsbDevice*, std::string> plug_hub_locked(
    const std::shared_ptr<TestbedState>& st, std::uint8_t bus, std::vector<std::uint8_t> ports,
    Kind kind) {
  const bool root = kind == Kind::root_hub;
  auto desc = build_descriptors(root ? root_hub_spec(bus) : generic_hub_spec());
  if (!desc) return tl::unexpected("internal hub description: " + desc.error());
  auto core = std::make_shared<DeviceCore>(
      std::move(*desc), make_hub_behavior(root ? root_hub_ports : generic_hub_ports));
  core->attach();
  return plug_locked(st, std::move(core),
                     Placement{bus, static_cast<std::uint8_t>(root ? 1 : 0), std::move(ports)}, {},
                     kind);
}

// Picks and validates the port path; adds missing hubs on the way.
tl::expected<DeviceLocation, std::string> place_locked(const std::shared_ptr<TestbedState>& st,
                                                       std::uint8_t bus, const Placement& placement,
                                                       Kind kind) {
  DeviceLocation loc;
  loc.bus = bus;
  if (kind == Kind::root_hub) {
    loc.devpath = root_hub_devpath(bus);
    return loc;
  }
  std::vector<std::uint8_t> ports = placement.ports;
  if (ports.empty()) {
    for (unsigned p = 1; p <= root_hub_ports && ports.empty(); ++p)
      if (!st->occupied.count(sysfs_name(bus, {static_cast<std::uint8_t>(p)})))
        ports = {static_cast<std::uint8_t>(p)};
    if (ports.empty())
      return tl::unexpected("bus " + std::to_string(bus) + ": every root hub port is taken");
  }
  if (ports.size() > 7) return tl::unexpected(std::string("port path deeper than USB's 7 tiers"));
  for (auto p : ports)
    if (p == 0)
      return tl::unexpected("port path " + port_text(bus, ports) + ": port numbers start at 1");
  const std::string name = sysfs_name(bus, ports);
  if (st->occupied.count(name))
    return tl::unexpected("port " + name + " is already taken by another device");
  std::string parent = root_hub_devpath(bus);
  for (std::size_t depth = 1; depth < ports.size(); ++depth) {
    std::vector<std::uint8_t> prefix(ports.begin(),
                                     ports.begin() + static_cast<std::ptrdiff_t>(depth));
    const std::string hub_name = sysfs_name(bus, prefix);
    auto it = st->occupied.find(hub_name);
    if (it == st->occupied.end()) {
      auto hub = plug_hub_locked(st, bus, prefix, Kind::hub);
      if (!hub) return tl::unexpected("adding a hub at " + hub_name + ": " + hub.error());
      it = st->occupied.find(hub_name);
    }
    if (it->second->core->descriptors().spec.device_class != 0x09)
      return tl::unexpected("port path " + name + " goes through " + hub_name +
                            ", which is not a hub");
    parent = it->second->location.devpath;
  }
  loc.ports = ports;
  loc.devpath = parent + "/" + name;
  return loc;
}

tl::expected<std::uint8_t, std::string> pick_devnum_locked(TestbedState::Bus& bus,
                                                           std::uint8_t wanted, Kind kind) {
  if (kind == Kind::root_hub) wanted = 1;
  if (wanted) {
    if (wanted > 127) return tl::unexpected("address " + std::to_string(wanted) + " is not 1..127");
    if (bus.used.count(wanted))
      return tl::unexpected("address " + std::to_string(wanted) + " is already in use");
    return wanted;
  }
  // Like the kernel: the next address after the last one given out, so an
  // address is not reused right away (libusb keys devices by bus/address).
  for (unsigned i = 1; i <= 126; ++i) {
    const auto candidate = static_cast<std::uint8_t>((bus.last_devnum - 2u + i) % 126u + 2u);
    if (!bus.used.count(candidate)) return candidate;
  }
  return tl::unexpected(std::string("no free address left on the bus"));
}

tl::expected<void, std::string> add_tty_locked(TestbedState& st, PluggedDevice& pd,
                                               const TtySpec& spec) {
  const auto& desc = pd.core->descriptors();
  const auto& config = desc.spec.configurations.front();
  const bool has_interface = std::any_of(config.interfaces.begin(), config.interfaces.end(),
                                         [&](const auto& i) { return i.number == spec.interface; });
  if (!has_interface)
    return tl::unexpected("tty: the device has no interface " + std::to_string(spec.interface));
  std::string name = spec.name;
  if (name.empty()) {
    do name = "ttyACM" + std::to_string(st.next_acm++);
    while (st.tty_names_used.count(name));
  }
  if (name.find('/') != std::string::npos || name.empty())
    return tl::unexpected("tty: bad name \"" + name + "\"");
  if (st.tty_names_used.count(name))
    return tl::unexpected("tty " + name +
                          ": name already used in this testbed (umockdev cannot reuse a tty name)");
  const unsigned minor = tty_minor(name);
  const std::string iface_path = interface_devpath(pd.location, config.value, spec.interface);
  const std::string record = tty_record(desc, pd.location, iface_path, spec.interface, name, minor,
                                        spec.mode == TtyNodeMode::char_device);
  GError* error = nullptr;
  if (!umockdev_testbed_add_from_string(st.testbed, record.c_str(), &error))
    return tl::unexpected("tty " + name + ": " + take_error(error));
  st.tty_names_used.insert(name);
  const std::string devpath = iface_path + "/tty/" + name;
  pd.tty_paths.push_back(devpath);
  if (spec.mode == TtyNodeMode::isatty)  // after the record: the preload does not learn the number
    umockdev_testbed_set_attribute(st.testbed, ("/sys" + devpath).c_str(), "dev",
                                   ("166:" + std::to_string(minor)).c_str());
  // umockdev 0.17.16 never closes the pty masters it hands out; the kit owns
  // this one and closes it on unplug so readers of the tty see the hang-up.
  const int master = umockdev_testbed_get_dev_fd(st.testbed, ("/dev/" + name).c_str());
  if (master < 0) return tl::unexpected("tty " + name + ": umockdev made no pty for it");
  TtyHandler handler = spec.handler;
  if (!handler && spec.dialogue) handler = spec.dialogue->handler();
  auto runner = std::make_shared<TtyRunner>(name, "/sys" + devpath, master, std::move(handler));
  if (auto started = runner->start(); !started) return started;
  pd.tty_runners.push_back(runner);
  pd.ttys.push_back(std::make_unique<VirtualTty>(runner));
  return {};
}

tl::expected<VirtualUsbDevice*, std::string> plug_locked(const std::shared_ptr<TestbedState>& st,
                                                         std::shared_ptr<DeviceCore> core,
                                                         const Placement& placement,
                                                         const std::vector<TtySpec>& ttys,
                                                         Kind kind) {
  if (!st->testbed) return tl::unexpected(std::string("the testbed is being destroyed"));
  const std::uint8_t bus_number = placement.bus ? placement.bus : 1;
  if (kind != Kind::root_hub && st->options.root_hubs && !st->buses[bus_number].root_hub) {
    if (auto hub = plug_hub_locked(st, bus_number, {}, Kind::root_hub); !hub)
      return tl::unexpected(hub.error());
  }
  auto location = place_locked(st, bus_number, placement, kind);
  if (!location) return tl::unexpected(location.error());
  auto& bus = st->buses[bus_number];
  auto devnum = pick_devnum_locked(bus, placement.devnum, kind);
  if (!devnum) return tl::unexpected(devnum.error());
  location->devnum = *devnum;
  core->set_devnum(*devnum);

  auto pd = std::make_shared<PluggedDevice>();
  pd->testbed = st;
  pd->core = core;
  pd->location = *location;
  pd->name = sysfs_name(bus_number, location->ports);
  pd->sysfs_path = "/sys" + location->devpath;
  pd->devnode = usb_devnode(bus_number, *devnum);
  pd->interface_paths = interface_devpaths(core->descriptors(), *location);
  pd->handler = make_usbfs_handler(core);

  // The handler must be in place before the "add" uevent: a hotplug
  // listener may open the device at once.
  GError* error = nullptr;
  if (!umockdev_testbed_attach_ioctl(st->testbed, pd->devnode.c_str(), pd->handler.get(), &error))
    return tl::unexpected("attaching the usbfs handler to " + pd->devnode + ": " +
                          take_error(error));
  const std::string records = usb_device_records(core->descriptors(), *location);
  if (!umockdev_testbed_add_from_string(st->testbed, records.c_str(), &error)) {
    GError* ignored = nullptr;
    umockdev_testbed_detach_ioctl(st->testbed, pd->devnode.c_str(), &ignored);
    if (ignored) g_error_free(ignored);
    return tl::unexpected("adding " + pd->name + " to the testbed: " + take_error(error));
  }
  pd->plugged = true;
  bus.used.insert(*devnum);
  if (kind == Kind::root_hub)
    bus.root_hub = true;
  else
    bus.last_devnum = *devnum;
  st->occupied[pd->name] = pd.get();

  std::weak_ptr<PluggedDevice> weak = pd;
  core->set_disconnect_handler([weak] {
    if (auto d = weak.lock()) (void)d->unplug();
  });
  std::weak_ptr<TestbedState> weak_state = st;
  core->set_configuration_listener([weak_state, path = pd->sysfs_path](std::uint8_t value) {
    auto state = weak_state.lock();
    if (!state) return;
    std::lock_guard lock(state->mu);
    if (state->testbed)
      umockdev_testbed_set_attribute(state->testbed, path.c_str(), "bConfigurationValue",
                                     value ? (std::to_string(value) + "\n").c_str() : "");
  });

  for (const auto& tty : ttys) {
    if (auto added = add_tty_locked(*st, *pd, tty); !added) {
      pd->plugged = false;
      (void)st->unplug_locked(*pd);
      return tl::unexpected(added.error());
    }
  }
  st->devices.push_back(std::make_unique<VirtualUsbDevice>(pd));
  st->plugged.push_back(pd);
  return st->devices.back().get();
}

}  // namespace
}  // namespace detail

tl::expected<std::unique_ptr<Testbed>, std::string> Testbed::create(TestbedOptions options) {
  if (!in_mock_environment()) return tl::unexpected(mock_environment_help());
  bool expected = false;
  if (!detail::g_testbed_alive.compare_exchange_strong(expected, true))
    return tl::unexpected(
        std::string("dfx::testing: another Testbed is alive in this process; umockdev supports one "
                    "at a time (UMOCKDEV_DIR)"));
  auto state = std::make_shared<detail::TestbedState>();
  state->options = options;
  state->testbed = umockdev_testbed_new();
  if (!state->testbed) {
    detail::g_testbed_alive = false;
    return tl::unexpected(std::string("dfx::testing: umockdev_testbed_new failed"));
  }
  // umockdev listens on a Unix socket per emulated node below its root
  // directory; a socket path longer than sun_path allows fails later with
  // only a GLib warning, so refuse now.
  gchar* root = umockdev_testbed_get_root_dir(state->testbed);
  const std::string root_dir = root ? root : "";
  g_free(root);
  constexpr std::size_t longest_socket_suffix = sizeof("/ioctl/dev/bus/usb/001/001") - 1;
  if (root_dir.size() + longest_socket_suffix >= sizeof(sockaddr_un::sun_path)) {
    std::unique_ptr<Testbed> discard(new Testbed(std::move(state)));
    return tl::unexpected(
        "dfx::testing: the testbed directory " + root_dir +
        " is too long for umockdev's Unix sockets (at most " +
        std::to_string(sizeof(sockaddr_un::sun_path) - 1 - longest_socket_suffix) +
        " characters); point TMPDIR at a shorter directory");
  }
  return std::unique_ptr<Testbed>(new Testbed(std::move(state)));
}

Testbed::Testbed(std::shared_ptr<detail::TestbedState> state) : state_(std::move(state)) {}

Testbed::~Testbed() {
  std::vector<std::shared_ptr<detail::PluggedDevice>> devices;
  {
    std::lock_guard lock(state_->mu);
    devices = state_->plugged;
  }
  // Newest first: devices before the hubs they hang on.
  for (auto it = devices.rbegin(); it != devices.rend(); ++it) (void)(*it)->unplug();
  {
    std::lock_guard lock(state_->mu);
    g_object_unref(state_->testbed);  // removes the directory, unsets UMOCKDEV_DIR
    state_->testbed = nullptr;
  }
  state_.reset();
  detail::g_testbed_alive = false;
}

tl::expected<VirtualUsbDevice*, std::string> Testbed::plug(const UsbDeviceSpec& spec,
                                                           std::unique_ptr<UsbBehavior> behavior,
                                                           PlugOptions options) {
  auto descriptors = build_descriptors(spec);
  if (!descriptors) return tl::unexpected("invalid device description: " + descriptors.error());
  auto core = std::make_shared<detail::DeviceCore>(std::move(*descriptors), std::move(behavior));
  core->attach();  // before any lock: on_attach is user code
  std::lock_guard lock(state_->mu);
  return detail::plug_locked(state_, std::move(core), options.placement, options.ttys,
                             detail::Kind::device);
}

std::vector<VirtualUsbDevice*> Testbed::devices() const {
  std::lock_guard lock(state_->mu);
  std::vector<VirtualUsbDevice*> out;
  for (const auto& d : state_->devices) out.push_back(d.get());
  return out;
}

std::string Testbed::root_dir() const {
  std::lock_guard lock(state_->mu);
  gchar* dir = umockdev_testbed_get_root_dir(state_->testbed);
  std::string out = dir ? dir : "";
  g_free(dir);
  return out;
}

_UMockdevTestbed* Testbed::native() const {
  return state_->testbed;
}

}  // namespace dfx::testing
