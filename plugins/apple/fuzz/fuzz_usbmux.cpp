// usbmux packet, TCP header and lockdown length decoding: what a phone sends in normal mode.
#include <cstddef>
#include <cstdint>
#include <span>

#include "usbmux.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  namespace mux = dfx::apple::usbmux;
  const std::span<const uint8_t> in(data, size);
  for (const int version : {1, 2}) {
    if (auto h = mux::decode_header(version, in)) {
      if (h->length < mux::header_size(version) || h->length > mux::kMaxPacket) __builtin_trap();
    }
    if (auto p = mux::decode_packet(version, in)) {
      if (p->payload.size() + mux::header_size(version) != size) __builtin_trap();
      if (auto t = mux::decode_tcp(p->payload))
        if (t->data_offset > p->payload.size()) __builtin_trap();
      (void)mux::decode_version(p->payload);
    }
  }
  if (auto n = mux::lockdown_length(in))
    if (*n == 0 || *n > mux::kMaxLockdownMessage) __builtin_trap();
  return 0;
}
