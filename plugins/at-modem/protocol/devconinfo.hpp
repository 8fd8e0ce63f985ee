// Samsung's AT+DEVCONINFO answer: a list of NAME(value) fields separated by ';', e.g.
//   +DEVCONINFO: MN(GT-I9100);BASE(SLP);VER(I9100XWLSW/I9100OXALSW/I9100XXLS8/I9100XWLSW);
//   HIDVER(...);MNC();MCC();PRD(BTU);AID();CC();OMCCODE();SN(R21D...);IMEI(3526...);UN(...);
//   CON(AT,MTP);LOCK(NONE);LIMIT(FALSE);SDP(RUNTIME)
// (one line on the wire). Fields vary by model and firmware: unknown ones are kept as they are,
// empty segments (";;") are skipped, values may hold balanced parentheses. Pure code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.hpp"

namespace dfx::at {

/// The fields of a DEVCONINFO answer, in the order sent.
struct DevConInfo {
  std::vector<std::pair<std::string, std::string>> fields;  ///< name (upper case), value

  /// The value of the first field called `name`, if present (may be empty: "MNC()").
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const;
  /// MN: the model number, e.g. "GT-I9100".
  [[nodiscard]] std::optional<std::string_view> model() const { return get("MN"); }
  /// SN: the manufacturer's serial number.
  [[nodiscard]] std::optional<std::string_view> serial() const { return get("SN"); }
  /// IMEI.
  [[nodiscard]] std::optional<std::string_view> imei() const { return get("IMEI"); }
  /// VER: the firmware versions, "a/b/c/d" (AP/CSC/CP/... builds, as Samsung writes them).
  [[nodiscard]] std::optional<std::string_view> version() const { return get("VER"); }
};

/// At most this many fields are read (a real answer has about 20).
inline constexpr std::size_t kMaxDevConInfoFields = 64;

/// Parses the value of a DEVCONINFO information line (with or without its "+DEVCONINFO:"
/// prefix). Errors: malformed (a field without '(' or with unbalanced parentheses, a name that is
/// not letters and digits), too_large (more than kMaxDevConInfoFields fields).
Result<DevConInfo> parse_devconinfo(std::string_view text);

}  // namespace dfx::at
