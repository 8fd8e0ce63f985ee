// Throws from probe through the C++ wrapper: the exception must not cross the ABI.
#include <dfx/plugin.hpp>

#include <stdexcept>

namespace {
struct Throws {
  dfx::sdk::Status probe(dfx::sdk::Host&, const dfx::sdk::Device&) {
    throw std::runtime_error("vendor library lost its mind");
  }
};
}  // namespace
DFX_DEVICE_PLUGIN(Throws)
