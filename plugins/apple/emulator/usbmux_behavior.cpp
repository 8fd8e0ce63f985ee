// The "usbmux" behaviour module: an iPhone in normal mode, as a UsbBehavior (protocol layers in
// mux_link.hpp and lockdownd.hpp, parameters in usbmux_config.hpp, README "Emulation in the
// lab").
//
// Like a real iPhone, the phone speaks usbmux only while a configuration holding its ff/fe/02
// interface is selected: it comes up in configuration 1 (PTP) and hosts select 3 or 4
// (usbmuxd picks the highest, up to 4). Selecting a configuration or resetting the device starts
// usbmux afresh, as the phone's USB stack does.
//
// Hooks run one at a time on umockdev's worker thread; the mutex only guards the state against
// record() calls from the test thread.

#include <openssl/crypto.h>

#include <mutex>
#include <optional>

#include "emulator.hpp"
#include "mux_link.hpp"
#include "usbmux_config.hpp"

namespace dfx::testing {
namespace {

using apple::MuxInterface;
using apple::MuxLink;
using apple::UsbmuxConfig;

class Usbmux final : public UsbmuxEmulator {
 public:
  Usbmux(UsbmuxConfig config, UsbDeviceSpec device)
      : cfg_(std::move(config)), device_(std::move(device)) {}

  UsbmuxRecord record() const override {
    std::lock_guard lock(mu_);
    return rec_;
  }

  void on_attach(DeviceSide& device) override { select(device.configuration()); }
  void on_set_configuration(DeviceSide&, std::uint8_t value) override { select(value); }
  void on_reset(DeviceSide& device) override { select(device.configuration()); }

  OutReply on_bulk_out(DeviceSide& device, std::uint8_t endpoint,
                       std::span<const std::uint8_t> data) override {
    // OpenSSL 3 keeps per-thread state for every thread that calls it; this runs on umockdev's
    // handler thread, which outlives the test's main(), so LeakSanitizer would report it.
    struct ThreadStateRelease {
      ~ThreadStateRelease() { OPENSSL_thread_stop(); }
    } release;
    std::lock_guard lock(mu_);
    if (!mux_ || !link_ || endpoint != mux_->out) return OutReply::ack;
    const std::uint8_t in = mux_->in;
    const bool stay = link_->on_bytes(data, [&](MuxLink::Bytes packet) {
      // One usbmux packet per device-side message: the host's 16 KiB reads split a longer
      // one and usbmuxd reassembles it (device_data_input).
      (void)device.queue_in(in, std::move(packet));
    });
    if (!stay) {
      link_.reset();
      (void)device.disconnect();
    }
    return OutReply::ack;
  }

 private:
  void select(std::uint8_t configuration) {
    std::lock_guard lock(mu_);
    mux_ = apple::find_mux_interface(device_, configuration);
    link_.reset();
    if (mux_) link_ = std::make_unique<MuxLink>(cfg_, rec_);
  }

  const UsbmuxConfig cfg_;
  const UsbDeviceSpec device_;
  mutable std::mutex mu_;
  std::optional<MuxInterface> mux_;  ///< The usbmux interface of the active configuration.
  std::unique_ptr<MuxLink> link_;    ///< usbmux state while that interface is there.
  UsbmuxRecord rec_;
};

}  // namespace

tl::expected<std::unique_ptr<UsbmuxEmulator>, std::string> make_usbmux_emulator(
    const BehaviorContext& context) {
  auto config = apple::read_usbmux_config(context);
  if (!config) return tl::unexpected(config.error());
  return std::make_unique<Usbmux>(std::move(*config), context.device);
}

}  // namespace dfx::testing
