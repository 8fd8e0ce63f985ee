// The dfx command line, run as a user would.
#include <dfx/plugin.h>
#include <gtest/gtest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/run.hpp"

namespace {

using dfx::testing_support::run;
const std::string kDfx = DFX_CLI_PATH;
// The ABI of this build's SDK ("1.1"), and one minor newer, as dfx prints them.
const std::string kHostAbi = std::to_string(DFX_ABI_MAJOR) + "." + std::to_string(DFX_ABI_MINOR);
const std::string kNewerMinor =
    std::to_string(DFX_ABI_MAJOR) + "." + std::to_string(DFX_ABI_MINOR + 1);

std::map<std::string, nlohmann::json> plugins_by_id(const std::string& args, int status = 0) {
  const auto r = run(kDfx + " plugins list --format json " + args);
  EXPECT_EQ(r.status, status) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema"], "dfx.plugins/1");
  std::map<std::string, nlohmann::json> out;
  for (const auto& p : doc["plugins"]) out[p["id"].get<std::string>()] = p;
  return out;
}

TEST(Cli, InTreePluginsAreFoundWithoutFlagsAndLoad) {
  auto p = plugins_by_id("");
  EXPECT_FALSE(p.count("hello-vendor")) << "an SDK sample is not a production plugin";
  for (const char* id : {"usb-generic", "android"}) {
    ASSERT_TRUE(p.count(id)) << id;
    EXPECT_EQ(p[id]["status"], "loaded") << p[id].dump();
    EXPECT_EQ(p[id]["kind"], "device");
    EXPECT_EQ(p[id]["abi"], kHostAbi) << "dfx_add_plugin stamps the SDK's ABI";
    EXPECT_TRUE(p[id]["reason"].is_null());
    EXPECT_TRUE(std::filesystem::exists(p[id]["path"].get<std::string>()));
  }
}

TEST(Cli, EveryBrokenPluginIsRefusedWithItsReasonAndTheRestStillLoad) {
  auto p = plugins_by_id(std::string("--plugin-dir ") + DFX_TEST_PLUGIN_DIR, 3);
  EXPECT_EQ(p["usb-generic"]["status"], "loaded") << "--plugin-dir adds to the installed plugins";
  const std::map<std::string, std::string> refused = {
      {"abi-major", "library reports ABI 2.0 has a different major"},
      {"abi-minor", "library reports ABI " + kNewerMinor + " is newer"},
      {"manifest-abi-major", "manifest declares ABI 2.0 has a different major"},
      {"manifest-abi-minor", "manifest declares ABI 1.99 is newer"},
      {"id-mismatch", "library reports id \"somebody-else\""},
      {"no-entry", "missing entry symbol dfx_plugin_entry"},
      {"declines", "declined to load"},
      {"missing-library", "does not exist"},
      {"invalid-json", "invalid JSON at line 5, column "},
  };
  for (const auto& [id, why] : refused) {
    ASSERT_TRUE(p.count(id)) << id;
    EXPECT_EQ(p[id]["status"], "refused") << id;
    EXPECT_NE(p[id]["reason"].get<std::string>().find(why), std::string::npos) << p[id].dump();
  }
  for (const char* id : {"good", "crash", "hang", "junk", "throws"})
    EXPECT_EQ(p[id]["status"], "loaded") << id;
}

TEST(Cli, RefusalsAreAlsoOneLineEachOnStderrAndTheStatusSaysSo) {
  const auto r = run(kDfx + " plugins list --plugin-dir " DFX_TEST_PLUGIN_DIR);
  EXPECT_EQ(r.status, 3) << "a refused plugin is not a working installation";
  EXPECT_NE(r.err.find("plugin no-entry refused: "), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("refused"), std::string::npos);
  EXPECT_EQ(r.out.find("[warning]"), std::string::npos) << "logs never go to stdout";
}

TEST(Cli, OnlyTheNamedFoldersWithNoDefaultPlugins) {
  auto p = plugins_by_id(std::string("--no-default-plugins --plugin-dir ") + DFX_SAMPLE_PLUGIN_DIR);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p["hello-vendor"]["status"], "loaded");
  EXPECT_EQ(p["hello-register"]["status"], "loaded");
}

TEST(Cli, ValidateChecksAFolderAsTheLoaderWill) {
  const auto good = run(kDfx + " plugins validate --format json " DFX_SAMPLE_PLUGIN_DIR);
  EXPECT_EQ(good.status, 0) << good.err;
  const auto doc = nlohmann::json::parse(good.out);
  ASSERT_EQ(doc["plugins"].size(), 2u) << "only the folder given, not the installed plugins";
  for (const auto& p : doc["plugins"]) EXPECT_EQ(p["status"], "loaded") << p.dump();

  const auto bad = run(kDfx + " plugins validate " DFX_TEST_PLUGIN_DIR);
  EXPECT_EQ(bad.status, 3);
  EXPECT_NE(bad.err.find("plugin id-mismatch refused: "), std::string::npos) << bad.err;
  EXPECT_NE(bad.out.find("library reports id \"somebody-else\""), std::string::npos) << bad.out;

  const auto empty = run(kDfx + " plugins validate /tmp/dfx-no-such-folder");
  EXPECT_EQ(empty.status, 4);
  EXPECT_NE(empty.err.find("no plugin manifest"), std::string::npos) << empty.err;
}

TEST(Cli, VersionHelpAndUsageErrors) {
  auto v = run(kDfx + " --version");
  EXPECT_EQ(v.status, 0);
  EXPECT_NE(v.out.find("dfx 0."), std::string::npos);
  EXPECT_NE(v.out.find("plugin ABI " + kHostAbi + ")"), std::string::npos) << v.out;
  for (const char* cmd : {" --help", " scan --help", " plugins --help", " plugins list --help",
                          " plugins validate --help"}) {
    auto h = run(kDfx + cmd);
    EXPECT_EQ(h.status, 0) << cmd;
    EXPECT_NE(h.out.find("Usage"), std::string::npos) << cmd << h.out;
  }
  EXPECT_EQ(run(kDfx + " frobnicate").status, 2);
  EXPECT_EQ(run(kDfx + " scan --format xml").status, 2);
  EXPECT_EQ(run(kDfx).status, 2);
}

// Plugin settings come from manifests: the Apple plugin declares --apple-pair-records, which
// `plugins list` shows; anything else that looks like one is a usage error naming those that
// exist, before any device is touched.
TEST(Cli, PluginSettingsAreDeclaredByManifestsAndCheckedBeforeAScan) {
  auto p = plugins_by_id("");
  ASSERT_TRUE(p.count("apple"));
  ASSERT_EQ(p["apple"]["settings"].size(), 1u) << p["apple"].dump();
  EXPECT_EQ(p["apple"]["settings"][0]["option"], "--apple-pair-records");
  EXPECT_EQ(p["apple"]["settings"][0]["environment"], "DFX_APPLE_PAIR_RECORDS");
  EXPECT_EQ(p["apple"]["usb"]["configurations"][0]["interface_subclass"], "0xfe");

  const auto unknown = run(kDfx + " scan --apple-pair-recordz /tmp");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("unknown option --apple-pair-recordz (plugin settings: "),
            std::string::npos)
      << unknown.err;
  EXPECT_NE(unknown.err.find("--apple-pair-records"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("--at-modem-read-imsi"), std::string::npos)
      << "every installed plugin's settings are listed: " << unknown.err;
  const auto no_value = run(kDfx + " watch --apple-pair-records");
  EXPECT_EQ(no_value.status, 2);
  EXPECT_NE(no_value.err.find("--apple-pair-records needs a value"), std::string::npos)
      << no_value.err;
  const auto ok = run("cd /tmp && " + kDfx +
                      " -v scan --format json --apple-pair-records=/tmp/a "
                      "--apple-pair-records b --probe-timeout 5000");
  EXPECT_TRUE(ok.status == 0 || ok.status == 3) << ok.err;
  EXPECT_NE(ok.err.find("plugin setting: DFX_APPLE_PAIR_RECORDS=/tmp/a:/tmp/b"), std::string::npos)
      << "repeated, joined, and made absolute for the sandbox: " << ok.err;
}

TEST(Cli, ScanJsonHasTheDocumentedShapeEvenWithNoDevices) {
  // Works on any machine: with no USB (CI) the list is empty; with devices, each has the fields.
  const auto r = run(kDfx + " scan --format json --probe-timeout 5000");
  ASSERT_TRUE(r.status == 0 || r.status == 3) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema"], "dfx.scan/1");
  ASSERT_TRUE(doc["devices"].is_array());
  EXPECT_TRUE(doc["warnings"].is_array());
  for (const auto& d : doc["devices"]) {
    for (const char* k : {"location", "vendor_id", "product_id", "interfaces", "status", "probes"})
      EXPECT_TRUE(d.contains(k)) << k;
  }
}

TEST(Cli, ProbeWorkerRefusesToRunByHand) {
  const auto r = run(std::string(DFX_PROBE_PATH));
  EXPECT_EQ(r.status, 64);
  EXPECT_NE(r.err.find("started by dfx"), std::string::npos) << r.err;
}

}  // namespace
