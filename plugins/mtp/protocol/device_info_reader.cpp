#include "device_info_reader.hpp"

#include <algorithm>

namespace dfx::mtp {

std::vector<uint8_t> get_device_info_command() {
  return encode_command(op::get_device_info, kOutOfSessionTransactionId);
}

Result<DeviceInfoReading> read_device_info(Transport& transport, const ReadOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + options.overall_timeout;
  if (transport.should_stop()) return fail(Errc::cancelled, "stopped by the host before sending");
  const auto command = get_device_info_command();
  if (auto st = transport.write(command, options.transfer_timeout); !st)
    return fail(st.error(), "sending GetDeviceInfo (0x1001)");

  ResponsePhase phase(op::get_device_info, kOutOfSessionTransactionId, options.max_data);
  DeviceInfoReading reading;
  for (;;) {
    const char* waiting = phase.data_complete() ? "the response" : "the data phase";
    if (transport.should_stop())
      return fail(Errc::cancelled, std::string("stopped by the host while waiting for ") + waiting +
                                       " of GetDeviceInfo");
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      return fail(Errc::timeout, std::string("no complete answer to GetDeviceInfo within ") +
                                     std::to_string(options.overall_timeout.count()) +
                                     " ms (waiting for " + waiting + ")");
    auto got = transport.read(options.read_size, std::min(options.transfer_timeout, left));
    if (!got) return fail(got.error(), std::string("waiting for ") + waiting + " of GetDeviceInfo");
    ++reading.in_transfers;
    auto done = phase.feed(*got);
    if (!done) return fail(done.error(), "GetDeviceInfo");
    if (*done) break;
  }
  auto info = parse_device_info(phase.data());
  if (!info) return fail(info.error(), "DeviceInfo dataset");
  reading.info = std::move(*info);
  reading.dataset = phase.data();
  return reading;
}

}  // namespace dfx::mtp
