#include "cli/case_recorder.hpp"

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
  auto r = writer_.append(command_, std::move(body));
  if (!r) return tl::unexpected(r.error());
  return {};
}

Result<void> CaseRecorder::finish() {
  auto r = writer_.sign(key_, "checkpoint", "end of dfx " + command_);
  if (!r) return tl::unexpected(r.error());
  return {};
}

}  // namespace dfx::cli
