#include "pair_record.hpp"

#include <cctype>

#include "lockdown_plist.hpp"

namespace dfx::apple {
namespace {

using dfx::sdk::Status;

}  // namespace

dfx::sdk::Result<PairRecord> parse_pair_record(std::span<const uint8_t> bytes) {
  auto v = lockdown::parse(bytes);
  if (!v) return Status::error(v.status().code(), "pair record: " + v.status().message());
  if (v->kind != lockdown::Value::Kind::Dict)
    return Status::error(DFX_ERR_IO, "pair record: not a dictionary");
  PairRecord r;
  struct Field {
    const char* key;
    lockdown::Value::Kind kind;
    std::string* out;
  };
  const Field fields[] = {
      {"HostID", lockdown::Value::Kind::String, &r.host_id},
      {"SystemBUID", lockdown::Value::Kind::String, &r.system_buid},
      {"HostCertificate", lockdown::Value::Kind::Data, &r.host_certificate},
      {"HostPrivateKey", lockdown::Value::Kind::Data, &r.host_private_key},
      {"DeviceCertificate", lockdown::Value::Kind::Data, &r.device_certificate},
      {"RootCertificate", lockdown::Value::Kind::Data, &r.root_certificate},
  };
  for (const auto& f : fields) {
    const auto* item = v->find(f.key);
    if (item == nullptr) return Status::error(DFX_ERR_IO, std::string("pair record: no ") + f.key);
    if (item->kind != f.kind || item->text.empty())
      return Status::error(DFX_ERR_IO,
                           std::string("pair record: ") + f.key + " is not " +
                               (f.kind == lockdown::Value::Kind::Data ? "data" : "a string"));
    *f.out = item->text;
  }
  return r;
}

bool valid_udid(std::string_view u) {
  const auto hex = [](std::string_view s) {
    for (const char c : s)
      if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return !s.empty();
  };
  if (u.size() == 24 || u.size() == 40) return hex(u);
  return u.size() == 25 && u[8] == '-' && hex(u.substr(0, 8)) && hex(u.substr(9));
}

}  // namespace dfx::apple
