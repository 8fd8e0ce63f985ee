// The "composite" behaviour module: one device whose functions are played by several modules,
// as a phone shows MTP and a modem port side by side.
//
//   "behavior": {"module": "composite", "params": {"parts": [
//     {"interfaces": [0], "module": "mtp", "params": {...}},
//     {"interfaces": [1, 2], "module": "at-modem", "params": {...}}]}}
//
// Each part owns the interfaces it lists (in every configuration) and with them their endpoints
// (in the configuration where they are: a device may use one address in two configurations for
// two functions, as an iPhone does): bulk and interrupt traffic on an endpoint of the active
// configuration goes to the part that owns it, a control request
// addressed to an interface or an endpoint goes to its owner, and any other control request (to
// the device) goes to the parts in order until one does not stall. Attach, configuration,
// alternate setting and reset events reach every part. Each part is built by the registry that
// builds the composite (so a part may be a module of a loaded emulator), from the whole device
// spec: a part finds its own interface in it as it would alone.
#include <map>

#include "dfx/testing/behavior_registry.hpp"
#include "dfx/testing/json_reader.hpp"

namespace dfx::testing {
namespace {

// An endpoint as a composite routes it: its address within one configuration.
std::uint16_t endpoint_key(std::uint8_t configuration, std::uint8_t endpoint) {
  return static_cast<std::uint16_t>(configuration << 8 | endpoint);
}

struct Part {
  std::string module;
  std::unique_ptr<UsbBehavior> behavior;
};

class Composite final : public UsbBehavior {
 public:
  Composite(std::vector<Part> parts, std::map<std::uint8_t, std::size_t> interface_owner,
            std::map<std::uint16_t, std::size_t> endpoint_owner)
      : parts_(std::move(parts)),
        interface_owner_(std::move(interface_owner)),
        endpoint_owner_(std::move(endpoint_owner)) {}

  void on_attach(DeviceSide& device) override {
    for (auto& p : parts_) p.behavior->on_attach(device);
  }

  ControlReply on_control(DeviceSide& device, const SetupPacket& setup,
                          std::span<const std::uint8_t> out_data) override {
    const auto low = static_cast<std::uint8_t>(setup.index & 0xFF);
    if (setup.recipient() == 1) {  // interface
      if (auto it = interface_owner_.find(low); it != interface_owner_.end())
        return parts_[it->second].behavior->on_control(device, setup, out_data);
      return ControlReply::stall();
    }
    if (setup.recipient() == 2) {  // endpoint
      if (UsbBehavior* b = owner(device, low)) return b->on_control(device, setup, out_data);
      return ControlReply::stall();
    }
    for (auto& p : parts_) {
      auto reply = p.behavior->on_control(device, setup, out_data);
      if (reply.kind != ControlReply::Kind::stall) return reply;
    }
    return ControlReply::stall();
  }

  OutReply on_bulk_out(DeviceSide& device, std::uint8_t endpoint,
                       std::span<const std::uint8_t> data) override {
    if (UsbBehavior* b = owner(device, endpoint)) return b->on_bulk_out(device, endpoint, data);
    return OutReply::ack;
  }

  OutReply on_interrupt_out(DeviceSide& device, std::uint8_t endpoint,
                            std::span<const std::uint8_t> data) override {
    if (UsbBehavior* b = owner(device, endpoint))
      return b->on_interrupt_out(device, endpoint, data);
    return OutReply::ack;
  }

  void on_in_requested(DeviceSide& device, std::uint8_t endpoint, std::size_t length) override {
    if (UsbBehavior* b = owner(device, endpoint)) b->on_in_requested(device, endpoint, length);
  }

  void on_set_configuration(DeviceSide& device, std::uint8_t value) override {
    for (auto& p : parts_) p.behavior->on_set_configuration(device, value);
  }

  void on_set_interface(DeviceSide& device, std::uint8_t interface,
                        std::uint8_t alternate) override {
    for (auto& p : parts_) p.behavior->on_set_interface(device, interface, alternate);
  }

  void on_reset(DeviceSide& device) override {
    for (auto& p : parts_) p.behavior->on_reset(device);
  }

 private:
  // The part owning `endpoint` in the active configuration.
  UsbBehavior* owner(const DeviceSide& device, std::uint8_t endpoint) const {
    auto it = endpoint_owner_.find(endpoint_key(device.configuration(), endpoint));
    return it == endpoint_owner_.end() ? nullptr : parts_[it->second].behavior.get();
  }

  std::vector<Part> parts_;
  std::map<std::uint8_t, std::size_t> interface_owner_;  ///< bInterfaceNumber -> part
  std::map<std::uint16_t, std::size_t> endpoint_owner_;  ///< configuration << 8 | endpoint -> part
};

}  // namespace

tl::expected<std::unique_ptr<UsbBehavior>, std::string> make_composite_behavior(
    const BehaviorContext& context) {
  if (context.registry == nullptr)
    return tl::unexpected(std::string(
        "the composite module needs the registry that builds it (BehaviorRegistry::create)"));
  struct Plan {
    std::string module;
    nlohmann::json params;
    std::vector<std::uint8_t> interfaces;
    std::string where;
  };
  auto plans = read_json("", [&] {
    const JsonReader p(context.params, "/behavior/params");
    p.expect_object({"parts"});
    std::vector<Plan> out;
    for (const auto& part : p.at("parts").array()) {
      part.expect_object({"interfaces", "module", "params"});
      Plan plan;
      plan.module = part.at("module").nonempty_str();
      if (plan.module == "composite") part.at("module").fail("a part cannot be a composite");
      if (auto params = part.opt("params")) plan.params = params->value();
      for (const auto& n : part.at("interfaces").array()) plan.interfaces.push_back(n.u8());
      if (plan.interfaces.empty()) part.at("interfaces").fail("a part owns at least one interface");
      plan.where = part.path();
      out.push_back(std::move(plan));
    }
    if (out.size() < 2) p.at("parts").fail("a composite has at least two parts");
    return out;
  });
  if (!plans) return tl::unexpected(plans.error());

  std::map<std::uint8_t, std::size_t> interface_owner;
  std::map<std::uint16_t, std::size_t> endpoint_owner;
  std::vector<Part> parts;
  for (std::size_t i = 0; i < plans->size(); ++i) {
    const auto& plan = (*plans)[i];
    for (const auto number : plan.interfaces) {
      if (!interface_owner.emplace(number, i).second)
        return tl::unexpected(plan.where + "/interfaces: interface " + std::to_string(number) +
                              " belongs to two parts");
      bool found = false;
      for (const auto& c : context.device.configurations)
        for (const auto& itf : c.interfaces) {
          if (itf.number != number) continue;
          found = true;
          for (const auto& alt : itf.alt_settings)
            for (const auto& ep : alt.endpoints)
              endpoint_owner[endpoint_key(c.value, ep.address)] = i;
        }
      if (!found)
        return tl::unexpected(plan.where + "/interfaces: the device has no interface " +
                              std::to_string(number));
    }
    // Built with the composite's own source, so a part reads files beside the handset file as it
    // would alone (an iPhone's pair record).
    const BehaviorModule* module = context.registry->find(plan.module);
    if (module == nullptr) {
      std::string known;
      for (const auto& n : context.registry->names()) known += (known.empty() ? "" : ", ") + n;
      return tl::unexpected(plan.where + "/module: unknown behaviour module \"" + plan.module +
                            "\" (known: " + known + ")");
    }
    static const nlohmann::json empty = nlohmann::json::object();
    const nlohmann::json& params = plan.params.is_null() ? empty : plan.params;
    if (!params.is_object()) return tl::unexpected(plan.where + "/params: must be an object");
    auto made =
        module->create(BehaviorContext{context.device, params, context.source, context.registry});
    if (!made)
      return tl::unexpected(plan.where + ": behaviour \"" + plan.module + "\": " + made.error());
    if (!*made)
      return tl::unexpected(plan.where + ": behaviour \"" + plan.module + "\" built nothing");
    parts.push_back({plan.module, std::move(*made)});
  }
  return std::make_unique<Composite>(std::move(parts), std::move(interface_owner),
                                     std::move(endpoint_owner));
}

}  // namespace dfx::testing
