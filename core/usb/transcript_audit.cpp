#include "usb/transcript_audit.hpp"

#include "usb/policy.hpp"

namespace dfx::usb {

TranscriptAudit audit_transcript(const Transcript& t, const Surface& surface,
                                 const DeviceFacts& device) {
  TranscriptAudit a;
  const SurfacePolicy policy(surface, device);
  for (const auto& e : t.exchanges) {
    if (!e.reached_device()) {
      ++a.refused;
      continue;
    }
    ++a.reached_device;
    if (e.op == UsbOp::configure && surface.configurations.empty())
      a.outside_surface.push_back("exchange " + std::to_string(e.n) + ": " + e.describe() +
                                  ", and the manifest declares no configuration");
    if (e.op != UsbOp::control) continue;
    auto why = refuse_control_request(e.target, e.request);
    if (!why) why = policy.refuse_control(e.target, e.request, e.index);
    if (why)
      a.outside_surface.push_back("exchange " + std::to_string(e.n) + ": " + e.describe() + ": " +
                                  *why);
  }
  return a;
}

}  // namespace dfx::usb
