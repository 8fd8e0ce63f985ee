#include "probe/limits.hpp"

namespace dfx::probe {
namespace {

// "claim value of 1048576 bytes (limit 4096)", or "" when `text` fits.
std::string over(const char* what, const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return {};
  return std::string(what) + " of " + std::to_string(text.size()) + " bytes (limit " +
         std::to_string(limit) + ")";
}

std::string first_of(std::initializer_list<std::string> reasons) {
  for (const auto& r : reasons)
    if (!r.empty()) return r;
  return {};
}

}  // namespace

std::string claim_over_limit(const Claim& c) {
  return first_of({over("claim kind", c.kind, kMaxClaimKind),
                   over("claim value", c.value, kMaxClaimValue),
                   over("claim method", c.method, kMaxClaimMethod)});
}

std::string finding_over_limit(const Finding& f) {
  if (f.code.empty() || f.code.size() > kMaxFindingCode)
    return "finding code empty or longer than " + std::to_string(kMaxFindingCode) + " bytes";
  for (const char c : f.code)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return "finding code \"" + f.code + "\" is not [a-z0-9_]";
  if (f.message.empty()) return "finding \"" + f.code + "\" without a message";
  return over("finding message", f.message, kMaxLogLine);
}

std::string log_over_limit(const LogLine& l) {
  return first_of({over("log level", l.level, 16), over("log line", l.message, kMaxLogLine)});
}

std::string done_over_limit(const Done& d) {
  std::string why =
      first_of({over("outcome code", d.code, 64), over("error", d.error, kMaxDoneError)});
  if (why.empty() && d.plugin)
    why = first_of({over("plugin id", d.plugin->id, kMaxIdentityField),
                    over("plugin version", d.plugin->version, kMaxIdentityField),
                    over("plugin name", d.plugin->name, kMaxIdentityField),
                    over("plugin kind", d.plugin->kind, kMaxIdentityField)});
  return why;
}

}  // namespace dfx::probe
