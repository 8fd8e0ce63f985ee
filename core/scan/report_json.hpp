// The machine-readable form of a scan (schema documented in docs/cli.md, "dfx scan").
#pragma once

#include <nlohmann/json.hpp>

#include "scan/scanner.hpp"

namespace dfx::scan {

inline constexpr const char* kScanSchema = "dfx.scan/1";

/// One device: its facts, overall status and each plugin's outcome with claims.
nlohmann::json device_json(const DeviceReport& device);
/// The whole report: {"schema", "devices": [...], "warnings", "duration_ms"}.
nlohmann::json report_json(const ScanReport& report);

}  // namespace dfx::scan
