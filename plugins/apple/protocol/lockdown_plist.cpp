#include "lockdown_plist.hpp"

#include <plist/plist.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "usbmux.hpp"

namespace dfx::apple::lockdown {
namespace {

using dfx::sdk::Status;

struct PlistFree {
  void operator()(plist_t p) const { plist_free(p); }
};
using PlistPtr = std::unique_ptr<void, PlistFree>;

struct Converter {
  std::size_t nodes = 0;
  std::string problem;

  bool convert(plist_t node, int depth, Value& out) {
    if (++nodes > kMaxNodes) return fail("more than " + std::to_string(kMaxNodes) + " values");
    if (depth > kMaxDepth) return fail("nested deeper than " + std::to_string(kMaxDepth));
    switch (plist_get_node_type(node)) {
      case PLIST_STRING: {
        // By pointer and length: plist_get_string_val asserts (aborts the process) on a string
        // holding a NUL, which a hostile binary plist can carry (found by fuzz_lockdown_plist).
        uint64_t length = 0;
        const char* s = plist_get_string_ptr(node, &length);
        out.kind = Value::Kind::String;
        out.text.assign(s ? s : "", s ? length : 0);
        if (out.text.find('\0') != std::string::npos)
          return fail("a string with a NUL character in it");
        return true;
      }
      case PLIST_UINT: {
        uint64_t v = 0;
        plist_get_uint_val(node, &v);
        out.kind = Value::Kind::Integer;
        out.text = std::to_string(v);
        return true;
      }
      case PLIST_BOOLEAN: {
        uint8_t b = 0;
        plist_get_bool_val(node, &b);
        out.kind = Value::Kind::Boolean;
        out.text = b ? "true" : "false";
        return true;
      }
      case PLIST_DATA: {
        uint64_t length = 0;
        const char* d = plist_get_data_ptr(node, &length);
        out.kind = Value::Kind::Data;
        out.text.assign(d ? d : "", d ? length : 0);
        return true;
      }
      case PLIST_REAL: {
        double v = 0;
        plist_get_real_val(node, &v);
        out.kind = Value::Kind::Real;
        out.text = std::to_string(v);
        return true;
      }
      case PLIST_DATE: {
        int32_t sec = 0, usec = 0;
        plist_get_date_val(node, &sec, &usec);
        out.kind = Value::Kind::Date;
        out.text = std::to_string(sec);
        return true;
      }
      case PLIST_DICT: {
        out.kind = Value::Kind::Dict;
        plist_dict_iter it = nullptr;
        plist_dict_new_iter(node, &it);
        for (;;) {
          char* key = nullptr;
          plist_t child = nullptr;
          plist_dict_next_item(node, it, &key, &child);
          if (child == nullptr) {
            std::free(key);
            break;
          }
          std::string k = key ? key : "";
          std::free(key);
          Value v;
          if (!convert(child, depth + 1, v)) {
            std::free(it);
            return false;
          }
          out.items.push_back({std::move(k), std::move(v)});
        }
        std::free(it);
        return true;
      }
      case PLIST_ARRAY: {
        out.kind = Value::Kind::Array;
        const uint32_t n = plist_array_get_size(node);
        for (uint32_t i = 0; i < n; ++i) {
          Value v;
          if (!convert(plist_array_get_item(node, i), depth + 1, v)) return false;
          out.items.push_back({"", std::move(v)});
        }
        return true;
      }
      default:
        out.kind = Value::Kind::Other;
        return true;
    }
  }
  bool fail(std::string why) {
    problem = std::move(why);
    return false;
  }
};

// libplist 2.2 (Debian 12) asserts, and so aborts the process, when it hands out a string or a
// key holding a NUL character: a binary plist's UTF-16 string with a U+0000 unit, or an XML
// character reference &#0;. A phone could end any reading that way, so such a plist is refused
// before libplist parses it (found by fuzz_lockdown_plist). Anything malformed is left to
// libplist, which refuses it.
uint64_t big_endian(std::span<const uint8_t> b, std::size_t at, std::size_t n) {
  uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v << 8 | b[at + i];
  return v;
}

bool binary_plist_has_nul_character(std::span<const uint8_t> b) {
  if (b.size() < 8 + 32) return false;
  const std::size_t t = b.size() - 32;
  const std::size_t offset_size = b[t + 6];
  const uint64_t objects = big_endian(b, t + 8, 8);
  const uint64_t table = big_endian(b, t + 24, 8);
  if (offset_size < 1 || offset_size > 8 || table >= t || objects > (t - table) / offset_size)
    return false;
  for (uint64_t i = 0; i < objects; ++i) {
    const uint64_t at = big_endian(b, table + i * offset_size, offset_size);
    if (at >= t || (b[at] >> 4) != 0x6) continue;  // 0x6N: a UTF-16 string of N units
    uint64_t units = b[at] & 0x0F;
    uint64_t start = at + 1;
    if (units == 0x0F) {  // the count follows as an integer object 0x1K of 2^K bytes
      if (start >= t || (b[start] >> 4) != 0x1 || (b[start] & 0x0F) > 3) continue;
      const std::size_t n = std::size_t{1} << (b[start] & 0x0F);
      if (start + 1 + n > t) continue;
      units = big_endian(b, start + 1, n);
      start += 1 + n;
    }
    for (uint64_t u = 0; u < units && start + 2 * u + 1 < t; ++u)
      if (b[start + 2 * u] == 0 && b[start + 2 * u + 1] == 0) return true;
  }
  return false;
}

bool xml_has_nul_reference(std::string_view x) {
  for (std::size_t at = x.find("&#"); at != std::string_view::npos; at = x.find("&#", at + 2)) {
    std::size_t i = at + 2;
    const bool hex = i < x.size() && (x[i] == 'x' || x[i] == 'X');
    if (hex) ++i;
    const std::size_t digits = i;
    while (i < x.size() && x[i] == '0') ++i;
    if (i > digits && i < x.size() && x[i] == ';') return true;
  }
  return false;
}

void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

}  // namespace

const Value* Value::find(std::string_view key) const {
  if (kind != Kind::Dict) return nullptr;
  for (const auto& [k, v] : items)
    if (k == key) return &v;
  return nullptr;
}

dfx::sdk::Result<Value> parse(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return Status::error(DFX_ERR_IO, "lockdown: an empty message");
  if (bytes.size() > usbmux::kMaxLockdownMessage)
    return Status::error(DFX_ERR_OVERFLOW, "lockdown: a message over the limit");
  const char* data = reinterpret_cast<const char*>(bytes.data());
  const auto size = static_cast<uint32_t>(bytes.size());
  plist_t raw = nullptr;
  const bool binary = size >= 8 && std::memcmp(data, "bplist00", 8) == 0;
  if (binary ? binary_plist_has_nul_character(bytes) : xml_has_nul_reference({data, bytes.size()}))
    return Status::error(DFX_ERR_IO,
                         "lockdown: the answer has a string with a NUL character in it");
  if (binary) {
    plist_from_bin(data, size, &raw);
  } else {
    std::size_t at = 0;
    while (at < bytes.size() &&
           (data[at] == ' ' || data[at] == '\n' || data[at] == '\r' || data[at] == '\t'))
      ++at;
    if (at == bytes.size() || data[at] != '<')
      return Status::error(DFX_ERR_IO, "lockdown: the answer is neither an XML nor a binary plist");
    plist_from_xml(data, size, &raw);
  }
  PlistPtr owner(raw);
  if (raw == nullptr)
    return Status::error(DFX_ERR_IO, std::string("lockdown: the answer is not a valid ") +
                                         (binary ? "binary" : "XML") + " plist");
  Converter c;
  Value v;
  if (!c.convert(raw, 0, v))
    return Status::error(DFX_ERR_IO, "lockdown: the answer has " + c.problem);
  return v;
}

std::vector<uint8_t> request(std::string_view name,
                             const std::vector<std::pair<std::string, std::string>>& fields) {
  PlistPtr dict(plist_new_dict());
  plist_dict_set_item(dict.get(), "Label", plist_new_string("dfx"));
  plist_dict_set_item(dict.get(), "Request", plist_new_string(std::string(name).c_str()));
  for (const auto& [k, v] : fields)
    plist_dict_set_item(dict.get(), k.c_str(), plist_new_string(v.c_str()));
  char* xml = nullptr;
  uint32_t length = 0;
  plist_to_xml(dict.get(), &xml, &length);
  std::vector<uint8_t> out;
  out.reserve(4 + length);
  put32(out, length);
  out.insert(out.end(), xml, xml + length);
  std::free(xml);
  return out;
}

dfx::sdk::Result<Value> check_answer(Value answer, std::string_view request) {
  if (answer.kind != Value::Kind::Dict)
    return Status::error(DFX_ERR_IO,
                         "lockdown " + std::string(request) + ": the answer is not a dictionary");
  if (const Value* e = answer.find("Error"))
    return Status::error(DFX_ERR_STALL, e->text.empty() ? "error" : e->text);
  const Value* r = answer.find("Request");
  if (r == nullptr || r->text != request)
    return Status::error(DFX_ERR_IO, "lockdown " + std::string(request) + ": the answer is to " +
                                         (r ? "\"" + r->text + "\"" : "no request"));
  return answer;
}

}  // namespace dfx::apple::lockdown
