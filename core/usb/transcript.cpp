#include "usb/transcript.hpp"

#include <array>
#include <sstream>

#include "base/hex.hpp"

namespace dfx::usb {
namespace {

constexpr std::array<std::string_view, 7> kOps = {"claim",     "release", "control",  "bulk",
                                                  "interrupt", "string",  "configure"};

std::string hex2(unsigned v, int digits) {
  std::string s = "0x";
  for (int i = digits - 1; i >= 0; --i) s.push_back(hex_digit(v >> (4 * i)));
  return s;
}

std::optional<dfx_status> status_named(std::string_view name) {
  for (int s = DFX_OK; s <= DFX_ERR_CANCELLED; ++s)
    if (name == dfx_status_name(static_cast<dfx_status>(s))) return static_cast<dfx_status>(s);
  return std::nullopt;
}

std::optional<std::string> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = digit(text[i]), lo = digit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

// Reads member `name` of `j` as an unsigned integer of at most `max`; absent is `fallback`.
Result<uint64_t> number(const nlohmann::json& j, const char* name, uint64_t max,
                        std::optional<uint64_t> fallback = std::nullopt) {
  const auto it = j.find(name);
  if (it == j.end()) {
    if (fallback) return *fallback;
    return fail(std::string("no \"") + name + "\"");
  }
  if (!it->is_number_unsigned() || it->get<uint64_t>() > max)
    return fail(std::string("\"") + name + "\" is not a number from 0 to " + std::to_string(max));
  return it->get<uint64_t>();
}

Result<std::string> text_member(const nlohmann::json& j, const char* name, bool hex) {
  const auto it = j.find(name);
  if (it == j.end()) return std::string();
  if (!it->is_string()) return fail(std::string("\"") + name + "\" is not a string");
  if (!hex) return it->get<std::string>();
  auto bytes = from_hex(it->get_ref<const std::string&>());
  if (!bytes) return fail(std::string("\"") + name + "\" is not lower-case hex");
  return std::move(*bytes);
}

Result<Exchange> parse_exchange(const nlohmann::json& j, uint32_t expected_n) {
  Exchange e;
  auto n = number(j, "n", UINT32_MAX);
  if (!n) return tl::unexpected(n.error());
  if (*n != expected_n)
    return fail("exchange " + std::to_string(*n) + " where " + std::to_string(expected_n) +
                " was expected");
  e.n = static_cast<uint32_t>(*n);
  const auto op = j.find("op");
  if (op == j.end() || !op->is_string()) return fail("no \"op\"");
  bool known = false;
  for (std::size_t i = 0; i < kOps.size(); ++i)
    if (op->get_ref<const std::string&>() == kOps[i]) {
      e.op = static_cast<UsbOp>(i);
      known = true;
    }
  if (!known) return fail("unknown op \"" + op->get<std::string>() + "\"");
  const auto field = [&](const char* name, uint64_t max, uint64_t fallback) {
    return number(j, name, max, fallback);
  };
  auto at = field("at_us", INT64_MAX, 0), us = field("us", INT64_MAX, 0);
  auto length = field("length", 1u << 24, 0);
  if (!at || !us || !length)
    return tl::unexpected(!at ? at.error() : !us ? us.error() : length.error());
  e.at_us = static_cast<int64_t>(*at);
  e.us = static_cast<int64_t>(*us);
  e.length = static_cast<uint32_t>(*length);
  const char* target = "interface";
  switch (e.op) {
    case UsbOp::control:
      target = "request_type";
      break;
    case UsbOp::bulk:
    case UsbOp::interrupt:
      target = "endpoint";
      break;
    case UsbOp::string:
      target = "index";
      break;
    case UsbOp::configure:
      target = "configuration";
      break;
    default:
      break;
  }
  auto t = number(j, target, 0xFF);
  if (!t) return tl::unexpected(t.error());
  e.target = static_cast<uint8_t>(*t);
  if (e.op == UsbOp::control) {
    auto request = number(j, "request", 0xFF), value = number(j, "value", 0xFFFF),
         index = number(j, "index", 0xFFFF);
    if (!request || !value || !index)
      return tl::unexpected(!request ? request.error() : !value ? value.error() : index.error());
    e.request = static_cast<uint8_t>(*request);
    e.value = static_cast<uint16_t>(*value);
    e.index = static_cast<uint16_t>(*index);
    if (e.length > 0xFFFF) return fail("a control transfer's length is over 65535");
  }
  if (e.op == UsbOp::configure) {
    auto previous = field("previous", 0xFF, 0);
    if (!previous) return tl::unexpected(previous.error());
    e.previous = static_cast<uint8_t>(*previous);
  }
  auto out = text_member(j, "out", true), in = text_member(j, "in", true),
       text = text_member(j, "text", false), message = text_member(j, "message", false);
  if (!out || !in || !text || !message)
    return tl::unexpected(!out    ? out.error()
                          : !in   ? in.error()
                          : !text ? text.error()
                                  : message.error());
  e.out = std::move(*out);
  e.in = std::move(*in);
  e.text = std::move(*text);
  e.message = std::move(*message);
  if (e.out.size() > e.length || e.in.size() > e.length)
    return fail("more bytes than the transfer's length");
  auto transferred = field("transferred", e.length, e.is_in() ? e.in.size() : e.out.size());
  if (!transferred) return tl::unexpected(transferred.error());
  e.transferred = static_cast<uint32_t>(*transferred);
  if (e.is_in() && e.op != UsbOp::string && e.transferred != e.in.size())
    return fail("\"transferred\" disagrees with the bytes in");
  const auto status = j.find("status");
  if (status == j.end() || !status->is_string()) return fail("no \"status\"");
  const auto s = status_named(status->get_ref<const std::string&>());
  if (!s) return fail("unknown status \"" + status->get<std::string>() + "\"");
  e.status = *s;
  const auto reached = j.find("reached_device");
  if (reached == j.end() || !reached->is_boolean() || reached->get<bool>() != e.reached_device())
    return fail("\"reached_device\" is missing or disagrees with the status");
  return e;
}

}  // namespace

std::string_view to_string(UsbOp op) {
  return kOps[static_cast<std::size_t>(op)];
}

bool Exchange::reached_device() const {
  return status != DFX_ERR_DENIED && status != DFX_ERR_INVALID_ARGUMENT;
}

bool Exchange::is_in() const {
  switch (op) {
    case UsbOp::control:
    case UsbOp::bulk:
    case UsbOp::interrupt:
      return (target & 0x80) != 0;
    case UsbOp::string:
      return true;
    default:
      return false;
  }
}

std::string Exchange::describe() const {
  std::ostringstream s;
  switch (op) {
    case UsbOp::control:
      s << "control " << hex2(target, 2) << '/' << hex2(request, 2) << " wValue " << hex2(value, 4)
        << " wIndex " << hex2(index, 4) << " wLength " << length;
      break;
    case UsbOp::bulk:
    case UsbOp::interrupt:
      s << to_string(op) << (is_in() ? " IN " : " OUT ") << hex2(target, 2) << ' ' << length
        << (is_in() ? " bytes asked" : " bytes");
      break;
    case UsbOp::string:
      s << "string descriptor " << static_cast<int>(target);
      break;
    case UsbOp::claim:
    case UsbOp::release:
      s << to_string(op) << " interface " << static_cast<int>(target);
      break;
    case UsbOp::configure:
      s << "configuration " << static_cast<int>(target);
      break;
  }
  return s.str();
}

uint64_t Transcript::reached_device() const {
  uint64_t n = 0;
  for (const auto& e : exchanges) n += e.reached_device() ? 1 : 0;
  return n;
}

uint64_t Transcript::refused() const {
  return exchanges.size() - reached_device();
}

nlohmann::json exchange_json(const Exchange& e) {
  nlohmann::json j = {{"n", e.n}, {"op", to_string(e.op)}, {"at_us", e.at_us}, {"us", e.us}};
  switch (e.op) {
    case UsbOp::control:
      j["request_type"] = e.target;
      j["request"] = e.request;
      j["value"] = e.value;
      j["index"] = e.index;
      j["length"] = e.length;
      break;
    case UsbOp::bulk:
    case UsbOp::interrupt:
      j["endpoint"] = e.target;
      j["length"] = e.length;
      break;
    case UsbOp::string:
      j["index"] = e.target;
      break;
    case UsbOp::claim:
    case UsbOp::release:
      j["interface"] = e.target;
      break;
    case UsbOp::configure:
      j["configuration"] = e.target;
      j["previous"] = e.previous;
      break;
  }
  if ((e.op == UsbOp::control || e.op == UsbOp::bulk || e.op == UsbOp::interrupt) &&
      e.status == DFX_OK)
    j["transferred"] = e.transferred;
  if (!e.out.empty()) j["out"] = to_hex(e.out);
  if (!e.in.empty()) j["in"] = to_hex(e.in);
  if (e.op == UsbOp::string && e.status == DFX_OK) j["text"] = e.text;
  j["status"] = dfx_status_name(e.status);
  if (!e.message.empty()) j["message"] = e.message;
  j["reached_device"] = e.reached_device();
  return j;
}

std::string to_jsonl(const Transcript& t) {
  // Invalid UTF-8 (a string descriptor from a hostile phone) is replaced, never thrown on.
  constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
  nlohmann::json header = t.header.is_object() ? t.header : nlohmann::json::object();
  header["dfx_transcript"] = 1;  // the format's tag, whatever the caller put in the header
  std::string out = header.dump(-1, ' ', false, kReplace) + '\n';
  for (const auto& e : t.exchanges) out += exchange_json(e).dump(-1, ' ', false, kReplace) + '\n';
  const nlohmann::json end = {{"end", true},
                              {"exchanges", t.exchanges.size()},
                              {"reached_device", t.reached_device()},
                              {"refused", t.refused()},
                              {"truncated", t.truncated},
                              {"dropped", t.dropped}};
  return out + end.dump() + '\n';
}

Result<Transcript> parse_transcript(std::string_view text, std::size_t max_bytes) {
  if (text.size() > max_bytes)
    return fail("the transcript is over " + std::to_string(max_bytes >> 20) + " MiB");
  Transcript t;
  std::size_t line_no = 0, pos = 0;
  bool ended = false;
  while (pos < text.size()) {
    const std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos)
      return fail("line " + std::to_string(line_no + 1) + " has no end (a torn transcript)");
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    const std::string where = "transcript line " + std::to_string(line_no) + ": ";
    if (ended) return fail(where + "a line after the end line");
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(where + "not a JSON object");
    if (line_no == 1) {
      const auto v = j.find("dfx_transcript");
      if (v == j.end() || *v != 1) return fail(where + "not a dfx transcript (version 1)");
      t.header = std::move(j);
      continue;
    }
    if (j.contains("end")) {
      auto count = number(j, "exchanges", UINT64_MAX),
           reached = number(j, "reached_device", UINT64_MAX),
           dropped = number(j, "dropped", UINT64_MAX, 0);
      if (!count || !reached || !dropped)
        return fail(where + (!count     ? count.error()
                             : !reached ? reached.error()
                                        : dropped.error())
                                .message);
      if (*count != t.exchanges.size() || *reached != t.reached_device())
        return fail(where + "the end line's counts disagree with the exchanges before it");
      const auto truncated = j.find("truncated");
      t.truncated = truncated != j.end() && truncated->is_boolean() && truncated->get<bool>();
      t.dropped = *dropped;
      ended = true;
      continue;
    }
    auto e = parse_exchange(j, static_cast<uint32_t>(t.exchanges.size()));
    if (!e) return fail(where + e.error().message);
    t.exchanges.push_back(std::move(*e));
  }
  if (line_no == 0) return fail("the transcript is empty");
  if (!ended) return fail("the transcript has no end line (it was cut short)");
  return t;
}

std::optional<std::string> first_request_difference(const Transcript& expected,
                                                    const Transcript& actual) {
  const std::size_t common = std::min(expected.exchanges.size(), actual.exchanges.size());
  for (std::size_t i = 0; i < common; ++i) {
    const Exchange& a = expected.exchanges[i];
    const Exchange& b = actual.exchanges[i];
    const std::string where = "exchange " + std::to_string(i) + ": ";
    if (a.op != b.op || a.target != b.target || a.request != b.request || a.value != b.value ||
        a.index != b.index || a.length != b.length)
      return where + "the transcript has " + a.describe() + ", the replay asked " + b.describe();
    if (a.out != b.out) {
      std::size_t k = 0;
      while (k < a.out.size() && k < b.out.size() && a.out[k] == b.out[k]) ++k;
      return where + a.describe() + ": the bytes sent differ from byte " + std::to_string(k) +
             " (transcript " + std::to_string(a.out.size()) + " bytes, replay " +
             std::to_string(b.out.size()) + ")";
    }
  }
  if (expected.exchanges.size() > common)
    return "exchange " + std::to_string(common) + ": the transcript has " +
           expected.exchanges[common].describe() + ", the replay asked nothing more";
  if (actual.exchanges.size() > common)
    return "exchange " + std::to_string(common) + ": the replay asked " +
           actual.exchanges[common].describe() + " past the transcript's end";
  return std::nullopt;
}

}  // namespace dfx::usb
