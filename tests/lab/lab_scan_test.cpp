// End to end in the virtual handset lab: the real dfx, dfx-probe, plugins and libusb against
// umockdev handsets, driven through dfx-lab exactly as the demo and plugin authors use it.
#include <gtest/gtest.h>

#include <dfx/testing/handset.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "support/build_paths.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace {

using dfx::testing_support::run;
using nlohmann::json;

const std::string kLab = DFX_LAB_PATH;
const std::string kDfx = DFX_CLI_PATH;
const std::string kSamples = DFX_SAMPLE_LAB_DIR;
const std::string kAndroid = DFX_ANDROID_HANDSETS_DIR;  // the vendor plugins' sample phones
const std::string kApple = DFX_APPLE_HANDSETS_DIR;
const std::string kMtp = DFX_MTP_HANDSETS_DIR;
const std::string kAtModem = DFX_AT_MODEM_HANDSETS_DIR;
// Every sample handset folder, as the demo plugs them.
const std::string kAllSamples = " --handsets " + kSamples + " --handsets " + kAndroid +
                                " --handsets " + kApple + " --handsets " + kMtp + " --handsets " +
                                kAtModem;
const std::string kHandsets = DFX_TEST_HANDSETS_DIR;

std::string hex4(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "%04x", v);
  return b;
}

const json* find_device(const json& doc, const dfx::testing::HandsetSpec& h) {
  for (const auto& d : doc["devices"])
    if (d["vendor_id"] == hex4(h.usb.vendor_id) && d["product_id"] == hex4(h.usb.product_id) &&
        d["serial_number"] == (h.usb.serial.empty() ? json(nullptr) : json(h.usb.serial.text)))
      return &d;
  return nullptr;
}

std::map<std::string, std::string> claims_of(const json& device, const std::string& plugin) {
  std::map<std::string, std::string> out;
  for (const auto& p : device["probes"])
    if (p["plugin"] == plugin)
      for (const auto& c : p["claims"])
        out[c["kind"].get<std::string>()] = c["value"].get<std::string>();
  return out;
}

const json* probe_of(const json& device, const std::string& plugin) {
  for (const auto& p : device["probes"])
    if (p["plugin"] == plugin) return &p;
  return nullptr;
}

TEST(LabScan, EverySampleHandsetIsListedWithItsDescriptorsStringsAndClaims) {
  auto handsets = dfx::testing::load_handset_directory(kSamples);
  ASSERT_TRUE(handsets) << handsets.error();
  for (const auto& dir : {kAndroid, kApple, kMtp, kAtModem}) {
    auto more = dfx::testing::load_handset_directory(dir);
    ASSERT_TRUE(more) << more.error();
    handsets->insert(handsets->end(), more->begin(), more->end());
  }
  ASSERT_GE(handsets->size(), 15u);
  const auto r = run(kLab + " run" + kAllSamples + " -- " + kDfx + " scan --format json");
  // 6: every handset read, none clear (the default register is empty: every answer unknown).
  ASSERT_EQ(r.status, 6) << r.err;
  const json doc = json::parse(r.out);
  std::size_t phones = 0;
  for (const auto& h : *handsets) {
    SCOPED_TRACE(h.id);
    const json* d = find_device(doc, h);
    ASSERT_NE(d, nullptr) << "not listed: " << r.out;
    EXPECT_EQ((*d)["status"], "ok");
    EXPECT_EQ((*d)["manufacturer"],
              h.usb.manufacturer.empty() ? json(nullptr) : json(h.usb.manufacturer.text));
    EXPECT_EQ((*d)["product"], h.usb.product.empty() ? json(nullptr) : json(h.usb.product.text));
    std::size_t itfs = 0;
    for (const auto& c : h.usb.configurations)
      if (c.value == h.usb.configurations.front().value)
        for (const auto& i : c.interfaces) itfs += i.alt_settings.size();
    EXPECT_EQ((*d)["interfaces"].size(), itfs);
    const auto claims = claims_of(*d, "usb-generic");
    if (!h.usb.serial.empty()) {
      EXPECT_EQ(claims.at("usb_serial"), h.usb.serial.text);
    }
    if (!h.usb.manufacturer.empty()) {
      EXPECT_EQ(claims.at("usb_manufacturer"), h.usb.manufacturer.text);
    }
    if (!h.usb.product.empty()) {
      EXPECT_EQ(claims.at("usb_product"), h.usb.product.text);
    }
    ++phones;
  }
  EXPECT_EQ(doc["devices"].size(), phones)
      << "nothing else than the handsets (hubs are not listed)";
}

TEST(LabScan, AHandsetUnpluggedDuringItsProbeFailsAloneAndTheOthersAreRead) {
  // flaky-phone disconnects when its serial string is read the second time: discovery (host)
  // reads it once, usb-generic (worker) reads it again, mid-scan.
  const auto r =
      run(kLab + " run --handsets " + kAndroid + "/android-pixel-mtp-adb.json --handsets " +
          kHandsets + "/flaky-phone.json --handsets " + kSamples + "/usb-keyboard.json -- " + kDfx +
          " scan --format json --probe-timeout 10000");
  ASSERT_EQ(r.status, 3) << "exit status 3: a device could not be read\n" << r.err;
  const json doc = json::parse(r.out);
  ASSERT_EQ(doc["devices"].size(), 3u) << r.out;
  int errors = 0;
  for (const auto& d : doc["devices"]) {
    const json* p = probe_of(d, "usb-generic");
    ASSERT_NE(p, nullptr);
    if (d["serial_number"] == "FLAKY0001") {
      ++errors;
      EXPECT_EQ(d["status"], "error");
      EXPECT_EQ((*p)["status"], "error");
      EXPECT_NE((*p)["error"].get<std::string>().find("iSerialNumber"), std::string::npos)
          << (*p)["error"];
      // What was read before the phone went away is kept.
      EXPECT_EQ(claims_of(d, "usb-generic").at("usb_manufacturer"), "Flaky Phones Ltd");
    } else {
      EXPECT_EQ(d["status"], "ok") << d.dump();
    }
  }
  EXPECT_EQ(errors, 1);
}

// The real sandbox under umockdev: a hostile plugin (the escape fixture) probing a virtual phone
// holds no descriptor of the phone or of the lab, and still reads the phone through the worker.
TEST(LabScan, APluginHoldsNoDeviceAndReadsItsPhoneOnlyThroughTheWorker) {
  dfx::testing_support::TempDir dir;
  for (const char* file : {"escape.so", "escape.json"})
    std::filesystem::copy_file(std::filesystem::path(DFX_TEST_PLUGIN_DIR) / file,
                               dir.path() / file);
  const auto r =
      run(kLab + " run --handsets " + kAndroid + "/android-pixel-mtp-adb.json -- " + kDfx +
          " scan --format json --no-registers --plugin-dir " + dir.path().string());
  const json doc = json::parse(r.out);
  ASSERT_EQ(doc["devices"].size(), 1u) << r.out << r.err;
  const json* p = probe_of(doc["devices"][0], "escape");
  ASSERT_NE(p, nullptr) << r.out;
  const auto claims = claims_of(doc["devices"][0], "escape");
  const std::string fds = claims.at("x_descriptors");
  EXPECT_EQ(fds.find("/dev/bus/usb"), std::string::npos) << fds;
  EXPECT_EQ(fds.find("umockdev"), std::string::npos) << fds;
  EXPECT_EQ(claims.at("x_device_read"), "18 bytes") << "the worker read the phone for it";
  // umockdev's preload, loaded in the sandbox too, redirects the path to the lab and is refused
  // there; without it the path does not exist: either way the other device is out of reach.
  EXPECT_NE(claims.at("x_other_device"), "ok");
  EXPECT_EQ(claims.at("x_reset"), "Operation not permitted");
  // The other plugins of the same phone read it as before.
  EXPECT_EQ(claims_of(doc["devices"][0], "usb-generic").count("usb_serial"), 1u) << r.out;
}

// A scan recorded in a case: each device's record, with its claims, methods, verdict and the
// tool's hashes, is on disk and the head signed; the case verifies.
TEST(LabWatch, AHotplugSequenceIsSeenInOrder) {
  dfx::testing_support::TempDir dir;
  const std::string env =
      "HOME=" + dir.path().string() + " XDG_DATA_HOME=" + dir.path().string() + " ";
  const std::string case_dir = (dir.path() / "case").string();
  ASSERT_EQ(
      run(env + kDfx + " case new " + case_dir + " --case-id DEPOT-1 --operator bench").status, 0);
  const auto r =
      run(env + kLab + " run --handsets " + kAndroid + "/android-pixel-mtp-adb.json --handsets " +
          kApple + "/iphone-recovery.json --hotplug " + kHandsets + "/sequence.hotplug -- " + kDfx +
          " watch --format jsonl --max-events 4 --duration 20000 --case " + case_dir);
  // 0, or 3 when a slow machine (a sanitizer build) was still probing a phone as it left: the
  // order of events is what this test is about; reading whole handsets is covered by LabScan.
  ASSERT_TRUE(r.status == 0 || r.status == 3) << r.status << r.err;
  std::vector<std::string> seen;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const json e = json::parse(line);
    const std::string id = e["event"] == "arrived" ? e["device"]["vendor_id"].get<std::string>()
                                                   : e["vendor_id"].get<std::string>();
    seen.push_back(e["event"].get<std::string>() + " " + id);
    if (e["event"] == "arrived") {
      EXPECT_NE(e["device"]["status"], "unprobed") << line;
    }
    if (e["event"] == "left") {
      EXPECT_FALSE(e["serial_number"].is_null()) << "a departure names the phone: " << line;
    }
  }
  const std::vector<std::string> expected = {"arrived 18d1", "left 18d1", "arrived 05ac",
                                             "left 05ac"};
  EXPECT_EQ(seen, expected) << r.out << r.err;
  // With --case every event shown was recorded first, in the same order.
  std::ifstream in(dir.path() / "case" / "case.jsonl");
  std::vector<std::string> recorded;
  for (std::string l; std::getline(in, l);) {
    const json rec = json::parse(l);
    if (rec["type"] != "watch") continue;
    recorded.push_back(rec["event"].get<std::string>() + " " +
                       (rec["event"] == "arrived" ? rec["device"]["vendor_id"] : rec["vendor_id"])
                           .get<std::string>());
  }
  EXPECT_EQ(recorded, expected);
  EXPECT_EQ(run(kDfx + " case verify " + case_dir).status, 0);
}

TEST(Lab, ListDescribesTheCatalogue) {
  const auto r = run(kLab + " list" + kAllSamples + " --format json");
  ASSERT_EQ(r.status, 0) << r.err;
  const json doc = json::parse(r.out);
  ASSERT_GE(doc.size(), 15u);
  bool pixel = false, iphone = false;
  for (const auto& h : doc) {
    pixel |= h["id"] == "android-pixel-mtp-adb" && h["usb_id"] == "18d1:4ee2";
    iphone |= h["id"] == "iphone-normal-paired" && h["usb_id"] == "05ac:12a8";
  }
  EXPECT_TRUE(pixel) << r.out;
  EXPECT_TRUE(iphone) << r.out;
}

TEST(Lab, PassesTheCommandsExitStatusAndExplainsBadInput) {
  EXPECT_EQ(run(kLab + " run --handsets " + kSamples + " -- sh -c 'exit 7'").status, 7);
  const auto bad = run(kLab + " run --handsets /nonexistent.json -- true");
  EXPECT_EQ(bad.status, 70);
  EXPECT_NE(bad.err.find("/nonexistent.json"), std::string::npos) << bad.err;
  const auto script = run(kLab + " run --handsets " + kSamples + " --hotplug " + kHandsets +
                          "/bad.hotplug -- true");
  EXPECT_EQ(script.status, 70);
  EXPECT_NE(script.err.find("bad.hotplug:2: unknown action \"yank\""), std::string::npos)
      << script.err;
}

TEST(Lab, RealLsusbSeesTheVirtualHandsets) {
  // Fidelity through a third-party libusb client: lsusb -v prints our descriptors and strings.
  const auto r = run(kLab + " run --handsets " + kAndroid + " -- lsusb -v -d 18d1:4ee2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("idVendor           0x18d1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ADB Interface"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bInterfaceSubClass     66"), std::string::npos) << r.out;
}

// Two plugins read one phone's IMEI: the older Samsung's MTP serial number (mtp) and its modem
// (at-modem). Where they agree the IMEI is one identifier with both sources and the phone can be
// clear; where they share no IMEI (tests/lab/handsets/samsung-imei-disagreement.json) the core
// says so and the phone is never clear, though each IMEI on its own is a miss.
TEST(LabScan, ImeisReadByMtpAndByTheModemAreHeldAgainstEachOther) {
  dfx::testing_support::TempDir dir;
  const std::string env = "HOME=" + dir.path().string() + " ";
  const std::string db = (dir.path() / "register.sqlite").string();
  {
    std::ofstream csv(dir.path() / "reports.csv");
    csv << "identifier,status,reported_at,source,reference\n"
           "353911101234566,stolen,2025-01-02,Test police,T-1\n";  // another phone's
  }
  ASSERT_EQ(run(env + kDfx + " register import --register-db " + db + " " +
                (dir.path() / "reports.csv").string())
                .status,
            0);
  const auto r =
      run(env + kLab + " run --handsets " + kAtModem + "/samsung-gt-i9100-modem.json --handsets " +
          kHandsets + "/samsung-imei-disagreement.json -- " + kDfx +
          " scan --format json --register-db " + db);
  const json doc = json::parse(r.out);
  ASSERT_EQ(doc["devices"].size(), 2u) << r.out << r.err;
  for (const auto& d : doc["devices"]) {
    SCOPED_TRACE(d["serial_number"].dump());
    EXPECT_EQ(d["status"], "ok") << d.dump(2);
    std::vector<std::string> codes;
    for (const auto& f : d["findings"]) codes.push_back(f["code"].get<std::string>());
    const bool disagree = std::find(codes.begin(), codes.end(), "imei_disagreement") != codes.end();
    std::vector<json> imeis;
    for (const auto& id : d["identifiers"])
      if (id["kind"] == "imei") imeis.push_back(id);
    if (d["serial_number"] == "DISAGREE0000001") {
      EXPECT_TRUE(disagree) << d["findings"].dump(2);
      ASSERT_EQ(imeis.size(), 2u) << d["identifiers"].dump(2);
      for (const auto& id : imeis) EXPECT_EQ(id["verdict"], "clear") << "each IMEI is a miss";
      EXPECT_EQ(d["verdict"], "unknown") << "but which is the phone's is not certain";
    } else {
      EXPECT_FALSE(disagree) << d["findings"].dump(2);
      ASSERT_EQ(imeis.size(), 1u) << d["identifiers"].dump(2);
      std::set<std::string> plugins;
      for (const auto& s : imeis[0]["sources"]) plugins.insert(s["plugin"].get<std::string>());
      EXPECT_EQ(plugins, (std::set<std::string>{"at-modem", "mtp"}))
          << "one IMEI, read two ways: " << imeis[0]["sources"].dump(2);
      EXPECT_EQ(imeis[0]["canonical"], "352605053141594");
    }
  }
}

}  // namespace
