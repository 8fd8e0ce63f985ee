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
        char* s = nullptr;
        plist_get_string_val(node, &s);
        out.kind = Value::Kind::String;
        out.text = s ? s : "";
        std::free(s);
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
        char* d = nullptr;
        uint64_t len = 0;
        plist_get_data_val(node, &d, &len);
        out.kind = Value::Kind::Data;
        out.text.assign(d ? d : "", d ? len : 0);
        std::free(d);
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
          out.items.emplace_back(std::move(k), std::move(v));
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
          out.items.emplace_back("", std::move(v));
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
