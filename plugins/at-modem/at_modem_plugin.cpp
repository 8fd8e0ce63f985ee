// at-modem: identifiers of phones and modules over their AT command port (USB CDC-ACM). The glue
// between the host API and the protocol code: it reads the examiner's setting, picks the
// communication interface and its data interface, claims the data interface, and hands a
// host-backed Transport to read_identity, which sends only allow-listed read commands
// (protocol/allow_list.cpp). See plugins/at-modem/README.md.
#include <dfx/plugin.hpp>

#include <chrono>
#include <cstdlib>
#include <string>

#include "identity_reader.hpp"
#include "usb_transport.hpp"

namespace {

constexpr uint8_t kCdcComm = 0x02;
constexpr uint8_t kAcmSubclass = 0x02;
constexpr uint8_t kCdcData = 0x0A;
constexpr uint8_t kBulk = 2;
constexpr uint16_t kSamsung = 0x04E8;
// The setting of manifest.json ("read-imsi"): dfx scan --at-modem-read-imsi yes sets it.
constexpr const char* kReadImsiVariable = "DFX_AT_MODEM_READ_IMSI";

// CDC 1.2 table 17: protocols 1-6 are the AT command sets (V.250, PCCA-101, PCCA-101 Annex O,
// GSM 07.07, 3GPP 27.007, TIA for CDMA). 0 (none) and 0xFF (vendor) promise no AT interpreter.
bool is_at_protocol(uint8_t protocol) {
  return protocol >= 1 && protocol <= 6;
}

class HostSink final : public dfx::at::Sink {
 public:
  explicit HostSink(const dfx::sdk::Host& host) : host_(host) {}
  void claim(const dfx::sdk::ClaimKind& kind, std::string_view value,
             std::string_view method) override {
    if (auto st = host_.claim(kind, value, method); !st)
      host_.log(DFX_LOG_WARN,
                "claim " + std::string(kind.text()) + " not recorded: " + st.message());
  }
  void finding(std::string_view code, std::string_view message) override {
    if (auto st = host_.finding(code, message); !st)
      host_.log(DFX_LOG_WARN, "finding " + std::string(code) + " not recorded: " + st.message());
  }
  void log(Level level, std::string_view message) override {
    static constexpr dfx_log_level kLevels[] = {DFX_LOG_DEBUG, DFX_LOG_INFO, DFX_LOG_WARN,
                                                DFX_LOG_ERROR};
    host_.log(kLevels[static_cast<int>(level)], std::string(message));
  }

 private:
  const dfx::sdk::Host& host_;
};

// The CDC data interface carrying the AT traffic of communication interface `comm`: the union
// functional descriptor names it, but the host API does not pass class-specific descriptors, so
// this takes the data interface (0x0A, alternate setting 0, with a bulk pair) numbered comm + 1,
// which is where every known CDC-ACM function puts it, else the first one after `comm`.
const dfx_usb_interface* data_interface_for(const dfx::sdk::Device& device, uint8_t comm) {
  const dfx_usb_interface* after = nullptr;
  for (const auto& itf : device.interfaces()) {
    const dfx::sdk::Interface view{&itf};
    if (view.interface_class() != kCdcData || itf.alt_setting != 0 || view.number() <= comm ||
        !view.find_endpoint(true, kBulk) || !view.find_endpoint(false, kBulk))
      continue;
    if (view.number() == comm + 1) return &itf;
    if (!after || view.number() < after->number) after = &itf;
  }
  return after;
}

std::string port_path(const dfx::sdk::Device& device) {
  const auto& raw = device.raw();
  std::string path = std::to_string(raw.bus_number) + "-";
  for (uint8_t i = 0; i < raw.port_depth && i < 7; ++i)
    path += (i ? "." : "") + std::to_string(raw.port_numbers[i]);
  return path;
}

class AtModemPlugin {
 public:
  dfx::sdk::Status probe(dfx::sdk::Host& host, const dfx::sdk::Device& device) {
    dfx::at::ReadOptions options;
    if (const char* v = std::getenv(kReadImsiVariable)) {
      if (std::string_view(v) != "yes")
        return dfx::sdk::Status::error(
            DFX_ERR_INVALID_ARGUMENT,
            std::string("--at-modem-read-imsi: \"") +
                std::string(std::string_view(v).substr(0, 64)) +
                "\" is not accepted: give exactly \"yes\" to read the IMSI, or leave the setting "
                "out; nothing was sent");
      options.read_imsi = true;
    }
    options.samsung = device.vendor_id() == kSamsung;

    const dfx_usb_interface* comm = nullptr;
    for (const auto& itf : device.interfaces()) {
      const dfx::sdk::Interface view{&itf};
      if (view.interface_class() == kCdcComm && view.subclass() == kAcmSubclass &&
          is_at_protocol(view.protocol()) && itf.alt_setting == 0) {
        comm = &itf;
        break;
      }
    }
    if (!comm)
      return dfx::sdk::Status::error(DFX_ERR_UNSUPPORTED,
                                     "no CDC-ACM interface with AT commands (2/2/1-6)");
    const dfx_usb_interface* data = data_interface_for(device, comm->number);
    if (!data)
      return dfx::sdk::Status::error(
          DFX_ERR_UNSUPPORTED, "the AT interface " + std::to_string(comm->number) +
                                   " has no CDC data interface (0x0A) with a bulk pair after it");
    const dfx::sdk::Interface view{data};
    const auto* in = view.find_endpoint(true, kBulk);
    const auto* out = view.find_endpoint(false, kBulk);
    const std::string where = "AT modem (communication interface " + std::to_string(comm->number) +
                              ", data interface " + std::to_string(view.number()) + ")";
    if (auto st = host.claim_interface(view.number()); !st) {
      if (st.code() == DFX_ERR_BUSY)
        return dfx::sdk::Status::error(
            DFX_ERR_BUSY,
            where +
                ": the data interface is held by a kernel driver (normally cdc_acm, which "
                "made a /dev/ttyACM* for it) and dfx does not detach drivers. Unbind "
                "cdc_acm from this device's interfaces, e.g. for each entry of "
                "/sys/bus/usb/drivers/cdc_acm/ starting with " +
                port_path(device) +
                ": echo -n <entry> | sudo tee /sys/bus/usb/drivers/cdc_acm/unbind, then scan "
                "again (docs/plugins/at-modem.md): " +
                st.message());
      return dfx::sdk::Status::error(st.code(),
                                     where + ": claiming the data interface: " + st.message());
    }
    raise_dtr(host, comm->number, where);
    host.log(DFX_LOG_DEBUG, where + ", endpoints IN 0x" + hex(in->address) + " OUT 0x" +
                                hex(out->address) + (options.read_imsi ? ", IMSI requested" : ""));
    dfx::at::UsbTransport transport(host, in->address, out->address);
    HostSink sink(host);
    auto st = dfx::at::read_identity(transport, options, sink);
    if (!st)
      return dfx::sdk::Status::error(dfx::at::status_from_errc(st.error().code),
                                     where + ": " + st.error().message);
    return dfx::sdk::Status::ok();
  }

 private:
  // CDC PSTN 6.3.12 SET_CONTROL_LINE_STATE with DTR and RTS raised, to the communication
  // interface: what the kernel's cdc_acm driver sends when a terminal opens /dev/ttyACM*. Many
  // modems answer AT commands only once DTR is up. It changes no setting the modem keeps (a
  // modem may hang up a call when DTR drops, which is why dfx never lowers it). A modem that
  // refuses it is still asked: the AT probe says whether it answers.
  static void raise_dtr(const dfx::sdk::Host& host, uint8_t comm, const std::string& where) {
    constexpr uint8_t kClassInterfaceOut = 0x21;
    constexpr uint8_t kSetControlLineState = 0x22;
    constexpr uint16_t kDtrAndRts = 0x0003;
    auto st = host.control_out(kClassInterfaceOut, kSetControlLineState, kDtrAndRts, comm, {},
                               std::chrono::milliseconds(1000));
    if (!st)
      host.log(DFX_LOG_INFO, where +
                                 ": raising DTR (SET_CONTROL_LINE_STATE) failed, asking "
                                 "anyway: " +
                                 st.message());
  }

  static std::string hex(uint8_t v) {
    static constexpr char digits[] = "0123456789ABCDEF";
    return {digits[v >> 4], digits[v & 0x0F]};
  }
};

}  // namespace

DFX_DEVICE_PLUGIN(AtModemPlugin)
