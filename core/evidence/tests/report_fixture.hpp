// A case made for the report tests: three scanned devices and a check of three identifiers, as
// dfx scan and dfx check record them, with USB transcripts kept per probe (as `dfx scan --case`
// stores them) and per device, and a hostile device whose model is markup.
//
//   record 0  case      OP-2026-117, exhibit EX-3, a note quoting an ICCID
//   record 1  scan      Apple iPhone 12: FLAGGED, every kind of identifier, a transcript per probe
//   record 2  scan      Google Pixel 7: clear, a transcript of the whole device
//   record 3  checkpoint
//   record 4  check     352099001761481 FLAGGED, 490154203237518 clear, =HYPERLINK(...) invalid
//   record 5  checkpoint
//   record 6  scan      Samsung <script>...: unknown, a failed probe, no transcript (chain only)
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/sha256.hpp"
#include "evidence/case_log.hpp"
#include "evidence/workstation_key.hpp"

namespace dfx::evidence::report_fixture {

using nlohmann::json;
namespace fs = std::filesystem;

// Every identifier of the fixture, in full: a redacted report shows none of them.
inline const std::vector<std::string> kIdentifiers = {
    "353908123456789",            // iPhone IMEI
    "3539081234567801",           // iPhone IMEISV
    "A1000012345678",             // iPhone MEID
    "F2LXK0ABCDEF",               // iPhone serial
    "0x1A2B3C4D5E6F7",            // iPhone ECID
    "8944110012345678901",        // iPhone ICCID (also in the case's note)
    "234150123456789",            // iPhone IMSI
    "00008030-001A2B3C4D5E602E",  // iPhone UDID
    "00008030001A2B3C4D5E602E",   // its USB serial number
    "356938035643809",            // Pixel IMEI
    "8XV7N18A14000123",           // Pixel USB serial
    "R58M12345XY",                // Samsung serial
    "352099001761481",            // checked, flagged
    "490154203237518",            // checked, clear
};

inline constexpr const char* kHostileModel = "<script>alert(1)</script>";
// What a transcript holds that a report must never show: data bytes and descriptor text.
inline constexpr const char* kSecretInHex = "4632004c0058004b";
inline constexpr const char* kSecretText = "DESCRIPTOR-TEXT-NOT-SHOWN";

/// Six exchanges: claim, a string descriptor, a control IN, a bulk OUT, a control request the
/// policy refused (never sent), a release.
inline std::string fixture_transcript(const std::string& plugin) {
  const std::vector<json> lines = {
      {{"dfx_transcript", 1},
       {"plugin", {{"id", plugin}, {"version", "1.2.0"}, {"library_sha256", std::string(64, 'b')}}},
       {"device", {{"serial_number", "00008030001A2B3C4D5E602E"}}},
       {"started", "2026-03-01T10:00:00.000Z"}},
      {{"n", 0},
       {"op", "claim"},
       {"at_us", 10},
       {"us", 5},
       {"interface", 0},
       {"status", "ok"},
       {"reached_device", true}},
      {{"n", 1},
       {"op", "string"},
       {"at_us", 20},
       {"us", 300},
       {"index", 3},
       {"text", kSecretText},
       {"status", "ok"},
       {"reached_device", true}},
      {{"n", 2},
       {"op", "control"},
       {"at_us", 400},
       {"us", 250},
       {"request_type", 0x80},
       {"request", 6},
       {"value", 0x0303},
       {"index", 0x0409},
       {"length", 255},
       {"in", kSecretInHex},
       {"status", "ok"},
       {"reached_device", true}},
      {{"n", 3},
       {"op", "bulk"},
       {"at_us", 700},
       {"us", 90},
       {"endpoint", 0x02},
       {"length", 4},
       {"out", "deadbeef"},
       {"status", "ok"},
       {"reached_device", true}},
      {{"n", 4},
       {"op", "control"},
       {"at_us", 800},
       {"us", 1},
       {"request_type", 0x00},
       {"request", 9},
       {"value", 1},
       {"index", 0},
       {"length", 0},
       {"status", "denied"},
       {"message", "SET_CONFIGURATION is not a read"},
       {"reached_device", false}},
      {{"n", 5},
       {"op", "release"},
       {"at_us", 900},
       {"us", 4},
       {"interface", 0},
       {"status", "ok"},
       {"reached_device", true}},
      {{"end", true}, {"exchanges", 6}, {"reached_device", 5}, {"refused", 1}},
  };
  std::string text;
  for (const auto& l : lines) text += l.dump() + "\n";
  return text;
}

/// Writes `text` as transcripts/<sha256>.jsonl of the case and returns the reference a record
/// holds.
inline json store_fixture_transcript(const fs::path& dir, const std::string& text) {
  const std::string sha = dfx::sha256_hex(text);
  const std::string name = "transcripts/" + sha + ".jsonl";
  fs::create_directories(dir / "transcripts");
  std::ofstream(dir / name, std::ios::binary) << text;
  return {{"file", name},   {"sha256", sha},       {"bytes", text.size()},
          {"exchanges", 6}, {"reached_device", 5}, {"refused", 1}};
}

inline json tool(const std::string& plugin) {
  return {{"dfx_version", "0.1.0"},
          {"binaries",
           {{"dfx", {{"path", "/usr/bin/dfx"}, {"sha256", std::string(64, 'a')}}},
            {"dfx-probe", {{"path", "/usr/libexec/dfx-probe"}, {"sha256", std::string(64, 'c')}}}}},
          {"plugins", json::array({{{"id", plugin},
                                    {"version", "1.2.0"},
                                    {"path", "/usr/lib/dfx/plugins/" + plugin + "/lib.so"},
                                    {"sha256", std::string(64, 'b')}}})}};
}

inline json identifier(const std::string& kind, const std::string& value,
                       const std::string& verdict, const std::string& claim,
                       json registers = json::array(), json hits = json::array()) {
  return {{"kind", kind},
          {"canonical", value},
          {"valid", true},
          {"verdict", verdict},
          {"conflict", false},
          {"sources", json::array({{{"plugin", "apple"},
                                    {"claim", claim},
                                    {"value", value},
                                    {"method", "lockdown: " + claim}}})},
          {"hits", hits},
          {"registers", registers}};
}

inline json iphone(const json& transcript) {
  const json answered = json::array({{{"id", "met"},
                                      {"outcome", "hit"},
                                      {"latency_ms", 0.4},
                                      {"asked_at", "2026-03-01T10:00:01.250Z"},
                                      {"answer_sha256", std::string(64, 'e')},
                                      {"error", nullptr}}});
  const json hit = json::array({{{"register", "met"},
                                 {"status", "stolen"},
                                 {"reported_at", "2026-02-01"},
                                 {"reporting_party", "Metropolitan Police"},
                                 {"reference", "CR/2026/77"}}});
  json ids = json::array({identifier("imei", "353908123456789", "flagged", "imei", answered, hit),
                          identifier("imeisv", "3539081234567801", "unknown", "imeisv"),
                          identifier("meid", "A1000012345678", "unknown", "meid"),
                          identifier("serial", "F2LXK0ABCDEF", "unknown", "serial"),
                          identifier("ecid", "0x1A2B3C4D5E6F7", "unknown", "ecid"),
                          identifier("iccid", "8944110012345678901", "unknown", "iccid"),
                          identifier("imsi", "234150123456789", "unknown", "imsi"),
                          identifier("udid", "00008030-001A2B3C4D5E602E", "unknown", "udid")});
  json claims = json::array();
  for (const auto& id : ids)
    claims.push_back({{"kind", id["sources"][0]["claim"]},
                      {"value", id["canonical"]},
                      {"method", id["sources"][0]["method"]},
                      {"plugin", "apple"}});
  claims.push_back(
      {{"kind", "model"}, {"value", "iPhone13,2"}, {"method", "lockdown"}, {"plugin", "apple"}});
  return {
      {"location", "1-4"},
      {"vendor_id", "05ac"},
      {"product_id", "12a8"},
      {"manufacturer", "Apple Inc."},
      {"product", "iPhone 12"},
      {"serial_number", "00008030001A2B3C4D5E602E"},
      {"warnings", json::array()},
      {"status", "ok"},
      {"probes",
       json::array({{{"plugin", "apple"},
                     {"plugin_version", "1.2.0"},
                     {"status", "ok"},
                     {"code", "ok"},
                     {"error", nullptr},
                     {"duration_ms", 812.5},
                     {"claims", claims},
                     {"transcript", transcript}},
                    {{"plugin", "usb-generic"},
                     {"plugin_version", "1.0.0"},
                     {"status", "ok"},
                     {"code", "ok"},
                     {"error", nullptr},
                     {"duration_ms", 3.1},
                     {"claims", json::array()},
                     {"transcript_missing", "no USB transcript: the worker did not send it"}}})},
      {"verdict", "flagged"},
      {"identifiers", ids},
      {"findings", json::array({{{"code", "imei_repeated"},
                                 {"message", "the phone reported IMEI 353908123456789 twice"},
                                 {"plugin", "apple"}}})}};
}

inline json pixel(const json& transcript) {
  json id = identifier(
      "imei", "356938035643809", "clear", "imei",
      json::array({{{"id", "met"}, {"outcome", "miss"}, {"latency_ms", 0.3}, {"error", nullptr}}}));
  id["sources"][0]["plugin"] = "android";
  return {
      {"location", "1-5"},
      {"vendor_id", "18d1"},
      {"product_id", "4ee2"},
      {"manufacturer", "Google"},
      {"product", "Pixel 7"},
      {"serial_number", "8XV7N18A14000123"},
      {"status", "ok"},
      {"probes", json::array({{{"plugin", "android"},
                               {"plugin_version", "1.2.0"},
                               {"status", "ok"},
                               {"code", "ok"},
                               {"error", nullptr},
                               {"claims", json::array({{{"kind", "usb_serial"},
                                                        {"value", "8XV7N18A14000123"},
                                                        {"method", "usb: iSerialNumber"}}})}}})},
      {"transcript", transcript},
      {"verdict", "clear"},
      {"identifiers", json::array({id})},
      {"findings", json::array()}};
}

inline json samsung() {
  json id = identifier("serial", "R58M12345XY", "unknown", "serial");
  id["not_clear"] = "no record, but a serial number cannot show that a phone is not reported";
  return {{"location", "1-6"},
          {"vendor_id", "04e8"},
          {"product_id", "6860"},
          {"manufacturer", "Samsung"},
          {"product", kHostileModel},
          {"serial_number", "R58M12345XY"},
          {"warnings", json::array({"the device's strings could not all be read"})},
          {"status", "error"},
          {"probes", json::array({{{"plugin", "android"},
                                   {"plugin_version", "1.2.0"},
                                   {"status", "error"},
                                   {"code", "timeout"},
                                   {"error", "no answer from R58M12345XY within 30000 ms"},
                                   {"claims", json::array()}}})},
          {"verdict", "unknown"},
          {"identifiers", json::array({id})},
          {"findings",
           json::array({{{"code", "imei_withheld"},
                         {"message", "the phone withheld its IMEI \"><img src=x onerror=alert(2)>"},
                         {"plugin", "android"}}})}};
}

inline json check_results() {
  const auto result = [](const std::string& input, const std::string& verdict, bool valid,
                         json hits) {
    json r = {{"input", input},
              {"identifier", valid ? json{{"kind", "imei"}, {"canonical", input}, {"valid", true}}
                                   : json{{"kind", nullptr},
                                          {"canonical", nullptr},
                                          {"valid", false},
                                          {"error", "not an identifier: it holds a formula"}}},
              {"verdict", verdict},
              {"conflict", false},
              {"hits", hits},
              {"registers", valid ? json::array({{{"id", "met"},
                                                  {"outcome", hits.empty() ? "miss" : "hit"},
                                                  {"latency_ms", 0.2},
                                                  {"error", nullptr}}})
                                  : json::array()}};
    return r;
  };
  return json::array(
      {result("352099001761481", "flagged", true,
              json::array({{{"register", "met"},
                            {"status", "stolen"},
                            {"reported_at", "2024-03-01"},
                            {"reporting_party", "Metropolitan Police"},
                            {"reference", "CR/1"}}})),
       result("490154203237518", "clear", true, json::array()),
       result("=HYPERLINK(\"http://evil.example/\",\"x\")", "invalid", false, json::array())});
}

/// The fixture case in a temporary folder, removed with the object.
class FixtureCase {
 public:
  FixtureCase() {
    std::string tmpl = (fs::temp_directory_path() / "dfx-report-test-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    dir_ = root_ / "case";
    auto key = WorkstationKey::load_or_create(root_ / "keys" / "ws.pem");
    EXPECT_TRUE(key) << key.error().message;
    key_.emplace(std::move(*key));
    auto made = create_case(
        dir_, {"OP-2026-117", "PC 4471 Example", "EX-3", "seized with SIM 8944110012345678901"},
        *key_);
    EXPECT_TRUE(made) << made.error().message;
    transcript_ = fixture_transcript("apple");
    const json apple_ref = store_fixture_transcript(dir_, transcript_);
    const json android_ref = store_fixture_transcript(dir_, fixture_transcript("android"));
    transcript_file_ = apple_ref["file"];
    auto w = CaseWriter::open(dir_);
    EXPECT_TRUE(w) << w.error().message;
    const json warnings = json::array({"ModemManager is running: it may probe phones"});
    append(*w, "scan",
           {{"device", iphone(apple_ref)}, {"warnings", warnings}, {"tool", tool("apple")}});
    append(*w, "scan",
           {{"device", pixel(android_ref)}, {"warnings", warnings}, {"tool", tool("android")}});
    EXPECT_TRUE(w->sign(*key_));
    append(*w, "check", {{"results", check_results()}, {"tool", tool("apple")}});
    EXPECT_TRUE(w->sign(*key_));
    append(*w, "scan",
           {{"device", samsung()}, {"warnings", json::array()}, {"tool", tool("android")}});
  }
  ~FixtureCase() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  FixtureCase(const FixtureCase&) = delete;
  FixtureCase& operator=(const FixtureCase&) = delete;

  [[nodiscard]] const fs::path& dir() const { return dir_; }
  [[nodiscard]] const fs::path& root() const { return root_; }
  [[nodiscard]] fs::path transcript_path() const { return dir_ / transcript_file_; }
  [[nodiscard]] const std::string& transcript() const { return transcript_; }
  WorkstationKey& key() { return *key_; }

 private:
  static void append(CaseWriter& w, const std::string& type, json body) {
    auto r = w.append(type, std::move(body));
    EXPECT_TRUE(r) << r.error().message;
  }

  fs::path root_, dir_;
  std::optional<WorkstationKey> key_;
  std::string transcript_, transcript_file_;
};

}  // namespace dfx::evidence::report_fixture
