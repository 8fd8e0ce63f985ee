#include "lab/hotplug_script.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace dfx::lab {
namespace {

// "250ms", "1.5s", "0" (a bare 0 only: other bare numbers are ambiguous).
Result<std::chrono::milliseconds> parse_time(const std::string& s) {
  if (s == "0") return std::chrono::milliseconds(0);
  double factor = 0;
  std::string number;
  if (s.size() > 2 && s.ends_with("ms")) {
    factor = 1;
    number = s.substr(0, s.size() - 2);
  } else if (s.size() > 1 && s.ends_with("s")) {
    factor = 1000;
    number = s.substr(0, s.size() - 1);
  } else
    return fail("time \"" + s + "\" needs a unit, e.g. 250ms or 1.5s");
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc{} || end != number.data() + number.size() || value < 0 || value > 86400000)
    return fail("time \"" + s + "\" is not a non-negative number");
  return std::chrono::milliseconds(static_cast<long long>(std::llround(value * factor)));
}

}  // namespace

Result<std::vector<HotplugEvent>> parse_hotplug_script(std::string_view text,
                                                       std::string_view origin) {
  std::vector<HotplugEvent> events;
  std::istringstream in{std::string(text)};
  std::string raw;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    if (const auto hash = raw.find('#'); hash != std::string::npos) raw.resize(hash);
    std::istringstream fields(raw);
    std::string time, action, handset, extra;
    if (!(fields >> time)) continue;  // blank or comment line
    const std::string where = std::string(origin) + ":" + std::to_string(line_no) + ": ";
    if (!(fields >> action >> handset))
      return fail(where + "expected \"TIME plug|unplug HANDSET\"");
    if (fields >> extra) return fail(where + "unexpected \"" + extra + "\" after the handset id");
    auto at = parse_time(time);
    if (!at) return fail(where + at.error().message);
    if (action != "plug" && action != "unplug")
      return fail(where + "unknown action \"" + action + "\" (plug or unplug)");
    events.push_back({*at, action == "plug", handset, line_no});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const HotplugEvent& a, const HotplugEvent& b) { return a.at < b.at; });
  return events;
}

}  // namespace dfx::lab
