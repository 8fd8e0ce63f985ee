// UTC timestamps as ISO 8601 text, the one form dfx writes times in (records, events, imports).
#pragma once

#include <chrono>
#include <string>

namespace dfx {

/// "2024-05-01T12:34:56Z", or with `millis` "2024-05-01T12:34:56.789Z".
std::string utc_iso8601(std::chrono::system_clock::time_point when, bool millis = false);

/// utc_iso8601() of now.
inline std::string utc_now_iso8601(bool millis = false) {
  return utc_iso8601(std::chrono::system_clock::now(), millis);
}

}  // namespace dfx
