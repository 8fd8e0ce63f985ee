#include "base/utc_time.hpp"

#include <cstdio>
#include <ctime>

namespace dfx {

std::string utc_iso8601(std::chrono::system_clock::time_point when, bool millis) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(when);
  const std::time_t t = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  // Years stay within 4 digits for any time a clock gives; the buffer allows for more anyway.
  char buf[64];
  const int ms = static_cast<int>(duration_cast<milliseconds>(when - secs).count());
  if (millis)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace dfx
