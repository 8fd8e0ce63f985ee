// Harnesses for plugin authors: run a device plugin against virtual handsets, or a register
// plugin against identifiers, through the real dfx programs (dfx-lab plugs the handsets, dfx scan
// probes them in its isolated workers, dfx check asks the register), so that a test exercises
// exactly what a technician's run does: manifest, loader, worker, limits, normalization.
//
//     dfx::testing::LabScan scan;
//     scan.handsets = {HANDSETS_DIR "/my-phone.json"};
//     scan.plugin_dirs = {MY_PLUGIN_DIR};
//     scan.only_plugins = {"my-vendor"};
//     auto r = dfx::testing::scan_in_lab(scan);
//     ASSERT_TRUE(r) << r.error();
//     EXPECT_EQ(r->claims("my-vendor").at(0).value, "353911101234566");
//
// The programs are found in $DFX_BIN_DIR, else in the bin folder beside the kit's library
// (<prefix>/bin for an installed SDK, <build>/bin in the dfx tree). The tests using these
// harnesses need no umockdev preload of their own: dfx-lab sets it up.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

namespace dfx::testing {

/// Where dfx, dfx-probe and dfx-lab are.
std::filesystem::path dfx_bin_dir();

/// How a program ended and what it printed.
struct ProgramRun {
  int exit_status = -1;  ///< the exit status; -1 when it was killed or died on a signal
  std::string out;       ///< stdout
  std::string err;       ///< stderr
};

/// Runs `program` ("dfx", "dfx-lab" or a path) with `args` and the process environment plus
/// `env`, killing it after `timeout`. Fails only when it could not be started.
tl::expected<ProgramRun, std::string> run_program(
    const std::string& program, const std::vector<std::string>& args,
    const std::map<std::string, std::string>& env = {},
    std::chrono::seconds timeout = std::chrono::seconds(120));

/// Imports `csv` (dfx's register CSV: identifier,status,reported_at,source,reference,notes) into
/// the SQLite register `db` with `dfx register import`, HOME set to `home` so that nothing of the
/// user's is read. For lab tests that check a plugin's readings against a register they fill.
/// Fails with dfx's output when the import does.
tl::expected<void, std::string> import_register(const std::filesystem::path& db,
                                                const std::string& csv,
                                                const std::filesystem::path& home);

/// One claim as dfx reported it.
struct ReportedClaim {
  std::string kind;
  std::string value;
  std::string method;
};

/// What to scan in the lab.
struct LabScan {
  std::vector<std::filesystem::path> handsets;  ///< handset files or folders (dfx-lab --handsets)
  std::vector<std::filesystem::path>
      plugin_dirs;                        ///< plugin folders besides the defaults (--plugin-dir)
  std::vector<std::string> only_plugins;  ///< run only these plugins (dfx scan --plugin)
  std::vector<std::filesystem::path>
      emulator_dirs;                   ///< emulator module folders (dfx-lab --emulators)
  bool registers = false;              ///< ask the configured registers (default: --no-registers)
  std::vector<std::string> scan_args;  ///< more dfx scan arguments
  std::map<std::string, std::string> env;  ///< environment additions
  std::chrono::seconds timeout{120};
};

/// What came back.
struct LabScanResult {
  /// dfx scan's exit status (see dfx scan --help). Without registers (the default) nothing can
  /// be clear: a device read completely gives 6, one whose probe failed 3.
  int exit_status = -1;
  nlohmann::json report;  ///< the `dfx scan --format json` document
  std::string log;        ///< what dfx-lab and dfx wrote to stderr

  /// The devices whose USB serial number is `serial` (every device when empty).
  std::vector<const nlohmann::json*> devices(std::string_view serial = {}) const;
  /// The result of `plugin` on the device with that serial ({"plugin", "status", "claims"...}),
  /// or nullptr.
  const nlohmann::json* probe(std::string_view plugin, std::string_view serial = {}) const;
  /// The claims `plugin` made about the device with that serial, in order.
  std::vector<ReportedClaim> claims(std::string_view plugin, std::string_view serial = {}) const;
  /// The first claim of `kind` by `plugin`, or "" when there is none.
  std::string claim(std::string_view plugin, std::string_view kind,
                    std::string_view serial = {}) const;
  /// The first claim of `kind` by `plugin` with its method, or nullopt when there is none.
  std::optional<ReportedClaim> find_claim(std::string_view plugin, std::string_view kind,
                                          std::string_view serial = {}) const;
  /// The first device whose USB serial number is `serial`, or nullptr.
  const nlohmann::json* device(std::string_view serial) const;
};

/// The first finding of `device` (one of a report's "devices") with this code
/// ({"code", "message", "plugin"}), or nullptr.
const nlohmann::json* find_finding(const nlohmann::json& device, std::string_view code);

/// The entry of `device` (one of a report's "devices") for the identifier whose canonical form
/// is `canonical` ({"kind", "canonical", "verdict", "hits", "registers"...}), or nullptr.
const nlohmann::json* find_identifier(const nlohmann::json& device, std::string_view canonical);

/// Plugs the handsets into a lab, runs `dfx scan --format json` in it and returns the report.
/// Fails when the programs could not run or printed no report (the log says why).
tl::expected<LabScanResult, std::string> scan_in_lab(const LabScan& scan);

/// A register plugin to ask.
struct RegisterQuery {
  std::filesystem::path plugin_dir;  ///< folder with the plugin's manifest and library
  std::string plugin;                ///< its id
  nlohmann::json settings = nlohmann::json::object();  ///< the register's settings
  std::vector<std::string> identifiers;  ///< values as a user types them ("IMEI: 35-...")
  std::chrono::milliseconds register_timeout{10000};  ///< the register's timeout_ms
  bool network = false;                  ///< the register's "network" (a remote service)
  std::vector<std::string> environment;  ///< the register's "environment" grants
  std::vector<std::string> files;        ///< the register's "files" grants
  /// Variables set for dfx check, besides the test's own (a service's secret)
  std::map<std::string, std::string> env;
  std::chrono::seconds timeout{120};
};

/// One register's answer about one identifier.
struct RegisterAnswer {
  std::string input;      ///< the value as given
  std::string canonical;  ///< its canonical form ("" when it was invalid and never asked)
  std::string verdict;    ///< flagged, clear, unknown or invalid
  std::string outcome;    ///< hit, miss or error ("" when not asked)
  nlohmann::json hits = nlohmann::json::array();  ///< the records ({"status", "reported_at"...})
  std::string error;                              ///< why, when the outcome is error
};

/// What came back.
struct RegisterQueryResult {
  int exit_status = -1;                 ///< dfx check's exit status
  std::vector<RegisterAnswer> answers;  ///< one per identifier, in order
  std::string log;                      ///< what dfx wrote to stderr
};

/// Asks the register plugin about the identifiers through `dfx check`, with a configuration
/// naming only it.
tl::expected<RegisterQueryResult, std::string> query_register(const RegisterQuery& query);

}  // namespace dfx::testing
