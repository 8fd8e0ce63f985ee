// fastboot response parser and getvar:all line parser.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "fastboot_response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace dfx::android::fastboot;
  if (auto r = parse_response(std::span<const uint8_t>(data, size))) {
    if (r->payload.size() > kMaxResponse) __builtin_trap();
    if (r->kind == ResponseKind::info) (void)parse_getvar_line(r->payload);
  }
  (void)parse_getvar_line(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
