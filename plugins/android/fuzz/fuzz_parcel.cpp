// `service call` Parcel dump parser and String decoder.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "iphonesubinfo.hpp"
#include "parcel.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto words = dfx::android::parse_parcel_words(in)) {
    if (words->size() > dfx::android::kMaxParcelWords) __builtin_trap();
    (void)dfx::android::decode_parcel_string(*words);
  }
  if (auto s = dfx::android::parse_service_call_string(in)) {
    if (dfx::android::looks_like_device_id(*s)) (void)dfx::android::device_id_kind(*s, 1);
  }
  return 0;
}
