#include "scan/report_json.hpp"

#include <cmath>

namespace dfx::scan {
namespace {

nlohmann::json probe_json(const probe::ProbeOutcome& p) {
  nlohmann::json claims = nlohmann::json::array();
  for (const auto& c : p.claims)
    claims.push_back(
        {{"kind", c.kind}, {"value", c.value}, {"method", c.method}, {"plugin", p.plugin_id}});
  nlohmann::json j = {{"plugin", p.plugin_id},
                      {"status", p.ok ? "ok" : "error"},
                      {"code", p.code},
                      {"error", p.ok ? nlohmann::json(nullptr) : nlohmann::json(p.error)},
                      {"duration_ms", std::round(p.duration_ms * 100) / 100},
                      {"claims", claims}};
  if (p.plugin) j["plugin_version"] = p.plugin->version;
  return j;
}

}  // namespace

nlohmann::json device_json(const DeviceReport& d) {
  nlohmann::json j = d.facts;
  j["status"] = d.status();
  nlohmann::json probes = nlohmann::json::array();
  for (const auto& p : d.probes) probes.push_back(probe_json(p));
  j["probes"] = probes;
  return j;
}

nlohmann::json report_json(const ScanReport& r) {
  nlohmann::json devices = nlohmann::json::array();
  for (const auto& d : r.devices) devices.push_back(device_json(d));
  return {{"schema", kScanSchema},
          {"devices", devices},
          {"warnings", r.warnings},
          {"duration_ms", std::round(r.duration_ms * 100) / 100}};
}

}  // namespace dfx::scan
