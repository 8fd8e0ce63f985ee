// Cases in the virtual handset lab: what a scan records (with the USB transcript of every probe),
// replaying those readings without the phones, and what a changed transcript does to a replay.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "support/build_paths.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace {

using dfx::testing_support::run;
using nlohmann::json;
namespace fs = std::filesystem;

const std::string kLab = DFX_LAB_PATH;
const std::string kDfx = DFX_CLI_PATH;
const std::string kAndroid = DFX_ANDROID_HANDSETS_DIR;
const std::string kApple = DFX_APPLE_HANDSETS_DIR;

std::vector<json> records_of(const fs::path& case_dir) {
  std::ifstream in(case_dir / "case.jsonl");
  std::vector<json> records;
  for (std::string l; std::getline(in, l);) records.push_back(json::parse(l));
  return records;
}

// The transcript file of `plugin`'s probe of the device `usb_id` ("05ac:1281") in a scan record.
fs::path transcript_of(const fs::path& case_dir, const std::string& usb_id,
                       const std::string& plugin, uint64_t* seq = nullptr) {
  for (const auto& r : records_of(case_dir)) {
    if (r["type"] != "scan") continue;
    const auto& d = r["device"];
    if (d["vendor_id"].get<std::string>() + ":" + d["product_id"].get<std::string>() != usb_id)
      continue;
    for (const auto& p : d["probes"])
      if (p["plugin"] == plugin && p.contains("transcript")) {
        if (seq) *seq = r["seq"].get<uint64_t>();
        return case_dir / p["transcript"]["file"].get<std::string>();
      }
  }
  return {};
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A case holding a lab scan of an Android phone (ADB), an iPhone in Recovery and an unpaired
// iPhone in normal mode (usbmux and lockdown), recorded with their transcripts.
struct RecordedScan {
  dfx::testing_support::TempDir dir;
  std::string env = "HOME=" + dir.path().string() + " XDG_DATA_HOME=" + dir.path().string() + " ";
  fs::path case_dir = dir.path() / "case";
  dfx::testing_support::RunResult scan;
  RecordedScan() {
    run(env + kDfx + " case new " + case_dir.string() + " --case-id LAB-2 --operator bench");
    scan = run(env + kLab + " run --handsets " + kApple + "/iphone-recovery.json --handsets " +
               kApple + "/iphone-normal.json --handsets " + kAndroid +
               "/android-pixel-mtp-adb.json -- " + kDfx +
               " scan --format json --no-registers --case " + case_dir.string());
  }
};

TEST(LabCase, AScanIsRecordedInACaseThatVerifies) {
  dfx::testing_support::TempDir dir;
  const std::string env =
      "HOME=" + dir.path().string() + " XDG_DATA_HOME=" + dir.path().string() + " ";
  const std::string case_dir = (dir.path() / "case").string();
  ASSERT_EQ(run(env + kDfx + " case new " + case_dir + " --case-id LAB-1 --operator bench").status,
            0);
  const auto r =
      run(env + kLab + " run --handsets " + kApple + "/iphone-recovery.json --handsets " +
          kAndroid + "/android-pixel-mtp-adb.json -- " + kDfx +
          " scan --format json --no-registers --case " + case_dir);
  ASSERT_EQ(r.status, 6) << r.err;
  std::ifstream in(dir.path() / "case" / "case.jsonl");
  std::vector<json> records;
  for (std::string l; std::getline(in, l);) records.push_back(json::parse(l));
  ASSERT_EQ(records.size(), 4u) << "the case, two devices, the checkpoint";
  std::map<std::string, json> by_vendor;
  for (const auto& rec : records)
    if (rec["type"] == "scan") by_vendor[rec["device"]["vendor_id"].get<std::string>()] = rec;
  ASSERT_EQ(by_vendor.size(), 2u);
  const json& iphone = by_vendor["05ac"];
  bool imei = false;
  for (const auto& p : iphone["device"]["probes"])
    for (const auto& c : p["claims"])
      imei |= c["kind"] == "imei" && c["value"] == "353908123456789" &&
              c["method"].get<std::string>().find("IMEI field") != std::string::npos;
  EXPECT_TRUE(imei) << iphone.dump(2);
  EXPECT_EQ(iphone["device"]["verdict"], "unknown");
  bool apple_hashed = false;
  for (const auto& p : iphone["tool"]["plugins"])
    apple_hashed |= p["id"] == "apple" && p["sha256"].get<std::string>().size() == 64;
  EXPECT_TRUE(apple_hashed) << iphone["tool"].dump(2);
  EXPECT_EQ(records.back()["type"], "checkpoint");
  const auto v = run(kDfx + " case verify " + case_dir);
  EXPECT_EQ(v.status, 0) << v.out << v.err;
}

TEST(LabCase, EveryProbeKeepsItsTranscriptAndTheRecordSaysWhatReachedThePhone) {
  RecordedScan s;
  ASSERT_EQ(s.scan.status, 6) << s.scan.err;
  int probes = 0;
  for (const auto& r : records_of(s.case_dir)) {
    if (r["type"] != "scan") continue;
    for (const auto& p : r["device"]["probes"]) {
      SCOPED_TRACE(p.dump());
      ASSERT_TRUE(p.contains("transcript"));
      const auto& t = p["transcript"];
      ++probes;
      EXPECT_EQ(t["outside_declared_surface"], json::array());
      EXPECT_EQ(t["reached_device"].get<uint64_t>() + t["refused"].get<uint64_t>(),
                t["exchanges"].get<uint64_t>());
      EXPECT_NE(t["statement"].get<std::string>().find("within the read-only policy"),
                std::string::npos);
      const std::string text = read_text(s.case_dir / t["file"].get<std::string>());
      EXPECT_EQ(text.size(), t["bytes"].get<uint64_t>());
    }
  }
  EXPECT_EQ(probes, 8) << "apple or android, and usb-generic, on each of three phones, and mtp on "
                          "the two that show an MTP or PTP interface";
  // What the Android plugin asked is in its transcript: the ADB CNXN it sent, in hex.
  const std::string adb = read_text(transcript_of(s.case_dir, "18d1:4ee2", "android"));
  EXPECT_NE(adb.find("\"out\":\"434e584e"), std::string::npos) << "CNXN";
}

TEST(LabCase, RecordedReadingsReplayIdenticallyWithoutThePhones) {
  RecordedScan s;
  ASSERT_EQ(s.scan.status, 6) << s.scan.err;
  // No dfx-lab: no phone is plugged in; the plugins answer from the transcripts.
  const auto r = run(s.env + kDfx + " case replay " + s.case_dir.string() + " --format json");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const json out = json::parse(r.out);
  EXPECT_TRUE(out["identical"]);
  std::map<std::string, uint64_t> exchanges;
  for (const auto& reading : out["readings"]) {
    EXPECT_TRUE(reading["identical"]) << reading.dump();
    exchanges[reading["plugin"].get<std::string>() + " " + reading["device"].get<std::string>()] =
        reading["exchanges"].get<uint64_t>();
  }
  EXPECT_EQ(out["readings"].size(), 8u);
  EXPECT_GE(exchanges["mtp 18d1:4ee2 at 1-3"], 3u)
      << "GetDeviceInfo: the command, the data, the response: " << out.dump(2);
  EXPECT_GT(exchanges["android 18d1:4ee2 at 1-3"], 20u) << out.dump(2);
  EXPECT_GT(exchanges["apple 05ac:12a8 at 1-2"], 10u) << out.dump(2);
  EXPECT_GE(exchanges["apple 05ac:1281 at 1-1"], 1u) << out.dump(2);
}

TEST(LabCase, AChangedTranscriptIsCaughtByVerifyAndItsDifferenceNamedByReplay) {
  RecordedScan s;
  ASSERT_EQ(s.scan.status, 6) << s.scan.err;
  uint64_t recovery_seq = 0, android_seq = 0;
  const fs::path recovery = transcript_of(s.case_dir, "05ac:1281", "apple", &recovery_seq);
  const fs::path android = transcript_of(s.case_dir, "18d1:4ee2", "android", &android_seq);
  ASSERT_FALSE(recovery.empty());
  ASSERT_FALSE(android.empty());

  // An answer changed: the IMEI in the Recovery serial string. Replayed against the edited copy,
  // the plugin reports another IMEI, and the replay names the claim.
  std::string text = read_text(recovery);
  // The serial string is in the header's device facts and in the exchange that read it again.
  int replaced = 0;
  for (auto at = text.find("353908123456789"); at != std::string::npos;
       at = text.find("353908123456789", at)) {
    text.replace(at, 15, "353908123456797");
    ++replaced;
  }
  ASSERT_EQ(replaced, 2);
  const fs::path edited = s.dir.path() / "edited-recovery.jsonl";
  std::ofstream(edited, std::ios::binary) << text;
  auto r = run(s.env + kDfx + " case replay " + s.case_dir.string() + " --record " +
               std::to_string(recovery_seq) + " --transcript " + edited.string());
  EXPECT_EQ(r.status, 4) << r.out << r.err;
  EXPECT_NE(r.out.find("DIFFERENT"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("claims: claim"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("353908123456797"), std::string::npos) << r.out;

  // A request changed: one byte the Android plugin sent. The replay names the exchange.
  std::istringstream lines(read_text(android));
  std::string rewritten, line;
  int changed_at = -1;
  while (std::getline(lines, line)) {
    json j = json::parse(line);
    if (changed_at < 0 && j.contains("out") && j["n"].get<int>() > 5) {
      std::string out = j["out"];
      out[0] = out[0] == '0' ? '1' : '0';
      j["out"] = out;
      changed_at = j["n"];
    }
    rewritten += j.dump() + "\n";
  }
  ASSERT_GE(changed_at, 0);
  const fs::path edited_adb = s.dir.path() / "edited-adb.jsonl";
  std::ofstream(edited_adb, std::ios::binary) << rewritten;
  r = run(s.env + kDfx + " case replay " + s.case_dir.string() + " --record " +
          std::to_string(android_seq) + " --transcript " + edited_adb.string());
  EXPECT_EQ(r.status, 4) << r.out << r.err;
  EXPECT_NE(r.out.find("requests: exchange " + std::to_string(changed_at) + ":"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("differ from byte 0"), std::string::npos) << r.out;

  // The same edit made in the case itself: verify names the transcript, and replay refuses.
  fs::permissions(android, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(android, std::ios::binary) << rewritten;
  r = run(kDfx + " case verify " + s.case_dir.string());
  EXPECT_EQ(r.status, 4) << r.out;
  EXPECT_NE(r.out.find("(transcript)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(android.filename().string()), std::string::npos) << r.out;
  r = run(s.env + kDfx + " case replay " + s.case_dir.string());
  EXPECT_EQ(r.status, 4);
  EXPECT_NE(r.err.find("does not verify"), std::string::npos) << r.err;
}

// A recording plugged back in: dfx-lab takes a transcript as a handset (the recorded
// descriptors, strings and answers), and the same plugin reads the same claims from it.
TEST(LabCase, ARecordedReadingPlugsBackInAsAVirtualHandset) {
  RecordedScan s;
  ASSERT_EQ(s.scan.status, 6) << s.scan.err;
  const json first = json::parse(s.scan.out);
  const auto claims_in = [](const json& doc, const std::string& usb_id, const std::string& plugin) {
    std::vector<std::string> out;
    for (const auto& d : doc["devices"])
      if (d["vendor_id"].get<std::string>() + ":" + d["product_id"].get<std::string>() == usb_id)
        for (const auto& p : d["probes"])
          if (p["plugin"] == plugin)
            for (const auto& c : p["claims"])
              out.push_back(c["kind"].get<std::string>() + "=" + c["value"].get<std::string>() +
                            " (" + c["method"].get<std::string>() + ")");
    return out;
  };
  for (const auto& [usb_id, plugin] : std::vector<std::pair<std::string, std::string>>{
           {"18d1:4ee2", "android"}, {"05ac:12a8", "apple"}, {"05ac:1281", "apple"}}) {
    SCOPED_TRACE(usb_id);
    const fs::path recorded = transcript_of(s.case_dir, usb_id, plugin);
    ASSERT_FALSE(recorded.empty());
    const auto again = run(s.env + kLab + " run --handsets " + recorded.string() + " -- " + kDfx +
                           " scan --format json --no-registers --plugin " + plugin);
    ASSERT_TRUE(again.status == 0 || again.status == 3 || again.status == 6) << again.err;
    EXPECT_EQ(again.err.find("stalled"), std::string::npos) << again.err;
    const auto expected = claims_in(first, usb_id, plugin);
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(claims_in(json::parse(again.out), usb_id, plugin), expected) << again.out;
  }
}

}  // namespace
