// The host API table (dfx_host_api) as the probe worker implements it: claims and logs become
// frames to the host, USB calls go to a UsbPort (the USB broker in the sandbox, the session
// itself in --in-process mode), and every input from the plugin is bounded.
#pragma once

#include <dfx/plugin.h>

#include <chrono>
#include <string>

#include "probe/frame_io.hpp"
#include "probe/limits.hpp"
#include "usb/device_facts.hpp"
#include "usb/usb_port.hpp"

namespace dfx::probe {

/// The state behind the opaque dfx_host pointer given to a plugin.
class WorkerHost {
 public:
  WorkerHost(FrameWriter& out, const usb::DeviceFacts& device,
             std::chrono::steady_clock::time_point deadline, usb::UsbPort& usb);

  /// The API table to pass to the plugin together with `handle()`.
  static const dfx_host_api* api();
  [[nodiscard]] dfx_host* handle() { return reinterpret_cast<dfx_host*>(this); }
  static WorkerHost& from(dfx_host* h) { return *reinterpret_cast<WorkerHost*>(h); }

  /// The error the plugin set with set_error ("" if none).
  [[nodiscard]] const std::string& plugin_error() const { return plugin_error_; }
  [[nodiscard]] std::size_t claims() const { return claims_; }
  /// "18d1:4ee7 at 1-2", for messages.
  [[nodiscard]] const std::string& device_name() const { return device_name_; }

  // The implementations behind the C function pointers.
  void log(dfx_log_level level, const char* message);
  dfx_status report_claim(const dfx_claim* claim);
  dfx_status report_finding(const char* code, const char* message);
  void set_error(const char* message);
  dfx_status failed(dfx_status status, std::string message);
  bool should_stop() const;

  usb::UsbPort& usb;
  std::string last_error;

 private:
  FrameWriter& out_;
  std::chrono::steady_clock::time_point deadline_;
  std::string plugin_error_;
  std::size_t claims_ = 0;
  std::size_t findings_ = 0;
  std::size_t logs_ = 0;
  std::string device_name_;
};

}  // namespace dfx::probe
