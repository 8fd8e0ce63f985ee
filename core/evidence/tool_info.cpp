#include "evidence/tool_info.hpp"

#include <fstream>

#include "base/paths.hpp"
#include "base/sha256.hpp"
#include "base/version.hpp"

namespace dfx::evidence {
namespace {

nlohmann::json file_entry(const std::filesystem::path& path) {
  nlohmann::json j = {{"path", path.string()}};
  auto digest = sha256_file(path);
  if (digest) {
    j["sha256"] = *digest;
  } else {
    j["sha256"] = nullptr;
    j["error"] = digest.error().message;
  }
  return j;
}

}  // namespace

Result<std::string> sha256_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot read " + file.string());
  Sha256 h;
  std::string buf(1 << 16, '\0');
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)
    h.update(std::string_view(buf.data(), static_cast<std::size_t>(in.gcount())));
  if (in.bad()) return fail("error reading " + file.string());
  std::string hex = h.hex();
  if (hex.empty()) return fail("OpenSSL could not hash " + file.string());
  return hex;
}

nlohmann::json tool_info(const std::vector<PluginUsed>& plugins) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  nlohmann::json j = {{"dfx_version", kVersion},
                      {"binaries",
                       {{"dfx", file_entry(ec ? std::filesystem::path("/proc/self/exe") : self)},
                        {"dfx-probe", file_entry(probe_worker_path())}}}};
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : plugins) {
    auto e = file_entry(p.library);
    e["id"] = p.id;
    e["version"] = p.version;
    list.push_back(std::move(e));
  }
  j["plugins"] = std::move(list);
  return j;
}

}  // namespace dfx::evidence
