// A second look at a transcript, by the host, after the fact: every control request that reached
// the device is held again against the read-only policy and the plugin's declared surface. The
// session already refused anything else before sending it (those are in the transcript as
// refused); this check is what lets a case record state, from the transcript itself, that no
// request outside the declared read-only surface was sent.
#pragma once

#include <string>
#include <vector>

#include "usb/device_facts.hpp"
#include "usb/surface.hpp"
#include "usb/transcript.hpp"

namespace dfx::usb {

struct TranscriptAudit {
  uint64_t reached_device = 0;  ///< exchanges sent to the device
  uint64_t refused = 0;         ///< refused by dfx before anything was sent
  /// Control requests that reached the device although the policy or the surface forbids them,
  /// each described with its exchange number. Empty unless the session failed.
  std::vector<std::string> outside_surface;
};

/// Audits `t`, recorded on `device` for a plugin that declared `surface`. Claims and transfers on
/// interfaces of another configuration (after a configuration change) are the session's to check:
/// the facts describe the configuration active when the probe started.
TranscriptAudit audit_transcript(const Transcript& t, const Surface& surface,
                                 const DeviceFacts& device);

}  // namespace dfx::usb
