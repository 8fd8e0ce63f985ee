// The Apple plugin: identity of iPhones and iPads from what they show on USB, and in normal mode
// from lockdownd over usbmux. Host API glue only: the reading itself is protocol/identity.cpp
// (Recovery, DFU, the UDID) and protocol/lockdown_reader.cpp (normal mode). See README.md.
#include <dfx/plugin.hpp>

#include <string>

#include "device_mode.hpp"
#include "identity.hpp"
#include "lockdown_reader.hpp"
#include "pair_record_store.hpp"
#include "usb_link.hpp"
#include "usbmux.hpp"

namespace {

using dfx::sdk::Status;
using namespace std::chrono_literals;

// The whole lockdown reading, from VERSION to StopSession: a phone that stops answering ends it
// here, well inside dfx's own deadline for the probe.
constexpr auto kLockdownBudget = 10s;

class ApplePlugin {
 public:
  Status probe(dfx::sdk::Host& host, const dfx::sdk::Device& device) {
    const dfx::apple::Mode mode = dfx::apple::mode_of(device.product_id());
    if (mode == dfx::apple::Mode::Other) {
      host.log(DFX_LOG_INFO, "05ac:" + hex4(device.product_id()) +
                                 " is not an iPhone or iPad in Recovery, DFU or normal mode: "
                                 "nothing to read");
      return Status::ok();
    }
    const uint8_t index = device.raw().i_serial_number;
    if (index == 0) return Status::error(DFX_ERR_IO, "the device declares no iSerialNumber string");
    // Asked again rather than taken from discovery's copy, so the method says what was read.
    auto text = host.string_descriptor(index);
    if (!text)
      return Status::error(text.status().code(), "iSerialNumber: " + text.status().message());
    dfx::apple::Reading reading = dfx::apple::read_usb_identity(mode, text.value(), index);
    if (mode == dfx::apple::Mode::Normal && reading.problems.empty())
      read_lockdown(host, text.value(), reading);
    return report(host, reading);
  }

 private:
  static void read_lockdown(const dfx::sdk::Host& host, const std::string& udid,
                            dfx::apple::Reading& reading) {
    auto configurations = dfx::apple::read_configurations(host);
    if (!configurations) {
      reading.problems.push_back(configurations.status().message());
      return;
    }
    const auto mux = dfx::apple::find_usbmux(*configurations);
    if (!mux) {
      reading.findings.push_back({"identifiers_withheld",
                                  "the device offers no usbmux interface (ff/fe/02) in any "
                                  "configuration: only its USB identity was read"});
      return;
    }
    if (auto st = host.select_configuration(mux->configuration); !st) {
      reading.problems.push_back("selecting configuration " + std::to_string(mux->configuration) +
                                 " (usbmux): " + st.message());
      return;
    }
    if (auto st = host.claim_interface(mux->interface); !st) {
      reading.problems.push_back("claiming the usbmux interface: " + st.message());
      return;
    }
    dfx::apple::LockdownInput input;
    input.usb_udid = udid;
    dfx::apple::find_pair_record(udid, input);
    dfx::apple::HostLink link(host, *mux);
    dfx::apple::MuxSession session(link, std::chrono::steady_clock::now() + kLockdownBudget);
    Status st = session.start();
    if (st) st = session.connect(dfx::apple::usbmux::kLockdownPort);
    if (!st) {
      reading.problems.push_back(st.message());
    } else {
      auto lockdown = dfx::apple::read_lockdown(session, input);
      for (auto& f : lockdown.facts) reading.facts.push_back(std::move(f));
      for (auto& p : lockdown.problems) reading.problems.push_back(std::move(p));
      for (auto& f : lockdown.findings) reading.findings.push_back(std::move(f));
      session.close();
    }
    host.log(DFX_LOG_DEBUG, "usbmux version " + std::to_string(session.version()) + ", " +
                                std::to_string(session.packets_out()) + " packets out, " +
                                std::to_string(session.packets_in()) + " in");
    (void)host.release_interface(mux->interface);
  }

  static Status report(const dfx::sdk::Host& host, const dfx::apple::Reading& reading) {
    for (const auto& f : reading.facts) {
      const auto kind = dfx::sdk::ClaimKind::parse(f.kind);
      if (auto st = host.claim(kind, f.value, f.method); !st) return st;
    }
    for (const auto& [code, message] : reading.findings)
      if (auto st = host.finding(code, message); !st) return st;
    if (!reading.problems.empty()) {
      std::string why;
      for (const auto& p : reading.problems) why += (why.empty() ? "" : "; ") + p;
      return Status::error(DFX_ERR_IO, why);
    }
    return Status::ok();
  }

  static std::string hex4(uint16_t v) {
    static const char* digits = "0123456789abcdef";
    return {digits[v >> 12 & 15], digits[v >> 8 & 15], digits[v >> 4 & 15], digits[v & 15]};
  }
};

}  // namespace

DFX_DEVICE_PLUGIN(ApplePlugin)
