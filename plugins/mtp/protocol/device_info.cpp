#include "device_info.hpp"

#include "le.hpp"
#include "ptp_string.hpp"

namespace dfx::mtp {
namespace {

/// A cursor over the dataset that names each field in its errors.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  Result<uint16_t> u16(const char* field) {
    if (!need(2)) return short_field(field, 2);
    const auto v = get_u16(bytes_, pos_);
    pos_ += 2;
    return v;
  }
  Result<uint32_t> u32(const char* field) {
    if (!need(4)) return short_field(field, 4);
    const auto v = get_u32(bytes_, pos_);
    pos_ += 4;
    return v;
  }
  Result<std::string> string(const char* field) { return read_ptp_string(bytes_, pos_, field); }
  Result<std::vector<uint16_t>> array(const char* field) {
    const std::size_t at = pos_;
    auto count = u32(field);
    if (!count) return fail(count.error());
    if (*count > kMaxArrayCount)
      return fail(Errc::too_large, std::string(field) + " at offset " + std::to_string(at) +
                                       ": array count " + std::to_string(*count) +
                                       " is above the limit of " + std::to_string(kMaxArrayCount));
    // Checked before allocating: a count the remaining bytes cannot hold is an error, not a
    // reason to reserve memory.
    if (static_cast<std::size_t>(*count) * 2 > bytes_.size() - pos_)
      return fail(Errc::truncated,
                  std::string(field) + " at offset " + std::to_string(at) + ": array count " +
                      std::to_string(*count) + " needs " + std::to_string(std::size_t{*count} * 2) +
                      " bytes but only " + std::to_string(bytes_.size() - pos_) + " remain");
    std::vector<uint16_t> items;
    items.reserve(*count);
    for (uint32_t i = 0; i < *count; ++i, pos_ += 2) items.push_back(get_u16(bytes_, pos_));
    return items;
  }
  [[nodiscard]] std::size_t remaining() const { return bytes_.size() - pos_; }

 private:
  [[nodiscard]] bool need(std::size_t n) const { return bytes_.size() - pos_ >= n; }
  dfx::sdk::Failure<Error> short_field(const char* field, std::size_t n) const {
    return fail(Errc::truncated, std::string(field) + " at offset " + std::to_string(pos_) +
                                     ": needs " + std::to_string(n) + " bytes but only " +
                                     std::to_string(bytes_.size() - pos_) + " remain");
  }
  std::span<const uint8_t> bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<DeviceInfo> parse_device_info(std::span<const uint8_t> dataset) {
  Reader r(dataset);
  DeviceInfo d;
#define DFX_MTP_READ(target, call)    \
  do {                                \
    auto v_ = (call);                 \
    if (!v_) return fail(v_.error()); \
    (target) = std::move(*v_);        \
  } while (0)
  DFX_MTP_READ(d.standard_version, r.u16("StandardVersion"));
  DFX_MTP_READ(d.vendor_extension_id, r.u32("VendorExtensionID"));
  DFX_MTP_READ(d.vendor_extension_version, r.u16("VendorExtensionVersion"));
  DFX_MTP_READ(d.vendor_extension_desc, r.string("VendorExtensionDesc"));
  DFX_MTP_READ(d.functional_mode, r.u16("FunctionalMode"));
  DFX_MTP_READ(d.operations_supported, r.array("OperationsSupported"));
  DFX_MTP_READ(d.events_supported, r.array("EventsSupported"));
  DFX_MTP_READ(d.device_properties_supported, r.array("DevicePropertiesSupported"));
  DFX_MTP_READ(d.capture_formats, r.array("CaptureFormats"));
  DFX_MTP_READ(d.playback_formats, r.array("PlaybackFormats"));
  DFX_MTP_READ(d.manufacturer, r.string("Manufacturer"));
  DFX_MTP_READ(d.model, r.string("Model"));
  DFX_MTP_READ(d.device_version, r.string("DeviceVersion"));
  DFX_MTP_READ(d.serial_number, r.string("SerialNumber"));
#undef DFX_MTP_READ
  d.trailing_bytes = r.remaining();
  return d;
}

Result<std::vector<uint8_t>> encode_device_info(const DeviceInfo& info) {
  std::vector<uint8_t> out;
  auto str = [&](const std::string& s, const char* field) -> Status {
    if (auto st = write_ptp_string(out, s); !st) return fail(st.error(), field);
    return {};
  };
  auto arr = [&](const std::vector<uint16_t>& items) {
    put_u32(out, static_cast<uint32_t>(items.size()));
    for (auto v : items) put_u16(out, v);
  };
  put_u16(out, info.standard_version);
  put_u32(out, info.vendor_extension_id);
  put_u16(out, info.vendor_extension_version);
  if (auto st = str(info.vendor_extension_desc, "VendorExtensionDesc"); !st)
    return fail(st.error());
  put_u16(out, info.functional_mode);
  arr(info.operations_supported);
  arr(info.events_supported);
  arr(info.device_properties_supported);
  arr(info.capture_formats);
  arr(info.playback_formats);
  if (auto st = str(info.manufacturer, "Manufacturer"); !st) return fail(st.error());
  if (auto st = str(info.model, "Model"); !st) return fail(st.error());
  if (auto st = str(info.device_version, "DeviceVersion"); !st) return fail(st.error());
  if (auto st = str(info.serial_number, "SerialNumber"); !st) return fail(st.error());
  out.resize(out.size() + info.trailing_bytes, 0);
  return out;
}

}  // namespace dfx::mtp
