// The "descriptor-only" behaviour module.
//
// A device that enumerates and then says nothing: what an unauthorised or
// locked phone looks like to a host before any protocol starts. The kit's
// standard-request handling does all the answering; this class only exists so
// the module can reject parameters it does not understand.
#include "dfx/testing/behavior_registry.hpp"

namespace dfx::testing {
namespace {

class DescriptorOnly final : public UsbBehavior {};

}  // namespace

tl::expected<std::unique_ptr<UsbBehavior>, std::string> make_descriptor_only_behavior(
    const BehaviorContext& context) {
  if (!context.params.empty()) {
    return tl::unexpected("/behavior/params/" + context.params.begin().key() +
                          ": the descriptor-only module takes no parameters");
  }
  return std::make_unique<DescriptorOnly>();
}

}  // namespace dfx::testing
