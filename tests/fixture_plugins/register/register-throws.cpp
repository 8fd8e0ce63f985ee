// A register whose query throws: the SDK wrapper turns it into an error, nothing crosses the ABI.
#include <dfx/plugin.hpp>

#include <stdexcept>

namespace {
struct ThrowingRegister {
  dfx::sdk::Status open(dfx::sdk::RegisterHost&, std::string_view) {
    return dfx::sdk::Status::ok();
  }
  dfx::sdk::Status query(dfx::sdk::RegisterHost&, std::span<const dfx::sdk::Query>) {
    throw std::runtime_error("connection reset by register");
  }
};
}  // namespace

DFX_REGISTER_PLUGIN(ThrowingRegister)
