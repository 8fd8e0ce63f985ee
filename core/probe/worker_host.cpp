#include "probe/worker_host.hpp"

#include <cstring>

#include "probe/messages.hpp"

namespace dfx::probe {
namespace {

std::string level_name(dfx_log_level level) {
  switch (level) {
    case DFX_LOG_DEBUG:
      return "debug";
    case DFX_LOG_INFO:
      return "info";
    case DFX_LOG_WARN:
      return "warn";
    default:
      return "error";
  }
}

std::string bounded(const char* s, std::size_t max) {
  if (s == nullptr) return {};
  std::string out(s, strnlen(s, max + 1));
  if (out.size() > max) out.resize(max);
  return out;
}

template <typename T>
dfx_status usb_status(WorkerHost& h, const usb::UsbResult<T>& r) {
  if (r) return DFX_OK;
  // A refusal is the plugin asking for what its manifest does not allow: said in the probe's
  // log, with the device, not only returned to the plugin.
  if (r.error().status == DFX_ERR_DENIED)
    h.log(DFX_LOG_WARN, ("USB request to " + h.device_name() + " " + r.error().message).c_str());
  return h.failed(r.error().status, r.error().message);
}

// The C entry points: each recovers the WorkerHost and never lets an exception escape into the
// plugin (a std::bad_alloc here must become a status, not a crash blamed on the plugin).
void c_log(dfx_host* h, dfx_log_level level, const char* message) {
  try {
    WorkerHost::from(h).log(level, message);
  } catch (...) {}
}
dfx_status c_report_claim(dfx_host* h, const dfx_claim* claim) {
  try {
    return WorkerHost::from(h).report_claim(claim);
  } catch (...) {
    return DFX_ERR_INTERNAL;
  }
}
void c_set_error(dfx_host* h, const char* message) {
  try {
    WorkerHost::from(h).set_error(message);
  } catch (...) {}
}
dfx_status c_claim_interface(dfx_host* h, uint8_t n) {
  try {
    auto& w = WorkerHost::from(h);
    return usb_status(w, w.usb.claim_interface(n));
  } catch (...) {
    return DFX_ERR_INTERNAL;
  }
}
dfx_status c_release_interface(dfx_host* h, uint8_t n) {
  try {
    auto& w = WorkerHost::from(h);
    return usb_status(w, w.usb.release_interface(n));
  } catch (...) {
    return DFX_ERR_INTERNAL;
  }
}
dfx_status c_control(dfx_host* h, uint8_t type, uint8_t req, uint16_t value, uint16_t index,
                     uint8_t* data, uint16_t length, uint32_t timeout_ms, uint32_t* transferred) {
  try {
    auto& w = WorkerHost::from(h);
    auto r = w.usb.control(type, req, value, index, data, length, timeout_ms);
    if (transferred) *transferred = r ? *r : 0;
    return usb_status(w, r);
  } catch (...) {
    return DFX_ERR_INTERNAL;
  }
}
dfx_status c_bulk(dfx_host* h, uint8_t ep, uint8_t* data, uint32_t length, uint32_t timeout_ms,
                  uint32_t* transferred) {
  try {
    auto& w = WorkerHost::from(h);
    auto r = w.usb.bulk(ep, data, length, timeout_ms);
    if (transferred) *transferred = r ? *r : 0;
    return usb_status(w, r);
  } catch (...) {
    return DFX_ERR_INTERNAL;
  }
}
dfx_status c_interrupt(dfx_host* h, uint8_t ep, uint8_t* data, uint32_t length, uint32_t timeout_ms,
                       uint32_t* transferred) {
  try {
    auto& w = WorkerHost::from(h);
    auto r = w.usb.interrupt(ep, data, length, timeout_ms);
    if (transferred) *transferred = r ? *r : 0;
    return usb_status(w, r);
  } catch (...) {
    return DFX_ERR_INTERNAL;
  }
}
dfx_status c_string(dfx_host* h, uint8_t index, char* buffer, uint32_t capacity, uint32_t* length) {
  try {
    auto& w = WorkerHost::from(h);
    if (buffer == nullptr || capacity == 0)
      return w.failed(DFX_ERR_INVALID_ARGUMENT, "no buffer for the string");
    auto r = w.usb.string_descriptor(index, 1000);
    if (!r) return usb_status(w, r);
    if (r->size() + 1 > capacity)
      return w.failed(DFX_ERR_OVERFLOW, "string " + std::to_string(index) + " needs " +
                                            std::to_string(r->size() + 1) + " bytes");
    std::memcpy(buffer, r->data(), r->size());
    buffer[r->size()] = '\0';
    if (length) *length = static_cast<uint32_t>(r->size());
    return DFX_OK;
  } catch (...) {
    return DFX_ERR_INTERNAL;
  }
}
dfx_status c_select_configuration(dfx_host* h, uint8_t value) {
  try {
    auto& w = WorkerHost::from(h);
    auto r = w.usb.select_configuration(value);
    if (!r) return usb_status(w, r);
    // The change is reported by the worker, outside the sandbox, from its record of the calls
    // (probe/worker.cpp): the plugin's process cannot leave it out.
    return DFX_OK;
  } catch (...) {
    return DFX_ERR_INTERNAL;
  }
}
dfx_status c_report_finding(dfx_host* h, const char* code, const char* message) {
  try {
    return WorkerHost::from(h).report_finding(code, message);
  } catch (...) {
    return DFX_ERR_INTERNAL;
  }
}
int32_t c_should_stop(dfx_host* h) {
  return WorkerHost::from(h).should_stop() ? 1 : 0;
}
const char* c_last_error(dfx_host* h) {
  return WorkerHost::from(h).last_error.c_str();
}

const dfx_host_api kApi = {sizeof(dfx_host_api),
                           DFX_ABI_MAJOR,
                           DFX_ABI_MINOR,
                           c_log,
                           c_report_claim,
                           c_set_error,
                           c_claim_interface,
                           c_release_interface,
                           c_control,
                           c_bulk,
                           c_interrupt,
                           c_string,
                           c_should_stop,
                           c_last_error,
                           c_select_configuration,
                           c_report_finding};

}  // namespace

WorkerHost::WorkerHost(FrameWriter& out, const usb::DeviceFacts& device,
                       std::chrono::steady_clock::time_point deadline, usb::UsbPort& port)
    : usb(port),
      out_(out),
      deadline_(deadline),
      device_name_(device.usb_id() + " at " + device.location()) {}

const dfx_host_api* WorkerHost::api() {
  return &kApi;
}

void WorkerHost::log(dfx_log_level level, const char* message) {
  if (logs_ == kMaxLogLines) {
    out_.send(FrameType::Log,
              to_payload(LogLine{"warn", "further log lines from this plugin dropped"}));
  }
  if (logs_++ >= kMaxLogLines) return;
  out_.send(FrameType::Log, to_payload(LogLine{level_name(level), bounded(message, kMaxLogLine)}));
}

dfx_status WorkerHost::report_claim(const dfx_claim* c) {
  if (c == nullptr || c->struct_size < sizeof(dfx_claim))
    return failed(DFX_ERR_INVALID_ARGUMENT, "claim struct missing or smaller than ABI 1.0's");
  if (claims_ >= kMaxClaims)
    return failed(DFX_ERR_OVERFLOW, "more than 4096 claims from one probe");
  const std::string kind = bounded(c->kind, kMaxClaimKind + 1);
  const std::string value = bounded(c->value, kMaxClaimValue + 1);
  const std::string method = bounded(c->method, kMaxClaimMethod);
  if (kind.empty() || value.empty())
    return failed(DFX_ERR_INVALID_ARGUMENT, "claim with empty kind or value");
  if (kind.size() > kMaxClaimKind)
    return failed(DFX_ERR_INVALID_ARGUMENT, "claim kind longer than 64 bytes");
  if (value.size() > kMaxClaimValue)
    return failed(DFX_ERR_INVALID_ARGUMENT, "claim value longer than 4096 bytes");
  if (!dfx_claim_kind_known(kind.c_str())) {
    const std::string why =
        "claim kind \"" + kind +
        "\" is not one dfx knows (<dfx/plugin.h>, DFX_CLAIM_KINDS; vendor-specific kinds start "
        "with x_): claim refused";
    log(DFX_LOG_WARN, why.c_str());
    return failed(DFX_ERR_INVALID_ARGUMENT, why);
  }
  ++claims_;
  out_.send(FrameType::Claim, to_payload(Claim{kind, value, method}));
  return DFX_OK;
}

dfx_status WorkerHost::report_finding(const char* code, const char* message) {
  if (findings_ >= kMaxFindings)
    return failed(DFX_ERR_OVERFLOW,
                  "more than " + std::to_string(kMaxFindings) + " findings from one probe");
  Finding f{bounded(code, kMaxFindingCode + 1), bounded(message, kMaxLogLine + 1)};
  if (const auto why = finding_over_limit(f); !why.empty())
    return failed(DFX_ERR_INVALID_ARGUMENT, why);
  ++findings_;
  out_.send(FrameType::Finding, to_payload(f));
  return DFX_OK;
}

void WorkerHost::set_error(const char* message) {
  plugin_error_ = bounded(message, kMaxLogLine);
}

dfx_status WorkerHost::failed(dfx_status status, std::string message) {
  last_error = std::move(message);
  return status;
}

bool WorkerHost::should_stop() const {
  return std::chrono::steady_clock::now() >= deadline_;
}

}  // namespace dfx::probe
