// lockdown answers and pair records: plists (XML or binary) as a phone or a file gives them,
// parsed through libplist into dfx's bounded value tree.
#include <cstddef>
#include <cstdint>
#include <span>

#include "lockdown_plist.hpp"
#include "pair_record.hpp"

namespace {

std::size_t count(const dfx::apple::lockdown::Value& v, int depth) {
  if (depth > dfx::apple::lockdown::kMaxDepth) __builtin_trap();
  std::size_t n = 1;
  for (const auto& [key, child] : v.items) n += count(child, depth + 1);
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::span<const uint8_t> in(data, size);
  if (auto v = dfx::apple::lockdown::parse(in)) {
    if (count(*v, 0) > dfx::apple::lockdown::kMaxNodes) __builtin_trap();
    (void)dfx::apple::lockdown::check_answer(*v, "GetValue");
  }
  if (auto r = dfx::apple::parse_pair_record(in))
    if (r->host_id.empty() || r->device_certificate.empty()) __builtin_trap();
  return 0;
}
