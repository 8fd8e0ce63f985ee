// Text from devices and files shown on a terminal.
#pragma once

#include <string>
#include <string_view>

namespace dfx::text {

/// A value for a terminal: C0 and C1 control characters, DEL and invalid UTF-8 bytes shown as
/// \xNN, so that a hostile value cannot move the cursor or change the terminal's state.
std::string printable(std::string_view s);

}  // namespace dfx::text
