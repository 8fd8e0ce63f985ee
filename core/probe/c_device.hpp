// Builds the C view (dfx_usb_device) of DeviceFacts that a plugin receives. Owns every string and
// array the view points to, so the view stays valid as long as this object lives.
#pragma once

#include <dfx/plugin.h>

#include <string>
#include <vector>

#include "usb/device_facts.hpp"

namespace dfx::probe {

class CDevice {
 public:
  explicit CDevice(const usb::DeviceFacts& facts);
  CDevice(const CDevice&) = delete;
  CDevice& operator=(const CDevice&) = delete;
  [[nodiscard]] const dfx_usb_device* get() const { return &device_; }

 private:
  usb::DeviceFacts facts_;  // owns the strings
  std::vector<std::vector<dfx_usb_endpoint>> endpoints_;
  std::vector<dfx_usb_interface> interfaces_;
  dfx_usb_device device_{};
};

}  // namespace dfx::probe
