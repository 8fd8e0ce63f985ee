// The state of one virtual USB device as the kernel's usbfs would keep it:
// submitted URBs, completed URBs waiting to be reaped, per-endpoint IN data,
// halts, configuration and fault rules. Pure C++; the umockdev side
// (usbfs_handler.cpp) translates ioctls into these calls.
//
// Locking: one mutex guards all state. Behaviour hooks are always called with
// the mutex released (they may call back into queue_in and friends), so every
// method re-finds its URB by id after a hook: an unplug may have finished it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dfx/testing/usb_behavior.hpp"
#include "dfx/testing/usb_faults.hpp"
#include "dfx/testing/virtual_usb_device.hpp"

namespace dfx::testing::detail {

using Clock = std::chrono::steady_clock;

/// What an oversized answer (Fault::oversize) is padded with.
inline constexpr std::uint8_t filler_byte = 0xEE;

/// usbfs URB types (linux/usbdevice_fs.h).
enum class UrbType : std::uint8_t { iso = 0, interrupt = 1, control = 2, bulk = 3 };

/// One submitted URB.
struct Urb {
  std::uint64_t id = 0;
  UrbType type = UrbType::bulk;
  std::uint8_t endpoint = 0;  ///< As submitted (control: 0x00 or 0x80).
  std::size_t length = 0;     ///< buffer_length (control: including the 8 setup bytes).
  Bytes out;                  ///< Control: setup + OUT data; bulk/interrupt OUT: the data.
  unsigned long client_address =
      0;  ///< The client's struct usbdevfs_urb address (DISCARDURB identity).
  std::shared_ptr<void> native;  ///< The usbfs handler's view of the client memory.

  // Outcome.
  bool finished = false;
  int status = 0;  ///< 0 or -errno, as the kernel writes it.
  std::size_t actual_length = 0;
  Bytes in;  ///< Data for the host (control: without the setup bytes).
  Clock::time_point ready_at{};

  // Fault state.
  bool stuck = false;  ///< Never completes until discarded or the device goes.
  std::chrono::milliseconds delay{0};
  std::optional<Fault> answer_fault;  ///< garbage / oversize, applied to the answer.

  bool is_in() const {
    return type == UrbType::control ? (!out.empty() && (out[0] & 0x80)) : (endpoint & 0x80) != 0;
  }
};

/// Decodes the 8 setup bytes at the start of a control URB's buffer.
inline SetupPacket parse_setup(const Bytes& b) {
  SetupPacket s;
  s.request_type = b[0];
  s.request = b[1];
  s.value = static_cast<std::uint16_t>(b[2] | (b[3] << 8));
  s.index = static_cast<std::uint16_t>(b[4] | (b[5] << 8));
  s.length = static_cast<std::uint16_t>(b[6] | (b[7] << 8));
  return s;
}

/// Result of a synchronous CONTROL/BULK ioctl: >= 0 bytes transferred, or -errno.
struct SyncResult {
  int result = 0;
  Bytes in;
};

class DeviceCore : public std::enable_shared_from_this<DeviceCore> {
 public:
  DeviceCore(DescriptorSet descriptors, std::unique_ptr<UsbBehavior> behavior);
  ~DeviceCore();

  const DescriptorSet& descriptors() const { return desc_; }
  /// Address reported by USBDEVFS_CONNECTINFO (set once the testbed picked it).
  std::uint8_t devnum() const { return devnum_.load(); }
  void set_devnum(std::uint8_t devnum) { devnum_.store(devnum); }
  DeviceSide side() { return DeviceSide(weak_from_this()); }

  /// Called (without locks) when a fault asks for a disconnect: performs the unplug.
  void set_disconnect_handler(std::function<void()> f);
  /// Called (without locks) after SET_CONFIGURATION changed the configuration.
  void set_configuration_listener(std::function<void(std::uint8_t)> f);

  // --- host side (usbfs handler, worker thread) -------------------------
  /// SUBMITURB. Returns 0 or a positive errno for the ioctl itself.
  int submit(std::unique_ptr<Urb> urb);
  /// REAPURB(NDELAY): the first finished URB whose time has come, or null.
  std::unique_ptr<Urb> reap();
  /// DISCARDURB: true if the URB was in flight (it finishes with -ENOENT).
  bool discard(unsigned long client_address);
  /// True when nothing can ever be reaped again (gone and drained).
  bool drained_and_gone() const;
  bool gone() const;

  int claim_interface(unsigned interface);
  int release_interface(unsigned interface);
  int set_interface(unsigned interface, unsigned alternate);
  int set_configuration(int value);
  int clear_halt(unsigned endpoint);
  int reset();
  SyncResult control_sync(const SetupPacket& setup, const Bytes& out_data);
  SyncResult bulk_sync(std::uint8_t endpoint, std::size_t length, const Bytes& out_data);

  // --- device side (any thread) -----------------------------------------
  tl::expected<void, std::string> queue_in(std::uint8_t endpoint, Bytes bytes);
  tl::expected<void, std::string> halt(std::uint8_t endpoint);
  std::size_t waiting_in_transfers(std::uint8_t endpoint) const;
  std::size_t queued_in_messages(std::uint8_t endpoint) const;
  std::uint8_t configuration() const;
  std::uint8_t alt_setting(std::uint8_t interface) const;

  void inject(Fault fault);
  void clear_faults();
  /// Marks the device gone: every in-flight URB finishes with -ESHUTDOWN.
  void disconnect();
  /// Device-side unplug (DeviceSide::disconnect): disconnect() plus the
  /// disconnect handler (uevents, sysfs), as a disconnect fault does.
  tl::expected<void, std::string> pull_cable();
  /// Calls the behaviour's on_attach.
  void attach();

  TransferCounters counters() const;
  std::vector<std::string> behavior_errors() const;

 private:
  struct EndpointInfo {
    TransferType type;
    std::uint16_t max_packet_size;
  };

  struct ControlOutcome {
    ControlReply reply;
    bool failed = false;  ///< The behaviour threw.
  };

  // All *_locked functions expect mu_ held.
  const ConfigurationSpec* active_configuration_locked() const;
  const AltSettingSpec* current_alt_locked(const InterfaceSpec& iface) const;
  std::optional<EndpointInfo> active_endpoint_locked(std::uint8_t address) const;
  bool interface_exists_locked(unsigned interface) const;
  std::optional<Fault> take_fault_locked(std::uint8_t endpoint, const SetupPacket* setup);
  Urb* find_pending_locked(std::uint64_t id);
  void finish_locked(Urb& urb, int status, Bytes in = {}, std::size_t actual_length = 0);
  void deliver_in_locked(Urb& urb, Bytes message, bool force_overflow);
  void match_in_locked(std::uint8_t endpoint);
  void halt_locked(std::uint8_t endpoint);
  void disconnect_locked();
  Bytes garbage_locked(std::size_t n);
  int set_configuration_locked(int value, std::vector<std::function<void()>>& hooks);
  int set_interface_locked(unsigned interface, unsigned alternate,
                           std::vector<std::function<void()>>& hooks);
  std::optional<ControlReply> standard_request_locked(const SetupPacket& setup,
                                                      std::vector<std::function<void()>>& hooks);
  std::pair<int, Bytes> shape_control_answer_locked(const SetupPacket& s, Bytes answer,
                                                    const std::optional<Fault>& fault);

  // Without mu_ held.
  std::optional<EndpointInfo> any_endpoint(std::uint8_t address) const;  // desc_ is immutable
  ControlOutcome run_control(const SetupPacket& setup, const Bytes& out_data);
  void run_hooks(std::vector<std::function<void()>>& hooks);
  /// Calls a behaviour hook, turning exceptions into recorded errors; false if it threw.
  bool call_hook(const char* name, const std::function<void(DeviceSide&)>& fn);
  void record_error(const std::string& what);
  void process_control(std::uint64_t id);
  void process_out(std::uint64_t id);
  void process_in(std::uint64_t id);

  const DescriptorSet desc_;
  const std::unique_ptr<UsbBehavior> behavior_;
  std::atomic<std::uint8_t> devnum_{0};

  mutable std::mutex mu_;
  bool gone_ = false;
  std::uint64_t next_id_ = 1;
  std::uint8_t configuration_ = 0;
  std::map<std::uint8_t, std::uint8_t> alt_;  // interface -> alternate
  std::set<unsigned> claimed_;
  std::set<std::uint8_t> halted_;
  std::deque<std::unique_ptr<Urb>> pending_;  // in submission order
  std::deque<std::unique_ptr<Urb>> done_;     // sorted by ready_at
  std::map<std::uint8_t, std::deque<Bytes>> in_queue_;
  std::vector<Fault> faults_;
  TransferCounters counters_;
  std::vector<std::string> errors_;
  std::uint32_t garbage_seed_ = 0x2545F491u;
  std::function<void()> on_disconnect_;
  std::function<void(std::uint8_t)> on_configuration_;
};

}  // namespace dfx::testing::detail
