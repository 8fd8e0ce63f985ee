// The registers of the configuration, opened and ready to be asked. Each identifier goes to
// every register that accepts its kind; the registers are asked at the same time and their
// answers come back side by side, never merged.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "plugin_host/catalog.hpp"
#include "registers/config.hpp"
#include "registers/register_client.hpp"

namespace dfx::registers {

/// What `dfx check` and `dfx scan` report about a register.
struct RegisterStatus {
  std::string id;
  std::string plugin;
  std::string plugin_version;        ///< "" when the plugin could not be loaded
  std::vector<std::string> accepts;  ///< identifier kinds
  std::string error;                 ///< "" when it works
};

class RegisterSet {
 public:
  /// Opens every register of `config` with the plugins of `catalog`. Never fails as a whole: a
  /// register whose plugin is missing, refused or fails to open stays in the set and answers
  /// every query with that error (so that nothing it should have checked comes out clear).
  static RegisterSet open(const Config& config, const plugin_host::Catalog& catalog);

  RegisterSet(RegisterSet&&) noexcept = default;
  RegisterSet& operator=(RegisterSet&&) noexcept = default;

  /// The registers, in configuration order.
  [[nodiscard]] std::vector<RegisterStatus> status() const;

  /// True when at least one register accepts `kind`.
  [[nodiscard]] bool accepts(std::string_view kind) const;

  /// Asks every register that accepts each lookup's kind. Returns, per lookup and in order, the
  /// answers of the registers that accept its kind (in configuration order).
  std::vector<std::vector<Answer>> query(std::span<const Lookup> lookups);

 private:
  RegisterSet() = default;
  std::vector<std::unique_ptr<RegisterClient>> clients_;
  std::vector<std::string> versions_;
};

}  // namespace dfx::registers
