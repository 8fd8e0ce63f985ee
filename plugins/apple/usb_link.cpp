#include "usb_link.hpp"

namespace dfx::apple {
namespace {

using dfx::sdk::Status;
using namespace std::chrono_literals;

constexpr uint8_t kGetDescriptor = 0x06;
// usbmuxd reads 16 KiB at a time; a multiple of every bulk packet size, so a longer packet
// stays queued for the next read rather than overflowing.
constexpr std::size_t kReadSize = 16384;

}  // namespace

Status HostLink::write(std::span<const uint8_t> packet) {
  auto sent = host_.bulk_write(mux_.endpoint_out, packet, 2000ms);
  if (!sent) return Status::error(sent.status().code(), "usbmux write: " + sent.status().message());
  if (*sent != packet.size())
    return Status::error(DFX_ERR_IO, "usbmux write: " + std::to_string(*sent) + " of " +
                                         std::to_string(packet.size()) + " bytes sent");
  // A transfer that fills whole packets needs a zero-length packet to end it.
  if (mux_.max_packet_size != 0 && packet.size() % mux_.max_packet_size == 0)
    if (auto z = host_.bulk_write(mux_.endpoint_out, {}, 2000ms); !z)
      return Status::error(z.status().code(), "usbmux write (ZLP): " + z.status().message());
  return Status::ok();
}

dfx::sdk::Result<std::vector<uint8_t>> HostLink::read(std::chrono::milliseconds timeout) {
  if (host_.should_stop())
    return Status::error(DFX_ERR_CANCELLED, "usbmux: dfx's deadline for this probe is reached");
  std::vector<uint8_t> buf(kReadSize);
  auto got = host_.bulk_read(mux_.endpoint_in, buf, timeout);
  if (!got) return got.status();
  buf.resize(*got);
  return buf;
}

dfx::sdk::Result<std::vector<UsbConfigurationDesc>> read_configurations(
    const dfx::sdk::Host& host) {
  auto device = host.control_in(0x80, kGetDescriptor, 0x0100, 0, 18, 1000ms);
  if (!device)
    return Status::error(device.status().code(), "device descriptor: " + device.status().message());
  auto count =
      configuration_count({reinterpret_cast<const uint8_t*>(device->data()), device->size()});
  if (!count) return count.status();
  std::vector<UsbConfigurationDesc> out;
  for (uint8_t i = 0; i < *count; ++i) {
    // One request of the largest size read: a device sends wTotalLength bytes at most, and
    // parse_configuration refuses fewer. Each transfer is a round trip, so none is spent on the
    // usual 9-byte header read first.
    const uint16_t value = static_cast<uint16_t>(0x0200 | i);
    auto whole =
        host.control_in(0x80, kGetDescriptor, value, 0, kMaxConfigurationDescriptor, 1000ms);
    if (!whole)
      return Status::error(whole.status().code(), "configuration descriptor " + std::to_string(i) +
                                                      ": " + whole.status().message());
    auto parsed =
        parse_configuration({reinterpret_cast<const uint8_t*>(whole->data()), whole->size()});
    if (!parsed) return parsed.status();
    out.push_back(std::move(*parsed));
    // Configurations are read in index order and numbered in that order on the iPhones whose
    // descriptors are known: the first with usbmux is the one find_usbmux chooses.
    if (find_usbmux(out)) break;
  }
  return out;
}

}  // namespace dfx::apple
