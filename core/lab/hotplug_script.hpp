// Hotplug scripts for dfx-lab: when to plug and unplug which virtual handset while a command runs.
//
//   # time     action   handset id (its file name without .json)
//   0          unplug   iphone-dfu          # a handset whose first event is "plug" starts
//   unplugged 300ms      plug     iphone-dfu 1.5s       unplug   android-pixel-mtp-adb
//
// Times are measured from the start of the command, in ms or s; events run in time order
// (ties in file order). Pure parsing, no I/O.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace dfx::lab {

struct HotplugEvent {
  std::chrono::milliseconds at{0};
  bool plug = false;    ///< true: plug, false: unplug
  std::string handset;  ///< handset id
  int line = 0;         ///< 1-based line in the script, for messages
};

/// Parses a script; `origin` names it in errors ("script.txt:3: unknown action \"yank\"").
Result<std::vector<HotplugEvent>> parse_hotplug_script(std::string_view text,
                                                       std::string_view origin);

}  // namespace dfx::lab
