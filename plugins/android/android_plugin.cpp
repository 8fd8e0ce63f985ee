// android: identifiers of Android phones over ADB (interface 0xFF/0x42/0x01) and fastboot
// (0xFF/0x42/0x03). The glue between the host API and the protocol code: it picks the
// interface, claims it, loads the adb keys, and hands a host-backed Transport to
// identity_reader, which sends only allow-listed read commands (allow_list.cpp).
// See plugins/android/README.md for what is read, what needs the phone's consent and what is never
// sent.
#include <dfx/plugin.hpp>

#include <string>

#include "identity_reader.hpp"
#include "key_store.hpp"
#include "usb_transport.hpp"

namespace {

using dfx::android::Sink;

constexpr uint8_t kVendorClass = 0xFF;
constexpr uint8_t kAndroidSubclass = 0x42;
constexpr uint8_t kAdbProtocol = 0x01;
constexpr uint8_t kFastbootProtocol = 0x03;
constexpr uint8_t kBulk = 2;

class HostSink final : public Sink {
 public:
  explicit HostSink(const dfx::sdk::Host& host) : host_(host) {}
  void claim(const dfx::sdk::ClaimKind& kind, std::string_view value,
             std::string_view method) override {
    if (auto st = host_.claim(kind, value, method); !st)
      host_.log(DFX_LOG_WARN,
                "claim " + std::string(kind.text()) + " not recorded: " + st.message());
  }
  void log(Level level, std::string_view message) override {
    static constexpr dfx_log_level kLevels[] = {DFX_LOG_DEBUG, DFX_LOG_INFO, DFX_LOG_WARN,
                                                DFX_LOG_ERROR};
    host_.log(kLevels[static_cast<int>(level)], std::string(message));
  }

 private:
  const dfx::sdk::Host& host_;
};

dfx::sdk::Status to_status(const dfx::android::Error& e) {
  return dfx::sdk::Status::error(dfx::android::status_from_errc(e.code), e.message);
}

class AndroidPlugin {
 public:
  dfx::sdk::Status probe(dfx::sdk::Host& host, const dfx::sdk::Device& device) {
    const dfx_usb_interface* adb =
        device.find_interface(kVendorClass, kAndroidSubclass, kAdbProtocol);
    const dfx_usb_interface* fb =
        device.find_interface(kVendorClass, kAndroidSubclass, kFastbootProtocol);
    const dfx_usb_interface* itf = adb ? adb : fb;
    if (!itf) return dfx::sdk::Status::error(DFX_ERR_UNSUPPORTED, "no ADB or fastboot interface");

    const dfx::sdk::Interface view{itf};
    const auto* in = view.find_endpoint(true, kBulk);
    const auto* out = view.find_endpoint(false, kBulk);
    if (!in || !out)
      return dfx::sdk::Status::error(
          DFX_ERR_UNSUPPORTED,
          "interface " + std::to_string(view.number()) + " lacks bulk IN/OUT endpoints");
    if (auto st = host.claim_interface(view.number()); !st)
      return dfx::sdk::Status::error(
          st.code(), "claiming interface " + std::to_string(view.number()) + ": " + st.message());
    dfx::android::UsbTransport transport(host, in->address, out->address);
    HostSink sink(host);
    return adb ? probe_adb(host, device, transport, sink) : probe_fastboot(transport, sink);
  }

 private:
  static dfx::sdk::Status probe_adb(const dfx::sdk::Host& host, const dfx::sdk::Device& device,
                                    dfx::android::Transport& transport, HostSink& sink) {
    const auto env = dfx::android::KeyEnvironment::from_process();
    auto ring = dfx::android::load_key_ring(env, /*generate_if_missing=*/true);
    for (const auto& note : ring.notes) host.log(DFX_LOG_INFO, "adb keys: " + note);
    if (ring.generated)
      host.log(DFX_LOG_WARN, "no adb key was found, so dfx created one at " +
                                 ring.generated->string() +
                                 " (and .pub); the phone will ask to trust it once");

    dfx::android::AdbReadOptions options;
    options.usb_serial = std::string(device.serial_number());
    if (!ring.keys.empty()) {
      if (auto fp = ring.keys.front().fingerprint()) options.key_fingerprint = *fp;
      options.key_location = ring.keys.front().origin();
    }
    host.log(DFX_LOG_DEBUG, "adb: " + std::to_string(ring.keys.size()) + " key(s) loaded");
    auto st = dfx::android::read_adb(transport, ring, options, sink);
    return st ? dfx::sdk::Status::ok() : to_status(st.error());
  }

  static dfx::sdk::Status probe_fastboot(dfx::android::Transport& transport, HostSink& sink) {
    auto st = dfx::android::read_fastboot(transport, {}, sink);
    return st ? dfx::sdk::Status::ok() : to_status(st.error());
  }
};

}  // namespace

DFX_DEVICE_PLUGIN(AndroidPlugin)
