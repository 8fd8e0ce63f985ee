#include "lab/raw_descriptors.hpp"

namespace dfx::lab {
namespace {

using testing::UsbString;

constexpr uint8_t kDevice = 1, kConfiguration = 2, kInterface = 4, kEndpoint = 5;

uint16_t le16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | p[1] << 8);
}

UsbString string_at(uint8_t index, const std::map<uint8_t, std::string>& strings) {
  if (index == 0) return {};
  const auto it = strings.find(index);
  return it == strings.end() ? UsbString{} : UsbString(it->second, index);
}

}  // namespace

Result<testing::UsbDeviceSpec> spec_from_raw_descriptors(
    std::span<const uint8_t> raw, const std::map<uint8_t, std::string>& strings) {
  testing::UsbDeviceSpec spec;
  if (raw.size() < 18 || raw[0] != 18 || raw[1] != kDevice)
    return fail("the descriptors do not start with an 18-byte device descriptor");
  const uint8_t* d = raw.data();
  spec.bcd_usb = le16(d + 2);
  spec.device_class = d[4];
  spec.device_subclass = d[5];
  spec.device_protocol = d[6];
  spec.max_packet_size0 = d[7];
  spec.vendor_id = le16(d + 8);
  spec.product_id = le16(d + 10);
  spec.bcd_device = le16(d + 12);
  spec.manufacturer = string_at(d[14], strings);
  spec.product = string_at(d[15], strings);
  spec.serial = string_at(d[16], strings);
  spec.speed = spec.bcd_usb >= 0x0300 ? testing::UsbSpeed::super : testing::UsbSpeed::high;
  const uint8_t configurations = d[17];

  std::size_t at = 18;
  for (uint8_t c = 0; c < configurations; ++c) {
    const std::string where = "configuration " + std::to_string(c) + ": ";
    if (raw.size() - at < 9 || raw[at] < 9 || raw[at + 1] != kConfiguration)
      return fail(where + "no configuration descriptor at byte " + std::to_string(at));
    const std::size_t total = le16(raw.data() + at + 2);
    if (total < raw[at] || total > raw.size() - at)
      return fail(where + "its total length " + std::to_string(total) + " runs past the end");
    testing::ConfigurationSpec config;
    config.value = raw[at + 5];
    config.name = string_at(raw[at + 6], strings);
    config.attributes = raw[at + 7];
    config.max_power_ma = static_cast<uint16_t>(raw[at + 8] * 2);
    const std::size_t end = at + total;
    std::size_t p = at + raw[at];
    std::vector<uint8_t>* extra = &config.extra;  // where descriptors of other types go
    while (p < end) {
      const uint8_t len = raw[p];
      if (len < 2 || len > end - p)
        return fail(where + "a descriptor of length " + std::to_string(len) + " at byte " +
                    std::to_string(p) + " does not fit");
      const uint8_t type = raw[p + 1];
      if (type == kInterface && len >= 9) {
        const uint8_t number = raw[p + 2];
        testing::InterfaceSpec* itf = nullptr;
        for (auto& i : config.interfaces)
          if (i.number == number) itf = &i;
        if (itf == nullptr) {
          config.interfaces.push_back({number, {}});
          itf = &config.interfaces.back();
        }
        testing::AltSettingSpec alt;
        alt.alternate = raw[p + 3];
        alt.interface_class = raw[p + 5];
        alt.interface_subclass = raw[p + 6];
        alt.interface_protocol = raw[p + 7];
        alt.name = string_at(raw[p + 8], strings);
        itf->alt_settings.push_back(std::move(alt));
        extra = &itf->alt_settings.back().extra;
      } else if (type == kEndpoint && len >= 7) {
        if (config.interfaces.empty())
          return fail(where + "an endpoint descriptor before any interface");
        auto& alt = config.interfaces.back().alt_settings.back();
        testing::EndpointSpec ep;
        ep.address = raw[p + 2];
        ep.type = static_cast<testing::TransferType>(raw[p + 3] & 0x03);
        ep.attribute_bits = static_cast<uint8_t>(raw[p + 3] & 0x3C);
        ep.max_packet_size = le16(raw.data() + p + 4);
        ep.interval = raw[p + 6];
        alt.endpoints.push_back(std::move(ep));
        extra = &alt.endpoints.back().extra;
      } else {
        extra->insert(extra->end(), raw.begin() + static_cast<std::ptrdiff_t>(p),
                      raw.begin() + static_cast<std::ptrdiff_t>(p + len));
      }
      p += len;
    }
    spec.configurations.push_back(std::move(config));
    at = end;
  }
  if (spec.configurations.empty()) return fail("the device has no configuration");
  return spec;
}

}  // namespace dfx::lab
