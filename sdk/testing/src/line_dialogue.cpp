// LineDialogue: a canned command -> reply modem (see virtual_tty.hpp).
#include <algorithm>
#include <cctype>
#include <memory>

#include "dfx/testing/virtual_tty.hpp"

namespace dfx::testing {
namespace {

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

bool same(std::string_view a, std::string_view b, bool case_insensitive) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (case_insensitive) {
      x = static_cast<unsigned char>(std::toupper(x));
      y = static_cast<unsigned char>(std::toupper(y));
    }
    if (x != y) return false;
  }
  return true;
}

struct DialogueState {
  LineDialogue dialogue;
  bool echo;
  std::string line;
};

void reply(TtyPort& port, const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\r\n" + l + "\r\n";
  port.write(out);
}

void answer(DialogueState& st, TtyPort& port, const std::string& raw) {
  const std::string command = trim(raw);
  if (command.empty()) return;
  const bool ci = st.dialogue.case_insensitive;
  for (const auto& e : st.dialogue.entries) {
    if (same(trim(e.command), command, ci)) return reply(port, e.reply);
  }
  // A few commands every modem knows, unless the dialogue overrides them.
  if (same(command, "AT", true)) return reply(port, {"OK"});
  if (same(command, "ATE0", true) || same(command, "ATE1", true)) {
    st.echo = command.back() == '1';
    return reply(port, {"OK"});
  }
  reply(port, st.dialogue.unknown_reply);
}

}  // namespace

TtyHandler LineDialogue::handler() const {
  auto state = std::make_shared<DialogueState>(DialogueState{*this, echo, {}});
  return [state](TtyPort& port, std::span<const std::uint8_t> bytes) {
    for (std::uint8_t b : bytes) {
      const char c = static_cast<char>(b);
      if (state->echo) port.write(std::string_view(&c, 1));
      if (c == '\r' || c == '\n') {
        std::string line;
        line.swap(state->line);
        answer(*state, port, line);
      } else {
        state->line += c;
      }
    }
  };
}

}  // namespace dfx::testing
