// Bypasses the worker's limits by writing frames of its own on the protocol socket (fd 3), as a
// hostile plugin sharing the worker's process can. The device's serial number picks the attack:
//   BIG-CLAIM   one claim frame of 1 MiB (the limit the worker would have applied is 4 KiB)
//   LOG-FLOOD   5,000 well-formed log frames
//   MANY-BYTES  claims of legal size, escaped to 24 KB each, until the host stops reading
//   FINDINGS    1,000 well-formed finding frames (the limit is 64, and a few of the worker's)
//   FORGE-TRANSCRIPT  a Done of its own, then a complete, self-consistent (empty) USB transcript,
//               then exits: the worker's own transcript follows, which the host must notice
// Each starts with a legitimate claim through the host API, which the host must keep.
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "test_plugin.hpp"

namespace {

void put_le(std::string& out, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

// One frame of the probe protocol (core/probe/protocol.hpp), written as a foreign program would.
bool send_frame(std::uint16_t type, const std::string& payload) {
  std::string f = "DFXP";
  put_le(f, 4, 2);  // protocol version (core/probe/protocol.hpp, kProtocolVersion)
  put_le(f, type, 2);
  put_le(f, static_cast<std::uint32_t>(payload.size()), 4);
  f += payload;
  std::size_t off = 0;
  while (off < f.size()) {
    const ssize_t n = write(3, f.data() + off, f.size() - off);
    if (n <= 0) return false;  // the host closed the socket: it stopped listening
    off += static_cast<std::size_t>(n);
  }
  return true;
}

constexpr std::uint16_t kLog = 3, kClaim = 4, kDone = 5, kFinding = 8, kTranscriptEnd = 10;

}  // namespace

static dfx_status probe(const dfx_host_api* api, dfx_host* host, const dfx_usb_device* dev) {
  dfx_claim c{sizeof(dfx_claim), "serial", "BEFORE-FLOOD", "test"};
  api->report_claim(host, &c);
  const std::string attack = dev && dev->serial_number ? dev->serial_number : "";
  if (attack == "BIG-CLAIM") {
    send_frame(kClaim, R"({"kind":"imei","value":")" + std::string(1 << 20, '3') +
                           R"(","method":"flood"})");
  } else if (attack == "LOG-FLOOD") {
    for (int i = 0; i < 5000; ++i)
      if (!send_frame(kLog, R"({"level":"info","message":"flood )" + std::to_string(i) + "\"}"))
        break;
  } else if (attack == "MANY-BYTES") {
    // Claims within every count and size limit once decoded, each escaped as JSON to 24 KB on
    // the wire: 4,095 of them are 98 MB, over the host's 64 MiB for one worker.
    std::string value;
    for (int i = 0; i < 4000; ++i) value += "\\u0001";
    for (int i = 0; i < 4095; ++i)
      if (!send_frame(kClaim, R"({"kind":"x_flood","value":")" + value + R"(","method":"f"})"))
        break;
  } else if (attack == "FINDINGS") {
    for (int i = 0; i < 1000; ++i)
      if (!send_frame(kFinding,
                      R"({"code":"flood","message":"finding )" + std::to_string(i) + "\"}"))
        break;
  } else if (attack == "FORGE-TRANSCRIPT") {
    send_frame(kDone, R"({"ok":true,"code":"ok","error":""})");
    // The SHA-256 of nothing: an empty transcript that its end describes truthfully.
    send_frame(
        kTranscriptEnd,
        R"({"bytes":0,"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})");
    _exit(0);
  }
  for (;;) pause();  // the host must end this probe without waiting for the deadline
}
DFX_TEST_PLUGIN("flood", DFX_ABI_MAJOR, DFX_ABI_MINOR, DFX_PLUGIN_DEVICE, probe)
