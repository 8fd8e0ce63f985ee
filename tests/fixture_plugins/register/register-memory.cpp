// A register held in its settings, for the host's register tests: real plugin, real C ABI, no
// database. Settings:
//   {"records": {"imei:352099001761481": [{"status": "stolen", "reported_at": "2024-03-01",
//                "reporting_party": "...", "reference": "..."}]},
//    "errors": {"imei:...": "reason"},       // answered with report_error
//    "open_error": "why",                    // open fails
//    "fail_batch": "why"}                    // query returns an error without answering
#include <dfx/plugin.hpp>

#include <map>
#include <nlohmann/json.hpp>

namespace {

class MemoryRegister {
 public:
  dfx::sdk::Status open(dfx::sdk::RegisterHost&, std::string_view settings) {
    const auto j = nlohmann::json::parse(settings);  // exceptions are caught by the wrapper
    if (j.contains("open_error"))
      return dfx::sdk::Status::error(DFX_ERR_IO, j["open_error"].get<std::string>());
    if (j.contains("fail_batch")) fail_batch_ = j["fail_batch"].get<std::string>();
    if (j.contains("records"))
      for (const auto& [key, list] : j["records"].items())
        for (const auto& r : list)
          records_[key].push_back({r.value("status", ""), r.value("reported_at", ""),
                                   r.value("reporting_party", ""), r.value("reference", "")});
    if (j.contains("errors"))
      for (const auto& [key, why] : j["errors"].items()) errors_[key] = why.get<std::string>();
    return dfx::sdk::Status::ok();
  }

  dfx::sdk::Status query(dfx::sdk::RegisterHost& host, std::span<const dfx::sdk::Query> batch) {
    if (!fail_batch_.empty()) return dfx::sdk::Status::error(DFX_ERR_IO, fail_batch_);
    for (std::uint32_t i = 0; i < batch.size(); ++i) {
      const std::string key = std::string(batch[i].kind) + ":" + std::string(batch[i].identifier);
      if (auto e = errors_.find(key); e != errors_.end()) {
        host.error(i, e->second);
      } else if (auto r = records_.find(key); r != records_.end()) {
        for (const auto& hit : r->second) host.hit(i, hit);
      } else {
        host.miss(i);
      }
    }
    return dfx::sdk::Status::ok();
  }

 private:
  std::map<std::string, std::vector<dfx::sdk::Hit>> records_;
  std::map<std::string, std::string> errors_;
  std::string fail_batch_;
};

}  // namespace

DFX_REGISTER_PLUGIN(MemoryRegister)
