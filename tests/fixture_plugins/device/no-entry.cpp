// A library without the entry symbol.
#include "test_plugin.hpp"
extern "C" DFX_EXPORT int not_the_entry_point() {
  return 42;
}
