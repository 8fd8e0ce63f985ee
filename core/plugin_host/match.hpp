// Which device plugins apply to a device: manifest rules evaluated against descriptor facts only.
#pragma once

#include "plugin_host/manifest.hpp"
#include "usb/device_facts.hpp"

namespace dfx::plugin_host {

/// True when every field set in `rule` matches the device (interface fields: some interface).
bool matches(const UsbMatchRule& rule, const usb::DeviceFacts& device);

/// True when the manifest is a device plugin and any of its rules matches.
bool matches(const Manifest& manifest, const usb::DeviceFacts& device);

/// Hubs are infrastructure, not handsets: the host never hands them to plugins.
bool is_hub(const usb::DeviceFacts& device);

}  // namespace dfx::plugin_host
