// The built-in "sqlite" register: the local SQLite file filled with `dfx register import`, served
// through the same register interface (the SDK's C ABI) as register plugins, so that the host
// treats both alike: timeouts, answer checks, fail-closed verdicts. Answers each identifier with
// its records (hits), a miss, or an error; a register that nothing was imported into answers
// errors, never misses, since a miss is what lets a device be called clear.
#include "register_store/builtin_register.hpp"
#include "base/version.hpp"

#include <dfx/plugin.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "register_store/location.hpp"
#include "register_store/register_store.hpp"

namespace {

using dfx::sdk::Query;
using dfx::sdk::RegisterHost;
using dfx::sdk::Status;

// Queries looked up between two should_stop() checks: large enough that the check costs
// nothing, small enough that a deadline is noticed within milliseconds.
constexpr std::size_t kChunk = 4096;

bool stored_kind(std::string_view kind) {
  return std::find(dfx::register_store::kStoredKinds.begin(),
                   dfx::register_store::kStoredKinds.end(),
                   kind) != dfx::register_store::kStoredKinds.end();
}

class SqliteRegister {
 public:
  /// Settings: {"path": "/path/to/register.sqlite"} (optional; default $DFX_REGISTER_DB, else
  /// the XDG data folder). Any other key is an error, so that a typo is not silently ignored.
  Status open(RegisterHost& host, std::string_view settings_json) {
    nlohmann::json settings;
    try {
      settings = nlohmann::json::parse(settings_json);
    } catch (const nlohmann::json::parse_error& e) {
      return Status::error(DFX_ERR_INVALID_ARGUMENT,
                           std::string("sqlite register settings are not JSON: ") + e.what());
    }
    if (!settings.is_object())
      return Status::error(DFX_ERR_INVALID_ARGUMENT,
                           "sqlite register settings must be a JSON object such as "
                           "{\"path\": \"/srv/dfx/register.sqlite\"}");
    std::string path;
    for (const auto& [key, value] : settings.items()) {
      if (key != "path")
        return Status::error(
            DFX_ERR_INVALID_ARGUMENT,
            "sqlite register settings: unknown key \"" + key + "\" (the only setting is \"path\")");
      if (!value.is_string() || value.get_ref<const std::string&>().empty())
        return Status::error(DFX_ERR_INVALID_ARGUMENT,
                             "sqlite register settings: \"path\" must be a non-empty string");
      path = value.get<std::string>();
    }
    auto where = dfx::register_store::resolve_register_path(path);
    if (!where) return Status::error(DFX_ERR_INVALID_ARGUMENT, where.error().message);
    // Read-only: a check creates nothing and never waits for an importer.
    auto store = dfx::register_store::RegisterStore::open_for_reading(*where);
    if (!store)
      return Status::error(DFX_ERR_IO,
                           "opening register " + where->string() + ": " + store.error().message);
    store_.emplace(std::move(*store));
    host.log(DFX_LOG_DEBUG, "sqlite register: opened " + where->string());
    return Status::ok();
  }

  Status query(RegisterHost& host, std::span<const Query> batch) {
    const std::string path = store_->path().string();
    auto empty = store_->empty();
    if (!empty || *empty) {
      const std::string why =
          !empty ? "register " + path + " is unreadable: " + empty.error().message
                 : "register " + path +
                       " is empty: nothing has been imported (dfx register import FILE)";
      return answer_all_with_error(host, batch, 0, why);
    }
    std::vector<dfx::register_store::LookupKey> keys;
    std::vector<std::uint32_t> index;  // position in `batch` of each key
    std::vector<char> hit;
    for (std::size_t base = 0; base < batch.size(); base += kChunk) {
      if (host.should_stop())
        return answer_all_with_error(host, batch, base,
                                     "the deadline passed before the sqlite register looked it up");
      const std::size_t end = std::min(batch.size(), base + kChunk);
      keys.clear();
      index.clear();
      for (std::size_t i = base; i < end; ++i) {
        if (!stored_kind(batch[i].kind)) {
          if (auto st = host.error(static_cast<std::uint32_t>(i),
                                   "the sqlite register does not hold identifiers of kind \"" +
                                       std::string(batch[i].kind) + "\"");
              !st)
            return st;
          continue;
        }
        keys.push_back({batch[i].kind, batch[i].identifier});
        index.push_back(static_cast<std::uint32_t>(i));
      }
      hit.assign(keys.size(), 0);
      Status report_failed = Status::ok();
      std::size_t last_hit = keys.size();
      auto looked_up =
          store_->lookup(keys, [&](std::size_t k, const dfx::register_store::RecordView& r) {
            hit[k] = 1;
            last_hit = k;
            if (!report_failed) return;
            auto st =
                host.hit(index[k], dfx::sdk::Hit{std::string(r.status), std::string(r.reported_at),
                                                 std::string(r.source), std::string(r.reference)});
            if (!st) report_failed = st;
          });
      if (!report_failed) return report_failed;
      if (!looked_up) {
        // The key being read when it failed may have only some of its records: an error too
        // (a query answered both ways counts as an error).
        if (last_hit < keys.size()) hit[last_hit] = 0;
        const std::string why = "register " + path + ": " + looked_up.error().message;
        for (std::size_t k = 0; k < keys.size(); ++k)
          if (!hit[k])
            if (auto st = host.error(index[k], why); !st) return st;
        continue;
      }
      for (std::size_t k = 0; k < keys.size(); ++k)
        if (!hit[k])
          if (auto st = host.miss(index[k]); !st) return st;
    }
    return Status::ok();
  }

 private:
  static Status answer_all_with_error(RegisterHost& host, std::span<const Query> batch,
                                      std::size_t from, const std::string& why) {
    for (std::size_t i = from; i < batch.size(); ++i)
      if (auto st = host.error(static_cast<std::uint32_t>(i), why); !st) return st;
    return Status::ok();
  }

  std::optional<dfx::register_store::RegisterStore> store_;
};

}  // namespace

namespace dfx::register_store {

const dfx_plugin_info& builtin_register_info() {
  // The kinds the store keeps, NULL-terminated for the C interface (string literals, so .data()
  // is NUL-terminated).
  static const auto kinds = [] {
    std::array<const char*, kStoredKinds.size() + 1> out{};
    for (std::size_t i = 0; i < kStoredKinds.size(); ++i) out[i] = kStoredKinds[i].data();
    return out;
  }();
  return dfx::sdk::detail::register_plugin_info<SqliteRegister>(
      kBuiltinRegisterId, dfx::kVersion, "Local SQLite register (built in)", kinds.data());
}

}  // namespace dfx::register_store
