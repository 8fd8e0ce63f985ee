#include "fastboot_session.hpp"

#include <algorithm>

#include "allow_list.hpp"

namespace dfx::android::fastboot {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Read buffer: larger than a legal response, so an oversized one is seen and refused rather
// than overflowing the USB transfer.
constexpr std::size_t kReadSize = 512;

}  // namespace

Session::Session(Transport& transport, SessionLimits limits)
    : transport_(transport), limits_(limits) {}

Result<Reply> Session::command(std::string_view cmd) {
  if (!is_allowed(Channel::fastboot, cmd))
    return fail(Errc::denied, "fastboot '" + std::string(cmd.substr(0, 80)) +
                                  "' is not on the read-only allow-list: refused, nothing sent");
  if (cmd.size() > kMaxCommand) return fail(Errc::too_large, "fastboot command too long");
  if (auto st = transport_.write({reinterpret_cast<const uint8_t*>(cmd.data()), cmd.size()},
                                 limits_.io_timeout);
      !st)
    return fail(st.error(), std::string(cmd));

  const auto deadline = Clock::now() + limits_.command_timeout;
  Reply reply;
  std::size_t lines = 0, bytes = 0;
  while (true) {
    if (transport_.should_stop()) return fail(Errc::cancelled, "stopped by the host");
    const auto now = Clock::now();
    if (now >= deadline)
      return fail(Errc::timeout, "'" + std::string(cmd) + "' did not finish within " +
                                     std::to_string(limits_.command_timeout.count()) + " ms");
    const auto wait = std::max(
        std::min(limits_.io_timeout, std::chrono::duration_cast<milliseconds>(deadline - now)),
        milliseconds{1});
    auto got = transport_.read(kReadSize, wait);
    if (!got) {
      if (got.error().code == Errc::timeout) continue;
      return fail(got.error(), std::string(cmd));
    }
    if (got->empty()) {
      if (++lines > limits_.max_lines) return fail(Errc::malformed, "only empty responses");
      continue;  // zero-length packet
    }
    auto r = parse_response(*got);
    if (!r) return fail(r.error(), std::string(cmd));
    switch (r->kind) {
      case ResponseKind::okay:
        reply.value = std::move(r->payload);
        return reply;
      case ResponseKind::fail:
        return fail(Errc::refused, "'" + std::string(cmd) + "' failed: " + r->payload);
      case ResponseKind::data:
        return fail(Errc::unexpected, "'" + std::string(cmd) + "' answered with a data phase");
      case ResponseKind::info:
      case ResponseKind::text:
        if (++lines > limits_.max_lines || (bytes += r->payload.size()) > limits_.max_bytes)
          return fail(Errc::too_large, "'" + std::string(cmd) + "': more than " +
                                           std::to_string(limits_.max_lines) + " lines or " +
                                           std::to_string(limits_.max_bytes) + " bytes");
        (r->kind == ResponseKind::info ? reply.info : reply.text).push_back(std::move(r->payload));
        continue;
    }
  }
}

Result<std::string> Session::getvar(std::string_view name) {
  auto r = command("getvar:" + std::string(name));
  if (!r) return fail(r.error());
  if (r->value.empty()) return fail(Errc::not_found, "getvar:" + std::string(name) + " is empty");
  return std::move(r->value);
}

Result<std::vector<Variable>> Session::getvar_all() {
  auto r = command("getvar:all");
  if (!r) return fail(r.error());
  std::vector<Variable> vars;
  for (const auto& line : r->info)
    if (auto v = parse_getvar_line(line)) vars.push_back(std::move(*v));
  return vars;
}

}  // namespace dfx::android::fastboot
