// BehaviorRegistry: behaviour modules by name.
#include "dfx/testing/behavior_registry.hpp"

#include <algorithm>

#include "builtin_behaviors.hpp"

namespace dfx::testing {

BehaviorRegistry BehaviorRegistry::builtin() {
    BehaviorRegistry registry;
    for (const auto& module : detail::builtin_behavior_modules()) (void)registry.add(module);
    return registry;
}

tl::expected<void, std::string> BehaviorRegistry::add(BehaviorModule module) {
    if (module.name.empty()) return tl::unexpected(std::string("behaviour module without a name"));
    if (!module.create) return tl::unexpected("behaviour module \"" + module.name + "\" has no factory");
    if (find(module.name)) return tl::unexpected("behaviour module \"" + module.name + "\" is already registered");
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

tl::expected<std::unique_ptr<UsbBehavior>, std::string> BehaviorRegistry::create(std::string_view name,
                                                                                const nlohmann::json& params,
                                                                                const UsbDeviceSpec& device,
                                                                                std::string_view source) const {
    const std::string where = source.empty() ? std::string() : std::string(source) + ": ";
    const BehaviorModule* module = find(name);
    if (!module) {
        std::string known;
        for (const auto& n : names()) known += (known.empty() ? "" : ", ") + n;
        return tl::unexpected(where + "/behavior/module: unknown behaviour module \"" + std::string(name) +
                              "\" (known: " + known + ")");
    }
    static const nlohmann::json empty = nlohmann::json::object();
    const nlohmann::json& p = params.is_null() ? empty : params;
    if (!p.is_object()) return tl::unexpected(where + "/behavior/params: must be an object");
    auto made = module->create(BehaviorContext{device, p, source});
    if (!made) return tl::unexpected(where + "behaviour \"" + module->name + "\": " + made.error());
    if (!*made) return tl::unexpected(where + "behaviour \"" + module->name + "\" built nothing");
    return made;
}

}  // namespace dfx::testing
