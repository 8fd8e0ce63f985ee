#include "session.hpp"

#include <algorithm>

#include "allow_list.hpp"

namespace dfx::at {

Session::Session(Transport& transport, SessionOptions options)
    : transport_(transport), options_(options) {}

Result<Reply> Session::command(std::string_view command, std::chrono::milliseconds timeout) {
  const std::string name(command);
  const AllowedCommand* entry = find_allowed(command);
  if (entry == nullptr)
    return fail(Errc::denied, "refused to send \"" + name.substr(0, 64) +
                                  "\": not on the allow-list (README.md)");
  if (entry->needs_opt_in && !options_.imsi_opted_in)
    return fail(Errc::denied, "refused to send " + name +
                                  ": it reads the subscriber's identity and the examiner did "
                                  "not ask for it (--at-modem-read-imsi yes)");
  if (transport_.should_stop()) return fail(Errc::cancelled, name + ": stopped by the host");

  const std::string line = name + "\r";
  if (auto st = transport_.write({reinterpret_cast<const uint8_t*>(line.data()), line.size()},
                                 options_.write_timeout);
      !st)
    return fail(st.error(), "sending " + name);
  sent_.push_back(name);

  ReplyAssembler assembler(name, entry->answer_prefixes, options_.reply);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!assembler.done()) {
    if (transport_.should_stop()) return fail(Errc::cancelled, name + ": stopped by the host");
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      const auto& r = assembler.reply();
      std::string seen =
          assembler.bytes_taken() == 0 ? "nothing came back"
          : r.echoed && r.lines.empty()
              ? "only its echo came back"
              : std::to_string(assembler.bytes_taken()) + " bytes came back without a final result";
      return fail(Errc::timeout, name + ": no final result within " +
                                     std::to_string(timeout.count()) + " ms (" + seen + ")");
    }
    auto got = transport_.read(options_.read_size, std::min(left, options_.read_slice));
    if (!got) {
      if (got.error().code == Errc::timeout) continue;  // the deadline above decides
      return fail(got.error(), "reading the reply to " + name);
    }
    const std::string_view bytes(reinterpret_cast<const char*>(got->data()), got->size());
    // Bytes after the final result in the same transfer were sent before the next command
    // exists, so they cannot belong to its reply (unsolicited codes): they are dropped.
    if (auto taken = assembler.feed(bytes); !taken) return fail(taken.error());
  }
  return assembler.reply();
}

}  // namespace dfx::at
