#include "cli/case_replay.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "base/json_file.hpp"
#include "evidence/record.hpp"
#include "evidence/tool_info.hpp"
#include "evidence/verify.hpp"
#include "plugin_host/catalog.hpp"
#include "usb/transcript.hpp"

namespace dfx::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The case's records, in order (the case verified: every line is a record).
Result<std::vector<json>> read_records(const fs::path& dir) {
  auto content = read_small_file(dir / evidence::kRecordsFile, std::size_t{1} << 30, "not a case");
  if (!content) return tl::unexpected(content.error());
  std::vector<json> out;
  std::size_t at = 0;
  while (at < content->size()) {
    const std::size_t end = content->find('\n', at);
    if (end == std::string::npos) break;
    const auto split = evidence::split_line(std::string_view(*content).substr(at, end - at));
    if (split) out.push_back(json::parse(split->body, nullptr, false));
    at = end + 1;
  }
  return out;
}

std::string claim_text(const std::string& kind, const std::string& value,
                       const std::string& method) {
  return kind + " " + value + " (" + method + ")";
}

// The recorded SHA-256 of plugin `id`'s library, from the record's tool description.
std::optional<std::string> recorded_library_hash(const json& record, const std::string& id) {
  const auto tool = record.find("tool");
  if (tool == record.end() || !tool->contains("plugins")) return std::nullopt;
  for (const auto& p : (*tool)["plugins"])
    if (p.value("id", "") == id && p.contains("sha256") && p["sha256"].is_string())
      return p["sha256"].get<std::string>();
  return std::nullopt;
}

}  // namespace

std::vector<std::string> compare_outcome(const json& recorded_probe, const json& recorded_findings,
                                         const probe::ProbeOutcome& replayed) {
  std::vector<std::string> diffs;
  std::vector<std::string> was, now;
  for (const auto& c : recorded_probe.value("claims", json::array()))
    was.push_back(claim_text(c.value("kind", ""), c.value("value", ""), c.value("method", "")));
  for (const auto& c : replayed.claims) now.push_back(claim_text(c.kind, c.value, c.method));
  for (std::size_t i = 0; i < std::max(was.size(), now.size()); ++i) {
    if (i < was.size() && i < now.size() && was[i] == now[i]) continue;
    if (i >= now.size())
      diffs.push_back("claims: the record has " + was[i] + ", the replay reports nothing more");
    else if (i >= was.size())
      diffs.push_back("claims: the replay reports " + now[i] + ", which the record does not have");
    else
      diffs.push_back("claims: claim " + std::to_string(i) + " is " + was[i] + " in the record, " +
                      now[i] + " in the replay");
    break;  // the first difference; the ones after it follow from it
  }
  const std::string was_code = recorded_probe.value("code", "");
  if (was_code != replayed.code)
    diffs.push_back("outcome: \"" + was_code + "\" in the record, \"" + replayed.code +
                    "\" in the replay" + (replayed.ok ? "" : " (" + replayed.error + ")"));
  if (recorded_findings.is_array()) {
    std::vector<std::string> fw, fn;
    const std::string id = recorded_probe.value("plugin", "");
    for (const auto& f : recorded_findings)
      if (f.value("plugin", "") == id) fw.push_back(f.value("code", ""));
    for (const auto& f : replayed.findings) fn.push_back(f.code);
    if (fw != fn) {
      const auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
        return s.empty() ? std::string("none") : s;
      };
      diffs.push_back("findings: " + join(fw) + " in the record, " + join(fn) + " in the replay");
    }
  }
  return diffs;
}

Result<std::vector<ReplayedProbe>> replay_case(const fs::path& dir, const ReplayOptions& options) {
  auto verified = evidence::verify_case(dir);
  if (!verified) return tl::unexpected(verified.error());
  if (!verified->ok())
    return fail("the case does not verify (" + std::string(evidence::to_string(verified->problem)) +
                "): " + verified->message + "; a replay of it would prove nothing");
  auto records = read_records(dir);
  if (!records) return tl::unexpected(records.error());
  if (options.transcript && !options.record)
    return fail("--transcript needs --record: the reading it stands in for");
  if (options.record && *options.record >= records->size())
    return fail("the case has no record " + std::to_string(*options.record) + " (records 0 to " +
                std::to_string(records->size() - 1) + ")");
  const auto catalog = plugin_host::build_catalog(options.plugin_dirs);
  std::string substitute_plugin;  // the plugin whose transcript --transcript replaces
  if (options.transcript) {
    auto text = read_small_file(*options.transcript, 64u << 20, "not a transcript");
    auto t =
        text ? usb::parse_transcript(*text) : Result<usb::Transcript>(tl::unexpected(text.error()));
    if (!t) return fail("--transcript: " + t.error().message);
    substitute_plugin = t->header.value("plugin", json::object()).value("id", "");
  }

  std::vector<ReplayedProbe> out;
  std::vector<probe::ProbeJob> jobs;
  std::vector<std::size_t> job_of;                            // out index -> jobs index, or npos
  std::vector<std::pair<const json*, const json*>> recorded;  // (probe, device findings)
  std::vector<usb::Transcript> transcripts;
  for (const auto& record : *records) {
    const uint64_t seq = record.value("seq", uint64_t{0});
    if (options.record && seq != *options.record) continue;
    if (!record.contains("device") || !record["device"].contains("probes")) continue;
    const json& device = record["device"];
    for (const auto& p : device["probes"]) {
      if (!p.contains("transcript")) continue;
      ReplayedProbe r;
      r.record = seq;
      r.plugin = p.value("plugin", "");
      r.version = p.value("plugin_version", "");
      r.transcript = p["transcript"].value("file", "");
      r.claims = p.value("claims", json::array()).size();
      // --transcript stands in for the recorded transcript of the same plugin only.
      const bool substitute = options.transcript && substitute_plugin == r.plugin;
      const fs::path file = substitute ? *options.transcript : dir / r.transcript;
      if (substitute) r.transcript = options.transcript->string();
      auto text = read_small_file(file, 64u << 20, "not a transcript");
      auto t = text ? usb::parse_transcript(*text)
                    : Result<usb::Transcript>(tl::unexpected(text.error()));
      if (!t) {
        r.differences.push_back("transcript: " + t.error().message);
        out.push_back(std::move(r));
        job_of.push_back(SIZE_MAX);
        recorded.emplace_back(nullptr, nullptr);
        transcripts.emplace_back();
        continue;
      }
      r.exchanges = t->exchanges.size();
      usb::DeviceFacts facts;
      try {
        facts = t->header.at("device").get<usb::DeviceFacts>();
      } catch (const json::exception& e) {
        r.differences.push_back(std::string("transcript: the header's device is unreadable: ") +
                                e.what());
      }
      r.device = facts.usb_id() + " at " + facts.location();
      const auto* entry = catalog.find(r.plugin);
      const auto hash = recorded_library_hash(record, r.plugin);
      if (entry == nullptr || !entry->manifest) {
        r.differences.push_back("plugin: " + r.plugin + " is not installed here (" +
                                (entry ? entry->reason : "not in the plugin folders") + ")");
      } else if (entry->manifest->version != r.version) {
        r.differences.push_back("plugin: " + r.plugin + " " + entry->manifest->version +
                                " is installed, the reading was made with " + r.version);
      } else if (auto sum = evidence::sha256_file(entry->manifest->library_path());
                 !sum || !hash || *sum != *hash) {
        r.differences.push_back("plugin: the library " + entry->manifest->library_path().string() +
                                (!sum    ? " cannot be read"
                                 : !hash ? " has no recorded SHA-256 to compare with"
                                         : " is not the one the reading used (sha256 " +
                                               sum->substr(0, 16) + "..., recorded " +
                                               hash->substr(0, 16) + "...)"));
      }
      if (!r.differences.empty()) {
        out.push_back(std::move(r));
        job_of.push_back(SIZE_MAX);
        recorded.emplace_back(nullptr, nullptr);
        transcripts.emplace_back();
        continue;
      }
      probe::ProbeJob job;
      job.plugin_id = r.plugin;
      job.manifest = entry->manifest->path;
      job.device = facts;
      job.replay = fs::absolute(file);
      job_of.push_back(jobs.size());
      jobs.push_back(std::move(job));
      recorded.emplace_back(&p, device.contains("findings") ? &device["findings"] : nullptr);
      transcripts.push_back(std::move(*t));
      out.push_back(std::move(r));
    }
  }
  if (out.empty())
    return fail(options.record ? "record " + std::to_string(*options.record) +
                                     " holds no reading with a USB transcript"
                               : "the case holds no reading with a USB transcript to replay");

  auto supervisor = options.supervisor;
  supervisor.transcripts = true;
  const auto outcomes = probe::run_probes(jobs, supervisor);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (job_of[i] == SIZE_MAX) continue;
    const auto& o = outcomes[job_of[i]];
    auto& r = out[i];
    if (!o.transcript) {
      r.differences.push_back("replay: " + o.transcript_missing);
    } else if (auto t = usb::parse_transcript(*o.transcript); !t) {
      r.differences.push_back("replay: its transcript is unreadable: " + t.error().message);
    } else if (auto d = usb::first_request_difference(transcripts[i], *t)) {
      r.differences.push_back("requests: " + *d);
    }
    const json none = nullptr;
    for (auto& d :
         compare_outcome(*recorded[i].first, recorded[i].second ? *recorded[i].second : none, o))
      r.differences.push_back(std::move(d));
  }
  return out;
}

}  // namespace dfx::cli
