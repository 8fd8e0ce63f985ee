// Generated inputs for the python-stdnum differential tests (differential_test.cpp).
#pragma once

#include <string>
#include <vector>

#include "stdnum_oracle.hpp"

namespace dfx::ident::testing {

/// ~15,700 inputs inside stdnum's ASCII alphabet (digits, A-F, a-f, space, '-'): valid values of
/// every IMEI/MEID form, single-digit errors, transpositions, wrong lengths, hex letters,
/// separators, overflowing decimal MEIDs, all-decimal MEIDs and random strings.
std::vector<std::string> make_ascii_inputs();

/// 4,500 inputs with Unicode in them: look-alike digits (full-width, mathematical...), Unicode
/// spaces and dashes as separators, one non-separator character (Unicode full stops, commas,
/// slashes; characters stdnum does not map). `map` is stdnum's own table, so new entries in a
/// newer stdnum are exercised without editing the test.
std::vector<std::string> make_unicode_inputs(const std::vector<CharEquivalent>& map);

/// A value wrapped the way devices, scanners and labels wrap it, and the bare value.
struct Decorated {
  std::string input;  ///< what dfx is given
  std::string bare;   ///< what stdnum is asked: dfx must answer for `input` what stdnum does here
};

/// 2,500 decorated values: labels (IMEI:, S/N:, +CGSN: ...), [brackets] and "quotes", barcode AIM
/// prefixes, 0x before hex MEIDs, control characters, BOM and zero-width spaces at the ends. Each
/// is a deliberate difference from stdnum listed in docs/identifiers.md.
std::vector<Decorated> make_decorated_inputs();

}  // namespace dfx::ident::testing
