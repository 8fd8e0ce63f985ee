// The usbmux Link over the host API: bulk transfers on the phone's usbmux interface, through
// dfx's broker (the plugin holds no device). Glue only.
#pragma once

#include <dfx/plugin.hpp>

#include "config_descriptor.hpp"
#include "mux_session.hpp"

namespace dfx::apple {

class HostLink final : public Link {
 public:
  HostLink(const dfx::sdk::Host& host, const MuxInterface& mux) : host_(host), mux_(mux) {}
  dfx::sdk::Status write(std::span<const uint8_t> packet) override;
  dfx::sdk::Result<std::vector<uint8_t>> read(std::chrono::milliseconds timeout) override;

 private:
  const dfx::sdk::Host& host_;
  MuxInterface mux_;
};

/// Reads the device's configuration descriptors (standard GET_DESCRIPTOR requests), in index
/// order, up to the first that holds a usbmux interface.
dfx::sdk::Result<std::vector<UsbConfigurationDesc>> read_configurations(const dfx::sdk::Host& host);

}  // namespace dfx::apple
