// mtp: the identity an MTP/PTP phone gives without a session. The glue between the host API and
// the protocol code: it picks the PTP interface (6/1/1, or vendor-class 0xFF/0xFF/0x00 named
// "MTP" as older Android phones declare it), claims it, and hands a host-backed Transport to
// read_device_info, which sends GetDeviceInfo (0x1001) and nothing else. See docs/plugins/mtp.md
// for what is read, what is never sent and why.
#include <dfx/plugin.hpp>

#include <string>

#include "device_info_reader.hpp"
#include "identity.hpp"
#include "usb_transport.hpp"

namespace {

constexpr uint8_t kBulk = 2;

/// The PTP/MTP interface: still-image class 6/1/1 first, else 0xFF/0xFF/0x00 named "MTP".
const dfx_usb_interface* find_mtp_interface(const dfx::sdk::Device& device) {
  if (const auto* itf = device.find_interface(0x06, 0x01, 0x01)) return itf;
  for (const auto& itf : device.interfaces())
    if (dfx::sdk::Interface{&itf}.is(0xFF, 0xFF, 0x00) && itf.description &&
        std::string_view(itf.description) == "MTP")
      return &itf;
  return nullptr;
}

std::string hex_bytes(const std::vector<uint8_t>& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (auto b : bytes) out += {kHex[b >> 4], kHex[b & 0x0F]};
  return out;
}

class MtpPlugin {
 public:
  dfx::sdk::Status probe(dfx::sdk::Host& host, const dfx::sdk::Device& device) {
    const dfx_usb_interface* itf = find_mtp_interface(device);
    if (!itf)
      return dfx::sdk::Status::error(DFX_ERR_UNSUPPORTED,
                                     "no PTP/MTP interface (6/1/1, or 0xFF/0xFF/0x00 \"MTP\")");
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

    dfx::mtp::UsbTransport transport(host, in->address, out->address);
    auto reading = dfx::mtp::read_device_info(transport);
    if (!reading)
      return dfx::sdk::Status::error(dfx::mtp::status_from_errc(reading.error().code),
                                     reading.error().message);
    host.log(DFX_LOG_DEBUG, "mtp: GetDeviceInfo dataset (" +
                                std::to_string(reading->dataset.size()) +
                                " bytes): " + hex_bytes(reading->dataset));
    host.log(DFX_LOG_INFO,
             "mtp: VendorExtensionDesc \"" + reading->info.vendor_extension_desc + "\"");

    const auto id = dfx::mtp::identity_from(reading->info);
    for (const auto& c : id.claims)
      if (auto st = host.claim(c.kind, c.value, c.method); !st)
        host.log(DFX_LOG_WARN,
                 "claim " + std::string(c.kind.text()) + " not recorded: " + st.message());
    for (const auto& f : id.findings)
      if (auto st = host.finding(f.code, f.message); !st)
        host.log(DFX_LOG_WARN,
                 "finding " + f.code + " not recorded: " + st.message() + " (" + f.message + ")");
    for (const auto& n : id.notes) host.log(DFX_LOG_INFO, "mtp: " + n);
    return dfx::sdk::Status::ok();
  }
};

}  // namespace

DFX_DEVICE_PLUGIN(MtpPlugin)
