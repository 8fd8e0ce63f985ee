// umockdev ioctl handler answering usbfs ioctls for one virtual device.
#pragma once

#include <umockdev.h>

#include <memory>

#include "device_core.hpp"
#include "gobject_ref.hpp"

namespace dfx::testing::detail {

/// Capabilities reported by USBDEVFS_GET_CAPABILITIES: scatter-gather lets
/// libusb submit a bulk transfer of any length as one URB, like on a modern
/// host controller.
inline constexpr std::uint32_t usbfs_capabilities =
    0x01 /*ZERO_PACKET*/ | 0x02 /*BULK_CONTINUATION*/ | 0x04 /*NO_PACKET_SIZE_LIM*/ |
    0x08 /*BULK_SCATTER_GATHER*/ | 0x10 /*REAP_AFTER_DISCONNECT*/;

/// Creates a UMockdevIoctlBase whose "handle-ioctl" signal answers usbfs
/// ioctls from `core`. The handler keeps the core alive until it is finalized
/// (umockdev may still hold it for open file descriptors after an unplug).
GRef<UMockdevIoctlBase> make_usbfs_handler(std::shared_ptr<DeviceCore> core);

}  // namespace dfx::testing::detail
