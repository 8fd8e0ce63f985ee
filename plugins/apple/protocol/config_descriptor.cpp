#include "config_descriptor.hpp"

#include <string>

namespace dfx::apple {
namespace {

using dfx::sdk::Status;

constexpr uint8_t kDeviceType = 1, kConfigurationType = 2, kInterfaceType = 4, kEndpointType = 5;

}  // namespace

dfx::sdk::Result<uint8_t> configuration_count(std::span<const uint8_t> d) {
  if (d.size() < 18 || d[0] < 18 || d[1] != kDeviceType)
    return Status::error(DFX_ERR_IO, "device descriptor: " + std::to_string(d.size()) +
                                         " bytes, not an 18-byte device descriptor");
  return d[17];
}

dfx::sdk::Result<uint16_t> configuration_total_length(std::span<const uint8_t> head) {
  if (head.size() < 9 || head[0] < 9 || head[1] != kConfigurationType)
    return Status::error(DFX_ERR_IO, "configuration descriptor: the first 9 bytes are not one");
  const uint16_t total = static_cast<uint16_t>(head[2] | head[3] << 8);
  if (total < 9 || total > kMaxConfigurationDescriptor)
    return Status::error(DFX_ERR_IO, "configuration descriptor: wTotalLength " +
                                         std::to_string(total) + " is outside 9.." +
                                         std::to_string(kMaxConfigurationDescriptor));
  return total;
}

dfx::sdk::Result<UsbConfigurationDesc> parse_configuration(std::span<const uint8_t> bytes) {
  auto total = configuration_total_length(bytes);
  if (!total) return total.status();
  if (bytes.size() < *total)
    return Status::error(DFX_ERR_IO, "configuration descriptor: " + std::to_string(bytes.size()) +
                                         " bytes read of the " + std::to_string(*total) +
                                         " it announces");
  UsbConfigurationDesc c;
  c.value = bytes[5];
  UsbInterfaceDesc* current = nullptr;
  for (std::size_t at = bytes[0]; at < *total;) {
    const uint8_t length = bytes[at];
    if (length < 2 || at + length > *total)
      return Status::error(DFX_ERR_IO, "configuration descriptor: the descriptor at offset " +
                                           std::to_string(at) + " has length " +
                                           std::to_string(length) + ", past the end or below 2");
    const uint8_t type = bytes[at + 1];
    if (type == kInterfaceType) {
      if (length < 9)
        return Status::error(DFX_ERR_IO, "configuration descriptor: interface descriptor at " +
                                             std::to_string(at) + " is shorter than 9 bytes");
      UsbInterfaceDesc i;
      i.number = bytes[at + 2];
      i.alt_setting = bytes[at + 3];
      i.interface_class = bytes[at + 5];
      i.interface_subclass = bytes[at + 6];
      i.interface_protocol = bytes[at + 7];
      c.interfaces.push_back(std::move(i));
      current = &c.interfaces.back();
    } else if (type == kEndpointType && current != nullptr) {
      if (length < 7)
        return Status::error(DFX_ERR_IO, "configuration descriptor: endpoint descriptor at " +
                                             std::to_string(at) + " is shorter than 7 bytes");
      current->endpoints.push_back({bytes[at + 2], bytes[at + 3],
                                    static_cast<uint16_t>(bytes[at + 4] | bytes[at + 5] << 8)});
    }
    at += length;
  }
  return c;
}

std::optional<MuxInterface> find_usbmux(const std::vector<UsbConfigurationDesc>& configurations) {
  std::optional<MuxInterface> best;
  for (const auto& c : configurations) {
    for (const auto& i : c.interfaces) {
      if (i.alt_setting != 0 || i.interface_class != 0xFF || i.interface_subclass != 0xFE ||
          i.interface_protocol != 0x02)
        continue;
      MuxInterface m{c.value, i.number, 0, 0, 0};
      int in = 0, out = 0;
      for (const auto& e : i.endpoints) {
        if ((e.attributes & 3) != 2) continue;
        if (e.address & 0x80) {
          m.endpoint_in = e.address;
          ++in;
        } else {
          m.endpoint_out = e.address;
          m.max_packet_size = e.max_packet_size;
          ++out;
        }
      }
      if (in != 1 || out != 1) continue;
      if (!best || m.configuration < best->configuration) best = m;
    }
  }
  return best;
}

}  // namespace dfx::apple
