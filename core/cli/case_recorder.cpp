#include "cli/case_recorder.hpp"

#include "usb/transcript.hpp"
#include "usb/transcript_audit.hpp"

namespace dfx::cli {

Result<CaseRecorder> CaseRecorder::open(const std::filesystem::path& dir, std::string command) {
  auto path = evidence::WorkstationKey::default_path();
  if (!path) return tl::unexpected(path.error());
  auto key = evidence::WorkstationKey::load_or_create(*path);
  if (!key) return tl::unexpected(key.error());
  auto writer = evidence::CaseWriter::open(dir);
  if (!writer) return tl::unexpected(writer.error());
  return CaseRecorder(std::move(*writer), std::move(*key), std::move(command));
}

Result<void> CaseRecorder::record(nlohmann::json body,
                                  const std::vector<evidence::PluginUsed>& plugins) {
  if (!tool_ || !plugins.empty()) tool_ = evidence::tool_info(plugins);
  body["tool"] = *tool_;
  if (registers_) body["registers"] = *registers_;
  auto r = writer_.append(command_, std::move(body));
  if (!r) return tl::unexpected(r.error());
  return {};
}

Result<void> CaseRecorder::add_transcripts(nlohmann::json& device, const scan::DeviceReport& d,
                                           const plugin_host::Catalog& catalog) {
  for (std::size_t k = 0; k < d.probes.size() && k < device["probes"].size(); ++k) {
    const auto& probe = d.probes[k];
    auto& out = device["probes"][k];
    if (!probe.transcript) {
      out["transcript_missing"] = probe.transcript_missing;
      continue;
    }
    auto ref = writer_.store_transcript(*probe.transcript);
    if (!ref) return tl::unexpected(ref.error());
    // The worker's text is parsed like any input from it: a transcript that does not parse is
    // kept (it is what was received) and said to be unreadable.
    auto t = usb::parse_transcript(*probe.transcript);
    if (!t) {
      (*ref)["unreadable"] = t.error().message;
      out["transcript"] = std::move(*ref);
      continue;
    }
    const auto* entry = catalog.find(probe.plugin_id);
    nlohmann::json outside = nlohmann::json::array();
    usb::TranscriptAudit audit;
    if (entry != nullptr && entry->manifest) {
      audit = usb::audit_transcript(*t, entry->manifest->usb, d.facts);
      for (const auto& o : audit.outside_surface) outside.push_back(o);
    } else {
      outside.push_back("the plugin's manifest could not be read to audit the transcript");
    }
    (*ref)["exchanges"] = t->exchanges.size() + t->dropped;
    (*ref)["reached_device"] = audit.reached_device;
    (*ref)["refused"] = audit.refused;
    (*ref)["truncated"] = t->truncated;
    (*ref)["outside_declared_surface"] = std::move(outside);
    (*ref)["statement"] =
        audit.outside_surface.empty() && entry != nullptr
            ? "every request that reached the device is within the read-only policy and the "
              "surface the plugin's manifest declares; " +
                  std::to_string(audit.refused) + " refused by dfx were never sent"
            : "requests outside the declared surface are listed in outside_declared_surface";
    out["transcript"] = std::move(*ref);
  }
  return {};
}

void CaseRecorder::set_registers(const registers::RegisterSet& set,
                                 const std::vector<std::filesystem::path>& plugin_dirs) {
  const auto catalog = plugin_host::build_catalog(plugin_dirs);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : set.status()) {
    nlohmann::json j = {{"id", r.id},
                        {"plugin", r.plugin},
                        {"plugin_version", r.plugin_version},
                        {"accepts", r.accepts},
                        {"library_sha256", nullptr}};
    if (!r.error.empty()) j["error"] = r.error;
    if (const auto* e = catalog.find(r.plugin); e != nullptr && e->manifest)
      if (auto sum = evidence::sha256_file(e->manifest->library_path())) j["library_sha256"] = *sum;
    out.push_back(std::move(j));
  }
  registers_ = std::move(out);
}

Result<void> CaseRecorder::finish() {
  auto r = writer_.sign(key_, "checkpoint", "end of dfx " + command_);
  if (!r) return tl::unexpected(r.error());
  return {};
}

}  // namespace dfx::cli
