#include "plugin_host/catalog.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <system_error>

#include "base/paths.hpp"
#include "plugin_host/trusted_file.hpp"

namespace dfx::plugin_host {
namespace fs = std::filesystem;

std::vector<const Manifest*> Catalog::usable(PluginKind kind) const {
  std::vector<const Manifest*> out;
  for (const auto& e : entries)
    if (!e.refused && e.manifest && e.manifest->kind == kind) out.push_back(&*e.manifest);
  return out;
}

const CatalogEntry* Catalog::find(const std::string& id) const {
  for (const auto& e : entries)
    if (e.manifest && e.manifest->id == id) return &e;
  return nullptr;
}

std::vector<fs::path> default_plugin_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("DFX_PLUGIN_PATH"); env && *env) {
    std::string s = env;
    std::size_t start = 0;
    while (start <= s.size()) {
      const auto end = s.find(':', start);
      const auto part = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!part.empty()) dirs.emplace_back(part);
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  // The same relative path in the build tree and in an install (CMake passes it in).
  dirs.push_back((executable_dir() / ".." / DFX_PLUGIN_SUBDIR).lexically_normal());
  return dirs;
}

std::vector<fs::path> plugin_dirs(const std::vector<fs::path>& extra, bool defaults) {
  std::vector<fs::path> all = extra;
  if (defaults)
    for (auto& d : default_plugin_dirs()) all.push_back(std::move(d));
  std::vector<fs::path> out, seen;
  for (auto& d : all) {
    std::error_code ec;
    auto key = fs::weakly_canonical(d, ec);
    if (ec) key = d.lexically_normal();
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(std::move(key));
    out.push_back(std::move(d));
  }
  return out;
}

std::optional<std::string> unsafe_permissions(const fs::path& path) {
  std::error_code ec;
  const auto real = fs::canonical(path, ec);
  if (ec) return std::nullopt;  // absence is reported elsewhere
  struct stat st {};
  if (::stat(real.c_str(), &st) != 0) return std::nullopt;
  const bool dir = S_ISDIR(st.st_mode);
  if (auto why = unsafe_folder_chain(dir ? real : real.parent_path())) return why;
  if (dir) return std::nullopt;
  return unsafe_owner_or_mode(st.st_uid, st.st_gid, st.st_mode, "file " + real.string());
}

Catalog build_catalog(const std::vector<fs::path>& dirs) {
  Catalog cat;
  std::map<std::string, fs::path> seen_ids;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      cat.warnings.push_back("plugin folder " + dir.string() + " does not exist");
      continue;
    }
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".json") files.push_back(it->path());
    if (ec) {
      cat.warnings.push_back("plugin folder " + dir.string() + " cannot be read: " + ec.message());
      continue;
    }
    std::sort(files.begin(), files.end());
    const auto folder_problem = unsafe_permissions(dir);
    for (const auto& file : files) {
      CatalogEntry e{file, std::nullopt, false, {}};
      auto m = read_manifest(file);
      if (!m) {
        e.refused = true;
        e.reason = m.error().message;
      } else {
        e.manifest = std::move(*m);
        if (folder_problem) {
          e.refused = true;
          e.reason = *folder_problem;
        } else if (auto p = unsafe_permissions(file)) {
          e.refused = true;
          e.reason = *p;
        } else if (auto incompatible = abi_incompatibility(e.manifest->abi, host_abi())) {
          e.refused = true;
          e.reason = file.string() + ": manifest declares " + *incompatible;
        } else if (auto it = seen_ids.find(e.manifest->id); it != seen_ids.end()) {
          e.refused = true;
          e.reason = file.string() + ": id \"" + e.manifest->id + "\" is already provided by " +
                     it->second.string();
        } else {
          seen_ids.emplace(e.manifest->id, file);
        }
      }
      cat.entries.push_back(std::move(e));
    }
  }
  return cat;
}

}  // namespace dfx::plugin_host
