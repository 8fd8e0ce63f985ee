#include "reply.hpp"

#include <cstdio>

namespace dfx::at {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

// Bare unsolicited result codes (V.250 and 27.007) that carry no prefix character. NO CARRIER is
// the end of a call, which this plugin never starts: it can only be unsolicited here.
constexpr std::string_view kBareUnsolicited[] = {"RING", "NO CARRIER"};

bool is_bare_unsolicited(std::string_view line) {
  for (auto u : kBareUnsolicited)
    if (line == u) return true;
  return false;
}

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_final_result(std::string_view line, Final* final) {
  Final f;
  if (line == "OK") {
    f = Final::ok;
  } else if (line == "ERROR" || line == "COMMAND NOT SUPPORT" || line == "TOO MANY PARAMETERS") {
    f = Final::error;  // the last two: Huawei and ZTE spellings of ERROR
  } else if (line.starts_with("+CME ERROR:") || line == "+CME ERROR") {
    f = Final::cme_error;
  } else if (line.starts_with("+CMS ERROR:") || line == "+CMS ERROR") {
    f = Final::cms_error;
  } else {
    return false;
  }
  if (final) *final = f;
  return true;
}

std::string_view result_code_prefix(std::string_view line) {
  if (line.empty() || std::string_view("+^*%$#").find(line.front()) == std::string_view::npos)
    return {};
  std::size_t i = 1;
  while (i < line.size()) {
    const char c = line[i];
    const bool name = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
    if (!name) break;
    ++i;
  }
  if (i == 1) return {};
  return line.substr(0, i);
}

ReplyAssembler::ReplyAssembler(std::string_view command,
                               std::span<const std::string_view> answer_prefixes,
                               ReplyLimits limits)
    : command_(command), limits_(limits) {
  for (auto p : answer_prefixes)
    if (!p.empty()) prefixes_.emplace_back(p);
}

Result<std::size_t> ReplyAssembler::feed(std::string_view bytes) {
  if (done_ || failed_) return std::size_t{0};
  std::size_t taken = 0;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    ++taken;
    ++bytes_;
    if (bytes_ > limits_.max_bytes) {
      failed_ = true;
      return fail(Errc::too_large, command_ + ": the reply ran past " +
                                       std::to_string(limits_.max_bytes) +
                                       " bytes without a final result");
    }
    if (c == '\r' || c == '\n') {
      if (auto st = end_line(); !st) {
        failed_ = true;
        return fail(st.error());
      }
      if (done_) return taken;
      continue;
    }
    // Text only: a modem's replies are ASCII (UTF-8 in some vendors' strings). Control bytes mean
    // a binary protocol, line noise or a hostile device; better a clear error than a wrong value.
    if ((c < 0x20 && c != '\t') || c == 0x7F) {
      failed_ = true;
      return fail(Errc::malformed, command_ + ": byte " + hex_byte(c) + " at offset " +
                                       std::to_string(bytes_ - 1) +
                                       " of the reply is not text (not an AT modem, or a broken "
                                       "one)");
    }
    line_.push_back(ch);
  }
  return taken;
}

Status ReplyAssembler::end_line() {
  const std::string_view line = trim(line_);
  if (line.empty()) {
    line_.clear();
    return {};  // blank lines: V.250 verbose replies frame every line with "\r\n"
  }
  if (++line_count_ > limits_.max_lines)
    return fail(Errc::too_large, command_ + ": more than " + std::to_string(limits_.max_lines) +
                                     " lines without a final result");
  Final final;
  if (is_final_result(line, &final)) {
    reply_.final = final;
    reply_.final_line = std::string(line);
    done_ = true;
  } else if (iequals(line, command_)) {
    // The echo comes first, once. A second one is a modem stuck echoing (or a loop-back cable),
    // which would otherwise be read until a limit.
    if (reply_.echoed || !reply_.lines.empty())
      return fail(Errc::malformed,
                  command_ + ": the modem echoed the command again instead of answering");
    reply_.echoed = true;
  } else if (is_bare_unsolicited(line)) {
    reply_.unsolicited.emplace_back(line);
  } else if (const auto prefix = result_code_prefix(line); !prefix.empty()) {
    bool ours = false;
    for (const auto& p : prefixes_) ours = ours || iequals(prefix, p);
    if (ours)
      reply_.lines.emplace_back(line);
    else
      reply_.unsolicited.emplace_back(line);
  } else {
    reply_.lines.emplace_back(line);
  }
  line_.clear();
  return {};
}

Result<Reply> parse_reply(std::string_view command, std::span<const std::string_view> prefixes,
                          std::string_view text, ReplyLimits limits) {
  ReplyAssembler a(command, prefixes, limits);
  auto taken = a.feed(text);
  if (!taken) return fail(taken.error());
  if (!a.done()) return fail(Errc::malformed, std::string(command) + ": no final result");
  return a.reply();
}

}  // namespace dfx::at
