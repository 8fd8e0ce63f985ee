// A register that returns success without answering anything, and answers one query both ways:
// silence must never become a miss.
#include <dfx/plugin.hpp>

namespace {
struct SilentRegister {
  dfx::sdk::Status open(dfx::sdk::RegisterHost&, std::string_view) {
    return dfx::sdk::Status::ok();
  }
  dfx::sdk::Status query(dfx::sdk::RegisterHost& host, std::span<const dfx::sdk::Query> batch) {
    // The query for serial "BOTH" gets a hit and a miss; every other query gets nothing.
    for (std::uint32_t i = 0; i < batch.size(); ++i) {
      if (batch[i].identifier == "BOTH") {
        host.miss(i);
        host.hit(i, {"stolen", "", "", ""});
      }
    }
    return dfx::sdk::Status::ok();
  }
};
}  // namespace

DFX_REGISTER_PLUGIN(SilentRegister)
