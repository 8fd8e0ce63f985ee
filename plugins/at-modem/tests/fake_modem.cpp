#include "fake_modem.hpp"

#include <thread>

namespace dfx::at::testing {

Status FakeModem::write(std::span<const uint8_t> data, std::chrono::milliseconds) {
  if (script_.hostile == ModemScript::Hostile::unplugged)
    return fail(Errc::disconnected, "no such device");
  for (auto b : data) {
    const char c = static_cast<char>(b);
    if (c == '\r') {
      received.push_back(input_);
      answer(input_);
      input_.clear();
    } else {
      input_.push_back(c);
    }
  }
  return {};
}

void FakeModem::answer(const std::string& command) {
  using H = ModemScript::Hostile;
  if (script_.hostile == H::silent) return;
  if (script_.echo || script_.hostile == H::echo_forever) output_ += command + "\r";
  if (script_.hostile != H::none) {
    streaming_ = command;
    return;
  }
  for (const auto& u : script_.unsolicited) output_ += script_.line_start + u + script_.line_end;
  auto it = script_.dialogue.find(command);
  const std::vector<std::string> fallback{command == "AT" ? "OK" : "ERROR"};
  for (const auto& l : it != script_.dialogue.end() ? it->second : fallback)
    output_ += script_.line_start + l + script_.line_end;
}

Result<std::vector<uint8_t>> FakeModem::read(std::size_t max_bytes,
                                             std::chrono::milliseconds timeout) {
  using H = ModemScript::Hostile;
  ++reads;
  if (script_.hostile == H::unplugged) return fail(Errc::disconnected, "no such device");
  if (output_.empty() && !streaming_.empty()) {
    if (script_.hostile == H::endless) output_ = "\r\n+CGSN: still reading\r\n";
    if (script_.hostile == H::echo_forever) output_ = streaming_ + "\r";
    if (script_.hostile == H::garbage) output_ = std::string("\x01\xff\x00\x7f\x1b", 5);
  }
  if (output_.empty()) {
    std::this_thread::sleep_for(timeout);  // a silent modem: the read times out
    return fail(Errc::timeout, "bulk read timed out");
  }
  const std::size_t n = std::min({max_bytes, script_.chunk, output_.size()});
  std::vector<uint8_t> out(output_.begin(), output_.begin() + static_cast<std::ptrdiff_t>(n));
  output_.erase(0, n);
  return out;
}

}  // namespace dfx::at::testing
