// The "at-modem" behaviour: a modem's AT command interpreter on the bulk pair of a CDC data
// interface, answering from the handset file's dialogue (README "Emulation in the lab").
//
// Facts (V.250, 3GPP TS 27.007, handset notes): the host writes a command line ended by CR; with
// echo on (ATE1, the default) the modem first sends back the characters it received; in verbose
// mode (ATV1) each response line is framed "\r\n<text>\r\n"; unsolicited result codes may come at
// any time. The emulator records every command line so that tests can assert that nothing
// outside the plugin's allow-list was ever sent. It changes no state whatever it is sent (no ATE0,
// no +CFUN): a command it does not know is answered ERROR.
#include <mutex>

#include "emulator.hpp"
#include "modem_config.hpp"

namespace dfx::testing {
namespace {

using at_modem::Hostile;
using at_modem::LineEnding;
using at_modem::ModemConfig;

// Longest command line kept while waiting for its CR (a V.250 command line is at most a few
// hundred characters); beyond it the input is recorded as overlong and dropped.
constexpr std::size_t kMaxCommandLine = 1024;

class AtModem final : public AtModemEmulator {
 public:
  explicit AtModem(ModemConfig config) : cfg_(std::move(config)) {}

  AtModemRecord record() const override {
    std::lock_guard lock(mu_);
    return rec_;
  }

  OutReply on_bulk_out(DeviceSide& device, std::uint8_t endpoint,
                       std::span<const std::uint8_t> data) override {
    if (endpoint != cfg_.out_endpoint) return OutReply::ack;
    std::lock_guard lock(mu_);
    rec_.bytes_received += data.size();
    for (const auto byte : data) {
      const char c = static_cast<char>(byte);
      if (c == '\r' || c == '\n') {
        if (!input_.empty()) command(device, std::exchange(input_, {}));
        continue;
      }
      input_.push_back(c);
      if (input_.size() > kMaxCommandLine) {
        rec_.commands.push_back("<overlong: " + input_.substr(0, 32) + "...>");
        input_.clear();
      }
    }
    return OutReply::ack;
  }

  // CDC PSTN 6.3.12 SET_CONTROL_LINE_STATE (class, interface, OUT, 0x22): wValue bit 0 is DTR.
  ControlReply on_control(DeviceSide&, const SetupPacket& setup,
                          std::span<const std::uint8_t>) override {
    std::lock_guard lock(mu_);
    if (setup.request_type == 0x21 && setup.request == 0x22) {
      rec_.control_line_states.push_back(setup.value);
      dtr_ = (setup.value & 0x01) != 0;
      return ControlReply::ack();
    }
    static constexpr char kHex[] = "0123456789abcdef";
    const auto hex2 = [](std::uint8_t v) { return std::string{kHex[v >> 4], kHex[v & 0x0F]}; };
    rec_.other_control_requests.push_back(hex2(setup.request_type) + "/" + hex2(setup.request));
    return ControlReply::stall();
  }

  void on_in_requested(DeviceSide& device, std::uint8_t endpoint, std::size_t) override {
    if (endpoint != cfg_.in_endpoint) return;
    std::lock_guard lock(mu_);
    if (streaming_.empty()) return;
    // Hostile modes produce their output as the host reads it: for ever, never a final result.
    switch (cfg_.hostile) {
      case Hostile::endless:
        send(device, line("+CGSN: " + std::to_string(counter_++) + " still reading, please wait"));
        break;
      case Hostile::garbage:
        send(device, noise());
        break;
      case Hostile::echo_forever:
        send(device, streaming_ + "\r");
        break;
      default:
        break;
    }
  }

  void on_reset(DeviceSide&) override {
    std::lock_guard lock(mu_);
    streaming_.clear();
    input_.clear();
  }

 private:
  void command(DeviceSide& device, const std::string& text) {
    rec_.commands.push_back(text);
    if (cfg_.needs_dtr && !dtr_) {
      ++rec_.dropped_before_dtr;
      return;
    }
    switch (cfg_.hostile) {
      case Hostile::silent:
        return;
      case Hostile::endless:
      case Hostile::garbage:
      case Hostile::echo_forever:
        streaming_ = text;
        on_stream_start(device, text);
        return;
      case Hostile::none:
        break;
    }
    std::string out;
    if (cfg_.echo) out += text + "\r";  // the characters received, CR included
    for (const auto& u : cfg_.unsolicited) out += line(u);
    auto it = cfg_.dialogue.find(text);
    if (it != cfg_.dialogue.end()) {
      for (const auto& l : it->second) out += line(l);
    } else {
      out += line(text == "AT" ? "OK" : "ERROR");
    }
    send(device, out);
  }

  void on_stream_start(DeviceSide& device, const std::string& text) {
    if (cfg_.hostile == Hostile::echo_forever || cfg_.echo) send(device, text + "\r");
    if (cfg_.hostile == Hostile::garbage) send(device, noise());
    if (cfg_.hostile == Hostile::endless) send(device, line("+CGSN: reading"));
  }

  std::string line(const std::string& text) const {
    switch (cfg_.line_ending) {
      case LineEnding::crlf:
        return "\r\n" + text + "\r\n";
      case LineEnding::cr:
        return text + "\r";
      case LineEnding::lf:
        return text + "\n";
    }
    return text;
  }

  // 64 bytes of deterministic noise (an LCG), so that a failing test can be rerun identically.
  std::string noise() {
    std::string out(64, '\0');
    for (auto& c : out) {
      seed_ = seed_ * 1103515245u + 12345u;
      c = static_cast<char>((seed_ >> 16) & 0xFF);
    }
    return out;
  }

  // Queues `out` in IN messages of at most `chunk` bytes, as a modem's USB FIFO delivers it.
  void send(DeviceSide& device, const std::string& out) {
    for (std::size_t at = 0; at < out.size(); at += cfg_.chunk) {
      const auto piece = out.substr(at, cfg_.chunk);
      (void)device.queue_in(cfg_.in_endpoint, Bytes(piece.begin(), piece.end()));
    }
  }

  const ModemConfig cfg_;
  mutable std::mutex mu_;
  AtModemRecord rec_;
  std::string input_;
  std::string streaming_;  ///< the command a hostile mode keeps answering
  std::uint64_t counter_ = 0;
  bool dtr_ = false;  ///< DTR as the host last set it
  std::uint32_t seed_ = 0x5EED;
};

}  // namespace

tl::expected<std::unique_ptr<AtModemEmulator>, std::string> make_at_modem_emulator(
    const BehaviorContext& context) {
  auto config = at_modem::read_modem_config(context);
  if (!config) return tl::unexpected(config.error());
  return std::make_unique<AtModem>(std::move(*config));
}

}  // namespace dfx::testing
