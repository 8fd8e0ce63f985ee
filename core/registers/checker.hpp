// `dfx check` and `dfx scan` share this: values as typed or read -> normalized identifiers ->
// every register that accepts them -> a fail-closed verdict each, with the answers side by side.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "ident/identifier.hpp"
#include "registers/duplicate_tracker.hpp"
#include "registers/register_set.hpp"
#include "registers/verdict.hpp"

namespace dfx::registers {

/// One value to check.
struct CheckInput {
  std::string value;     ///< as typed, scanned or read from a device
  std::size_t line = 0;  ///< line in the intake file or stdin (0 when given on the command line)
  ident::Kind kind = ident::Kind::Auto;  ///< the kind to read it as
};

/// What became of it.
struct CheckResult {
  CheckInput input;
  tl::expected<ident::Identifier, ident::Rejection> identifier;
  std::optional<Lookup>
      lookup{};  ///< what the registers were asked (an IMEISV is asked as its IMEI)
  std::vector<Answer> answers{};  ///< one per register accepting the kind, configuration order
  Verdict verdict = Verdict::Unknown;
  bool conflict = false;         ///< the registers disagree (see registers_disagree)
  std::string not_clear{};       ///< why an `unknown` verdict is not clear (not_clear_reason)
  std::size_t duplicate_of = 0;  ///< where the same identifier came first: its line (or,
                                 ///< for values without a line, its 1-based position); 0
                                 ///< when this is the first
  [[nodiscard]] bool valid() const { return identifier.has_value(); }
};

/// What an identifier is looked up as in registers: its kind and canonical form, except that an
/// IMEISV is looked up as the IMEI it contains (registers list IMEIs).
Lookup lookup_for(const ident::Identifier& id);

/// Checks values in batches, remembering identifiers across batches to point out duplicates.
class Checker {
 public:
  explicit Checker(RegisterSet& registers) : registers_(registers) {}

  /// Normalizes every input, asks the registers about the valid ones in one batch per register,
  /// and returns one result per input, in order.
  std::vector<CheckResult> check(std::span<const CheckInput> inputs);

  /// True when so many distinct identifiers came that later duplicates may go unmarked.
  [[nodiscard]] bool duplicates_saturated() const { return first_seen_.saturated(); }

 private:
  RegisterSet& registers_;
  DuplicateTracker first_seen_;  ///< "kind:canonical" -> line or position, bounded
  std::size_t position_ = 0;
};

}  // namespace dfx::registers
