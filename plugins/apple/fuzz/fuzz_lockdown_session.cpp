// The whole normal-mode reading against a phone whose every byte comes from the fuzzer: the
// usbmux session (VERSION, SETUP, the TCP-like layer) and the lockdown reading over it. The
// phone's bytes arrive in transfers whose sizes the input also chooses; when they run out the
// phone is gone, so no input waits for a deadline.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <span>

#include "lockdown_reader.hpp"
#include "mux_session.hpp"

namespace {

using dfx::sdk::Status;

class FuzzedPhone final : public dfx::apple::Link {
 public:
  explicit FuzzedPhone(std::span<const uint8_t> in) : in_(in) {}
  Status write(std::span<const uint8_t>) override { return Status::ok(); }
  dfx::sdk::Result<std::vector<uint8_t>> read(std::chrono::milliseconds) override {
    if (in_.empty()) return Status::error(DFX_ERR_NO_DEVICE, "the fuzzed phone is gone");
    // One byte chooses the transfer's size (1..512 bytes), as a bulk endpoint splits a stream.
    const std::size_t n = std::min<std::size_t>(in_.size() - 1, 1 + in_[0] * 2u);
    std::vector<uint8_t> out(in_.begin() + 1, in_.begin() + 1 + static_cast<std::ptrdiff_t>(n));
    in_ = in_.subspan(1 + n);
    return out;
  }

 private:
  std::span<const uint8_t> in_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  FuzzedPhone phone({data, size});
  dfx::apple::MuxSession session(phone, std::chrono::steady_clock::now() + std::chrono::seconds(5));
  if (!session.start() || !session.connect(dfx::apple::usbmux::kLockdownPort)) return 0;
  dfx::apple::LockdownInput input;
  input.usb_udid = "00008020001D2CD90128002E";
  const auto reading = dfx::apple::read_lockdown(session, input);
  // A reading that contradicts the USB UDID must never come out without a problem.
  // (Hex digits in either case: a UDID is hexadecimal.)
  for (const auto& f : reading.facts) {
    std::string upper = f.value;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (f.kind == "udid" && upper != "00008020-001D2CD90128002E" &&
        upper != "00008020001D2CD90128002E" && reading.problems.empty())
      __builtin_trap();
  }
  return 0;
}
