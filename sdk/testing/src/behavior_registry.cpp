// BehaviorRegistry: behaviour modules by name.
#include "dfx/testing/behavior_registry.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "builtin_behaviors.hpp"

namespace dfx::testing {

BehaviorRegistry BehaviorRegistry::builtin() {
  BehaviorRegistry registry;
  for (const auto& module : detail::builtin_behavior_modules()) (void)registry.add(module);
  return registry;
}

std::vector<std::filesystem::path> BehaviorRegistry::default_emulator_dirs() {
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv("DFX_EMULATOR_PATH"); env && *env) {
    std::string all = env;
    for (std::size_t start = 0; start <= all.size();) {
      const auto end = all.find(':', start);
      const auto part =
          all.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!part.empty()) dirs.emplace_back(part);
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  // This library's own folder: <prefix>/lib, or <build>/lib.
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&BehaviorRegistry::default_emulator_dirs), &info) != 0 &&
      info.dli_fname)
    dirs.push_back(std::filesystem::path(info.dli_fname).parent_path() / "dfx" / "emulators");
  return dirs;
}

tl::expected<BehaviorRegistry, std::string> BehaviorRegistry::with_emulators(
    const std::vector<std::filesystem::path>& dirs) {
  auto registry = builtin();
  if (auto r = registry.load_emulators(dirs); !r) return tl::unexpected(r.error());
  return registry;
}

tl::expected<void, std::string> BehaviorRegistry::load_emulators(
    const std::vector<std::filesystem::path>& dirs) {
  using Entry = void (*)(BehaviorRegistry*, std::string*);
  std::string errors;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    // A folder named twice (by an option and by default) is read once.
    const auto canonical = std::filesystem::weakly_canonical(dir, ec);
    if (std::find(loaded_dirs_.begin(), loaded_dirs_.end(), canonical) != loaded_dirs_.end())
      continue;
    loaded_dirs_.push_back(canonical);
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
      if (e.path().extension() == ".so") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      const auto fail = [&](const std::string& why) {
        errors += (errors.empty() ? "" : "\n") + file.string() + ": " + why;
      };
      // Never closed: the behaviours it builds run until the process ends.
      void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        const char* why = ::dlerror();
        fail(std::string("cannot load: ") + (why ? why : "unknown error"));
        continue;
      }
      auto entry = reinterpret_cast<Entry>(::dlsym(handle, DFX_TESTING_EMULATOR_ENTRY));
      if (!entry) {
        fail("not an emulator module (no " DFX_TESTING_EMULATOR_ENTRY ")");
        continue;
      }
      std::string error;
      entry(this, &error);
      if (!error.empty()) fail(error);
    }
  }
  if (!errors.empty()) return tl::unexpected(errors);
  return {};
}

tl::expected<void, std::string> BehaviorRegistry::add(BehaviorModule module) {
  if (module.name.empty()) return tl::unexpected(std::string("behaviour module without a name"));
  if (!module.create)
    return tl::unexpected("behaviour module \"" + module.name + "\" has no factory");
  if (find(module.name))
    return tl::unexpected("behaviour module \"" + module.name + "\" is already registered");
  modules_.push_back(std::move(module));
  return {};
}

const BehaviorModule* BehaviorRegistry::find(std::string_view name) const {
  for (const auto& m : modules_)
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<std::string> BehaviorRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& m : modules_) out.push_back(m.name);
  std::sort(out.begin(), out.end());
  return out;
}

tl::expected<std::unique_ptr<UsbBehavior>, std::string> BehaviorRegistry::create(
    std::string_view name, const nlohmann::json& params, const UsbDeviceSpec& device,
    std::string_view source) const {
  const std::string where = source.empty() ? std::string() : std::string(source) + ": ";
  const BehaviorModule* module = find(name);
  if (!module) {
    std::string known;
    for (const auto& n : names()) known += (known.empty() ? "" : ", ") + n;
    return tl::unexpected(where + "/behavior/module: unknown behaviour module \"" +
                          std::string(name) + "\" (known: " + known + ")");
  }
  static const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json& p = params.is_null() ? empty : params;
  if (!p.is_object()) return tl::unexpected(where + "/behavior/params: must be an object");
  auto made = module->create(BehaviorContext{device, p, source, this});
  if (!made) return tl::unexpected(where + "behaviour \"" + module->name + "\": " + made.error());
  if (!*made) return tl::unexpected(where + "behaviour \"" + module->name + "\" built nothing");
  return made;
}

}  // namespace dfx::testing
