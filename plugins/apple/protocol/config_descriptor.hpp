// USB configuration descriptors as an iPhone sends them, parsed as hostile input, and the choice
// of the configuration that carries usbmux. An iPhone in normal mode starts in its PTP
// configuration; usbmux (interface class 0xFF, subclass 0xFE, protocol 0x02) is in a later one.
// Pure: the plugin reads the descriptors with standard GET_DESCRIPTOR requests and passes the
// bytes here.
#pragma once

#include <dfx/sdk/result.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace dfx::apple {

struct UsbEndpointDesc {
  uint8_t address = 0;     ///< bit 7: IN
  uint8_t attributes = 0;  ///< bits 0-1: 2 bulk, 3 interrupt
  uint16_t max_packet_size = 0;
};

struct UsbInterfaceDesc {
  uint8_t number = 0;
  uint8_t alt_setting = 0;
  uint8_t interface_class = 0, interface_subclass = 0, interface_protocol = 0;
  std::vector<UsbEndpointDesc> endpoints;
};

struct UsbConfigurationDesc {
  uint8_t value = 0;  ///< bConfigurationValue
  std::vector<UsbInterfaceDesc> interfaces;
};

/// The largest configuration descriptor read (an iPhone's is a few hundred bytes).
inline constexpr uint16_t kMaxConfigurationDescriptor = 4096;

/// bNumConfigurations of an 18-byte device descriptor; refuses anything else.
dfx::sdk::Result<uint8_t> configuration_count(std::span<const uint8_t> device_descriptor);

/// wTotalLength of a configuration descriptor's first 9 bytes; refuses a length below 9 or
/// above kMaxConfigurationDescriptor.
dfx::sdk::Result<uint16_t> configuration_total_length(std::span<const uint8_t> head);

/// Parses a whole configuration descriptor (wTotalLength bytes). Descriptors of other types
/// (class-specific, interface association) are skipped; a descriptor whose length runs past the
/// end or is below 2 is an error naming its offset.
dfx::sdk::Result<UsbConfigurationDesc> parse_configuration(std::span<const uint8_t> bytes);

/// Where usbmux lives: the configuration, the interface and its two bulk endpoints.
struct MuxInterface {
  uint8_t configuration = 0;
  uint8_t interface = 0;
  uint8_t endpoint_in = 0, endpoint_out = 0;
  uint16_t max_packet_size = 0;  ///< of the OUT endpoint (a write of a multiple ends with a ZLP)
};

/// The configuration with the lowest value holding a usbmux interface (alternate setting 0) with
/// one bulk IN and one bulk OUT endpoint. The lowest, unlike usbmuxd's highest: the later ones
/// add Apple USB Ethernet, which the workstation's network stack would bind.
std::optional<MuxInterface> find_usbmux(const std::vector<UsbConfigurationDesc>& configurations);

}  // namespace dfx::apple
