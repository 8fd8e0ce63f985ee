// A scripted modem behind the protocol code's Transport, for in-process tests of the session and
// the identity reader (no USB): it answers each command line from a dialogue, with echo and
// line-ending quirks, and plays the hostile modems (silent, endless, garbage, echo forever,
// unplugged). Independent of the lab emulator (emulator/), so each checks the other.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "transport.hpp"

namespace dfx::at::testing {

/// How the fake modem behaves.
struct ModemScript {
  bool echo = true;                      ///< send the command line back first (with its CR)
  std::string line_start = "\r\n";       ///< written before each line
  std::string line_end = "\r\n";         ///< written after each line
  std::vector<std::string> unsolicited;  ///< lines sent before every reply
  std::map<std::string, std::vector<std::string>> dialogue;  ///< command -> lines (final incl.)
  std::size_t chunk = 7;  ///< bytes per read at most: replies arrive split mid-line
  enum class Hostile {
    none,
    silent,
    endless,
    garbage,
    echo_forever,
    unplugged
  } hostile = Hostile::none;
};

/// The Transport a Session talks to.
class FakeModem final : public Transport {
 public:
  explicit FakeModem(ModemScript script) : script_(std::move(script)) {}

  Status write(std::span<const uint8_t> data, std::chrono::milliseconds timeout) override;
  Result<std::vector<uint8_t>> read(std::size_t max_bytes,
                                    std::chrono::milliseconds timeout) override;

  std::vector<std::string> received;  ///< every command line received, without its CR
  std::size_t reads = 0;              ///< read() calls

 private:
  void answer(const std::string& command);
  ModemScript script_;
  std::string input_;
  std::string output_;
  std::string streaming_;
};

}  // namespace dfx::at::testing
