// hello-register: the smallest register plugin, documenting the register half of the SDK.
//
// A register answers "is this identifier reported stolen, lost...?". The host opens it with its
// settings from the dfx configuration, then sends identifiers in batches, validated and in
// canonical form, only of the kinds the manifest "accepts". Every query gets exactly one answer:
// hits (one per record), a miss, or an error. A query left unanswered counts as an error, never
// as a miss, because a miss is what lets a phone be called clear.
#include <dfx/plugin.hpp>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

class HelloRegister {
 public:
  /// Settings: {"reports": [{"imei", "status", "reported_at", "by", "reference"}...]}.
  dfx::sdk::Status open(dfx::sdk::RegisterHost& host, std::string_view settings_json) {
    const auto settings = nlohmann::json::parse(settings_json, nullptr, /*allow_exceptions=*/false);
    if (!settings.is_object() || !settings.contains("reports") || !settings["reports"].is_array())
      return dfx::sdk::Status::error(DFX_ERR_INVALID_ARGUMENT,
                                     "settings need {\"reports\": [...]}");
    for (const auto& r : settings["reports"]) {
      if (!r.is_object() || !r.contains("imei") || !r["imei"].is_string())
        return dfx::sdk::Status::error(DFX_ERR_INVALID_ARGUMENT, "each report needs an \"imei\"");
      reports_[r["imei"].get<std::string>()].push_back(
          {r.value("status", "other"), r.value("reported_at", ""), r.value("by", ""),
           r.value("reference", "")});
    }
    host.log(DFX_LOG_DEBUG, "hello-register: " + std::to_string(reports_.size()) + " identifiers");
    return dfx::sdk::Status::ok();
  }

  dfx::sdk::Status query(dfx::sdk::RegisterHost& host, std::span<const dfx::sdk::Query> batch) {
    for (std::uint32_t i = 0; i < batch.size(); ++i) {
      const auto it = reports_.find(std::string(batch[i].identifier));
      if (it == reports_.end()) {
        host.miss(i);
        continue;
      }
      for (const auto& hit : it->second) host.hit(i, hit);
    }
    return dfx::sdk::Status::ok();
  }

 private:
  std::map<std::string, std::vector<dfx::sdk::Hit>> reports_;
};

}  // namespace

DFX_REGISTER_PLUGIN(HelloRegister)
