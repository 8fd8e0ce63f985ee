// Shared state of a Testbed and its plugged devices (private).
//
// Lock order, to stay deadlock-free when an unplug starts on umockdev's worker
// thread (Fault::disconnect) while the test thread plugs or unplugs:
//     PluggedDevice::mu  ->  TestbedState::mu  ->  DeviceCore's mutex
// Behaviour hooks run with none of them held, except on_attach, which runs
// before the testbed lock is taken.
#pragma once

#include <umockdev.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "device_core.hpp"
#include "dfx/testing/testbed.hpp"
#include "gobject_ref.hpp"
#include "sysfs_records.hpp"
#include "tty_runner.hpp"

namespace dfx::testing::detail {

struct TestbedState;

struct PluggedDevice {
  std::weak_ptr<TestbedState> testbed;
  std::shared_ptr<DeviceCore> core;
  GRef<UMockdevIoctlBase> handler;
  DeviceLocation location;
  std::string name;        // sysfs name
  std::string sysfs_path;  // "/sys" + devpath
  std::string devnode;
  std::vector<std::string> interface_paths;  // devpaths
  std::vector<std::shared_ptr<TtyRunner>> tty_runners;
  std::vector<std::unique_ptr<VirtualTty>> ttys;
  std::vector<std::string> tty_paths;  // devpaths

  std::mutex mu;
  bool plugged = false;

  /// Unplugs (locks mu, then the testbed). Safe from any thread, idempotent.
  tl::expected<void, std::string> unplug();
};

struct TestbedState {
  std::mutex mu;  // umockdev calls and the tables below
  UMockdevTestbed* testbed = nullptr;
  TestbedOptions options;
  std::vector<std::unique_ptr<VirtualUsbDevice>> devices;
  std::vector<std::shared_ptr<PluggedDevice>> plugged;  // same order as devices

  struct Bus {
    std::uint8_t last_devnum = 1;
    std::set<std::uint8_t> used;
    bool root_hub = false;
  };
  std::map<std::uint8_t, Bus> buses;
  std::map<std::string, PluggedDevice*> occupied;  // sysfs name -> plugged device
  std::set<std::string> tty_names_used;  // never reused: umockdev keeps pty state per name
  unsigned next_acm = 0;

  /// Removes a plugged device's sysfs entries (mu and device.mu held).
  tl::expected<void, std::string> unplug_locked(PluggedDevice& device);
};

}  // namespace dfx::testing::detail
