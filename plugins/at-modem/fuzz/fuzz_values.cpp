// The value parsers on arbitrary text: DEVCONINFO (bounded field count, values inside the input),
// the +CRSM EF_ICCID decode (an ICCID or an error), and the digit parsers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "devconinfo.hpp"
#include "values.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace dfx::at;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto info = parse_devconinfo(in)) {
    if (info->fields.empty() || info->fields.size() > kMaxDevConInfoFields) __builtin_trap();
    for (const auto& [name, value] : info->fields)
      if (name.empty() || name.size() + value.size() > in.size()) __builtin_trap();
  }
  if (auto iccid = decode_crsm_iccid(in)) {
    if (iccid->size() < 19 || iccid->size() > 20 || !iccid->starts_with("89")) __builtin_trap();
  }
  if (auto imei = parse_imei(in); imei && imei->size() != 15) __builtin_trap();
  (void)parse_imeisv(in);
  (void)parse_imsi(in);
  (void)parse_text(in);
  (void)parse_iccid(in);
  return 0;
}
