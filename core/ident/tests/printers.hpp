// gtest printers so that failures show kind names instead of raw bytes. Included by every test
// file (gtest picks PrintTo by argument-dependent lookup).
#pragma once

#include <ostream>

#include "ident/identifier.hpp"

namespace dfx::ident {

inline void PrintTo(Kind kind, std::ostream* os) {
  *os << to_string(kind);
}
inline void PrintTo(Problem problem, std::ostream* os) {
  *os << to_string(problem);
}

}  // namespace dfx::ident
