// Runs tests/stdnum_oracle.py (python-stdnum, the reference implementation) for the
// differential tests. A missing python3 or python-stdnum is an error with what to install, never
// a skipped test: scripts/setup installs python3-stdnum.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dfx::ident::testing {

/// What python-stdnum says about one input: the oracle's tab-separated fields (see the script).
using OracleLine = std::vector<std::string>;

/// Asks the oracle about `inputs` (UTF-8, no '\n' or '\r'). On success `answers` holds one line
/// per input and the result is empty; otherwise the result says what went wrong.
std::string ask_stdnum(const std::vector<std::string>& inputs, std::vector<OracleLine>& answers);

/// One entry of python-stdnum's table of Unicode characters it reads as ASCII.
struct CharEquivalent {
  std::uint32_t code_point;
  char ascii;
};

/// Reads that table from python-stdnum itself. Empty result on success, else what went wrong.
std::string stdnum_char_map(std::vector<CharEquivalent>& map);

/// The UTF-8 encoding of `code_point`.
std::string utf8(std::uint32_t code_point);

}  // namespace dfx::ident::testing
