#include "registers/register_set.hpp"

#include <map>

#include "ident/identifier.hpp"
#include "plugin_host/loader.hpp"
#include "register_store/builtin_register.hpp"

namespace dfx::registers {
namespace {

std::vector<std::string> every_kind() {
  using ident::Kind;
  std::vector<std::string> out;
  for (Kind k : {Kind::Imei, Kind::Imeisv, Kind::Meid, Kind::Esn, Kind::Iccid, Kind::Imsi,
                 Kind::Eid, Kind::Ecid, Kind::Udid, Kind::Serial})
    out.emplace_back(ident::to_string(k));
  return out;
}

// The built-in sqlite backend as a plugin that is linked in rather than loaded.
std::shared_ptr<const plugin_host::LoadedPlugin> builtin_sqlite() {
  const dfx_plugin_info& info = register_store::builtin_register_info();
  plugin_host::Manifest m;
  m.id = "builtin:" + std::string(kBuiltinSqlite);
  m.name = info.name;
  m.version = info.version;
  m.kind = plugin_host::PluginKind::Register;
  m.abi = {info.abi_major, info.abi_minor};
  for (const char* const* k = info.register_ops->accepted_kinds; *k; ++k)
    m.accepts.emplace_back(*k);
  return std::make_shared<const plugin_host::LoadedPlugin>(std::move(m), nullptr, &info);
}

}  // namespace

RegisterSet RegisterSet::open(const Config& config, const plugin_host::Catalog& catalog) {
  RegisterSet set;
  for (const auto& rc : config.registers) {
    if (!rc.builtin.empty()) {  // parse_config admits only the backends built in
      auto builtin = builtin_sqlite();
      set.versions_.push_back(builtin->manifest().version);
      set.clients_.push_back(RegisterClient::open(std::move(builtin), rc));
      continue;
    }
    const plugin_host::CatalogEntry* entry = catalog.find(rc.plugin);
    // Until the plugin's manifest says otherwise, a register could be asked about anything: a
    // register that cannot be loaded must make every identifier unknown, not drop out unseen.
    std::vector<std::string> accepts = every_kind();
    std::string why;
    if (entry == nullptr || !entry->manifest) {
      why = "register " + rc.id + ": no plugin \"" + rc.plugin + "\" in the plugin folders";
    } else if (entry->manifest->kind != plugin_host::PluginKind::Register) {
      why = "register " + rc.id + ": plugin \"" + rc.plugin + "\" is not a register plugin";
    } else {
      accepts = entry->manifest->accepts;
      if (entry->refused)
        why = "register " + rc.id + ": plugin " + rc.plugin + " refused: " + entry->reason;
    }
    if (why.empty()) {
      // In a worker process of its own: a crash or a hang of the plugin costs its answers only.
      auto client = RegisterClient::open_isolated(*entry->manifest, rc);
      set.versions_.push_back(client->version());
      set.clients_.push_back(std::move(client));
      continue;
    }
    set.versions_.emplace_back();
    set.clients_.push_back(RegisterClient::unavailable(rc, std::move(accepts), std::move(why)));
  }
  return set;
}

std::vector<RegisterStatus> RegisterSet::status() const {
  std::vector<RegisterStatus> out;
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    const auto& c = *clients_[i];
    out.push_back({c.id(), c.backend(), versions_[i], c.accepts(), c.error()});
  }
  return out;
}

bool RegisterSet::accepts(std::string_view kind) const {
  for (const auto& c : clients_)
    if (c->accepts(kind)) return true;
  return false;
}

std::vector<std::vector<Answer>> RegisterSet::query(std::span<const Lookup> lookups) {
  std::vector<std::vector<Answer>> out(lookups.size());
  // Per register: the positions of the lookups it accepts, sent as one batch.
  std::vector<std::vector<std::size_t>> positions(clients_.size());
  for (std::size_t r = 0; r < clients_.size(); ++r) {
    std::vector<Lookup> batch;
    for (std::size_t i = 0; i < lookups.size(); ++i) {
      if (!clients_[r]->accepts(lookups[i].kind)) continue;
      positions[r].push_back(i);
      batch.push_back(lookups[i]);
    }
    clients_[r]->start(batch);  // all registers work at the same time
  }
  for (std::size_t r = 0; r < clients_.size(); ++r) {
    auto answers = clients_[r]->collect();
    for (std::size_t k = 0; k < positions[r].size() && k < answers.size(); ++k)
      out[positions[r][k]].push_back(std::move(answers[k]));
  }
  return out;
}

}  // namespace dfx::registers
