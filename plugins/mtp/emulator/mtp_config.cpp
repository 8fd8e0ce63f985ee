#include "mtp_config.hpp"

#include "dfx/testing/json_reader.hpp"

namespace dfx::testing::mtp_emu {
namespace {

// What AOSP's MTP server (frameworks/av media/mtp MtpServer.cpp) lists, abridged: the operation
// codes libmtp looks for, without the MTPZ and Samsung extensions.
const std::vector<std::uint16_t> kAospOperations = {
    0x1001, 0x1002, 0x1003, 0x1004, 0x1005, 0x1007, 0x1008, 0x1009, 0x100B, 0x100C,
    0x100D, 0x1014, 0x1015, 0x1016, 0x1017, 0x101B, 0x9801, 0x9802, 0x9803, 0x9804,
    0x9805, 0x9810, 0x9811, 0x95C1, 0x95C2, 0x95C3, 0x95C4, 0x95C5};
const std::vector<std::uint16_t> kAospEvents = {0x4002, 0x4003, 0x4004, 0x4005, 0x4006, 0xC801};
const std::vector<std::uint16_t> kAospProperties = {0xD401, 0xD402, 0x5003, 0x5001, 0xD406, 0xD407};
const std::vector<std::uint16_t> kAospFormats = {
    0x3000, 0x3001, 0x3004, 0x3005, 0x3008, 0x3009, 0x300B, 0x3801, 0x3802, 0x3807, 0x3808, 0x380B,
    0x380D, 0xB901, 0xB902, 0xB903, 0xB982, 0xB983, 0xB984, 0xBA05, 0xBA10, 0xBA11, 0xBA14, 0xBA82};

std::vector<std::uint16_t> codes(const JsonReader& r) {
  std::vector<std::uint16_t> out;
  for (const auto& item : r.array()) out.push_back(item.u16());
  return out;
}

/// The bulk pair of the PTP interface: 6/1/1, else ff/ff/00 named "MTP".
tl::expected<void, std::string> find_endpoints(const UsbDeviceSpec& device, MtpConfig& c) {
  if (device.configurations.empty()) return tl::unexpected(std::string("/usb: no configuration"));
  for (const bool vendor : {false, true}) {
    for (const auto& itf : device.configurations.front().interfaces) {
      for (const auto& alt : itf.alt_settings) {
        const bool ptp = !vendor && alt.interface_class == 0x06 && alt.interface_subclass == 0x01 &&
                         alt.interface_protocol == 0x01;
        const bool mtp = vendor && alt.interface_class == 0xFF && alt.interface_subclass == 0xFF &&
                         alt.interface_protocol == 0x00 && alt.name.text == "MTP";
        if (!ptp && !mtp) continue;
        for (const auto& ep : alt.endpoints) {
          if (ep.type != TransferType::bulk) continue;
          if (ep.is_in() && !c.in_endpoint) {
            c.in_endpoint = ep.address;
            c.max_packet = ep.max_packet_size ? ep.max_packet_size : 512;
          }
          if (!ep.is_in() && !c.out_endpoint) c.out_endpoint = ep.address;
        }
        if (c.in_endpoint && c.out_endpoint) return {};
        return tl::unexpected("/usb: interface " + std::to_string(itf.number) +
                              " needs a bulk IN and a bulk OUT endpoint");
      }
    }
  }
  return tl::unexpected(std::string(
      "/usb: the first configuration has no PTP interface (06/01/01, or ff/ff/00 named \"MTP\")"));
}

}  // namespace

tl::expected<MtpConfig, std::string> read_mtp_config(const BehaviorContext& context) {
  MtpConfig c;
  if (auto eps = find_endpoints(context.device, c); !eps)
    return tl::unexpected(eps.error() + " (the mtp module plays MTP on the PTP interface)");
  auto& d = c.info;
  d.vendor_extension_desc = "microsoft.com: 1.0; android.com: 1.0;";
  d.operations_supported = kAospOperations;
  d.events_supported = kAospEvents;
  d.device_properties_supported = kAospProperties;
  d.capture_formats = kAospFormats;
  d.playback_formats = kAospFormats;
  d.device_version = "1.0";
  d.serial_number = context.device.serial.text;
  try {
    const JsonReader p(context.params, "/behavior/params");
    p.expect_object({"manufacturer", "model", "device_version", "serial_number",
                     "vendor_extension_desc", "vendor_extension_id", "vendor_extension_version",
                     "standard_version", "functional_mode", "operations", "events",
                     "device_properties", "capture_formats", "playback_formats", "hostile",
                     "bad_field", "response_code"});
    d.manufacturer = p.at("manufacturer").str();
    d.model = p.at("model").str();
    if (auto v = p.opt("device_version")) d.device_version = v->str();
    if (auto v = p.opt("serial_number")) d.serial_number = v->str();
    if (auto v = p.opt("vendor_extension_desc")) d.vendor_extension_desc = v->str();
    if (auto v = p.opt("vendor_extension_id"))
      d.vendor_extension_id = static_cast<std::uint32_t>(v->uint(0xFFFFFFFF));
    if (auto v = p.opt("vendor_extension_version")) d.vendor_extension_version = v->u16();
    if (auto v = p.opt("standard_version")) d.standard_version = v->u16();
    if (auto v = p.opt("functional_mode")) d.functional_mode = v->u16();
    if (auto v = p.opt("operations")) d.operations_supported = codes(*v);
    if (auto v = p.opt("events")) d.events_supported = codes(*v);
    if (auto v = p.opt("device_properties")) d.device_properties_supported = codes(*v);
    if (auto v = p.opt("capture_formats")) d.capture_formats = codes(*v);
    if (auto v = p.opt("playback_formats")) d.playback_formats = codes(*v);
    if (auto h = p.opt("hostile"))
      c.hostile = h->one_of<Hostile>({{"endless", Hostile::endless},
                                      {"garbage", Hostile::garbage},
                                      {"bad_dataset", Hostile::bad_dataset},
                                      {"silent", Hostile::silent},
                                      {"wrong_transaction_id", Hostile::wrong_transaction_id},
                                      {"error_response", Hostile::error_response}});
    if (auto b = p.opt("bad_field")) {
      if (c.hostile != Hostile::bad_dataset) b->fail("only with \"hostile\": \"bad_dataset\"");
      c.bad_field = b->one_of<BadField>(
          {{"string_past_end", BadField::string_past_end}, {"huge_array", BadField::huge_array}});
    }
    if (auto r = p.opt("response_code")) {
      if (c.hostile != Hostile::error_response)
        r->fail("only with \"hostile\": \"error_response\"");
      c.response_code = r->u16();
      if (c.response_code == 0x2001) r->fail("must not be OK (0x2001)");
    }
    if (auto encoded = dfx::mtp::encode_device_info(d); !encoded)
      p.fail("the DeviceInfo cannot be encoded: " + encoded.error().message);
  } catch (const JsonReadError& e) {
    return tl::unexpected(e.path + ": " + e.message);
  }
  return c;
}

}  // namespace dfx::testing::mtp_emu
