// Value types describing a virtual USB device: what its descriptors say.
//
// A UsbDeviceSpec is plain data. The kit turns it into the binary descriptors
// (see usb_descriptors.hpp), the sysfs attributes libusb and udev read, and the
// answers to standard GET_DESCRIPTOR requests. Nothing here talks to umockdev.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dfx::testing {

/// USB transfer type, numbered as in bmAttributes bits 0..1 of an endpoint descriptor.
enum class TransferType : std::uint8_t {
  control = 0,
  isochronous = 1,
  bulk = 2,
  interrupt = 3,
};

/// Link speed the virtual device reports (sysfs `speed`, libusb_get_device_speed()).
enum class UsbSpeed : std::uint8_t {
  low,         ///< 1.5 Mbit/s
  full,        ///< 12 Mbit/s
  high,        ///< 480 Mbit/s
  super,       ///< 5 Gbit/s
  super_plus,  ///< 10 Gbit/s
};

/// A string a descriptor refers to by index.
///
/// An empty `text` means "no string" (index 0 in the descriptor). `index` 0 with
/// a non-empty text asks the kit to pick the next free index (in the order
/// manufacturer, product, serial, configurations, interfaces); a non-zero index
/// pins it, e.g. to copy a real device whose strings sit at fixed indexes.
struct UsbString {
  std::string text;        ///< UTF-8; at most 126 UTF-16 code units once encoded.
  std::uint8_t index = 0;  ///< 0 = assign automatically.

  UsbString() = default;
  UsbString(std::string t, std::uint8_t i = 0)
      : text(std::move(t)), index(i) {}  // NOLINT: implicit from text on purpose
  UsbString(const char* t) : text(t) {}  // NOLINT
  bool empty() const { return text.empty(); }
};

/// One endpoint of an alternate setting.
struct EndpointSpec {
  std::uint8_t address =
      0x81;  ///< bEndpointAddress; bit 7 set = IN. 0x00/0x80 are reserved for control.
  TransferType type = TransferType::bulk;
  std::uint8_t attribute_bits = 0;      ///< bmAttributes bits 2..5 (iso sync/usage); normally 0.
  std::uint16_t max_packet_size = 512;  ///< wMaxPacketSize (including high-bandwidth bits if any).
  std::uint8_t interval = 0;            ///< bInterval.
  std::vector<std::uint8_t>
      extra;  ///< Class-specific descriptors placed right after this endpoint descriptor.

  bool is_in() const { return (address & 0x80) != 0; }
  std::uint8_t bm_attributes() const {
    return static_cast<std::uint8_t>(static_cast<std::uint8_t>(type) | (attribute_bits & 0x3C));
  }
};

/// One alternate setting of an interface (what an interface descriptor describes).
struct AltSettingSpec {
  std::uint8_t alternate = 0;  ///< bAlternateSetting.
  std::uint8_t interface_class =
      0;  ///< bInterfaceClass, e.g. 0xFF vendor, 0x06 still image, 0x02 CDC.
  std::uint8_t interface_subclass = 0;  ///< bInterfaceSubClass.
  std::uint8_t interface_protocol = 0;  ///< bInterfaceProtocol.
  UsbString name;                       ///< iInterface string.
  std::vector<EndpointSpec> endpoints;
  std::vector<std::uint8_t> extra;  ///< Class-specific descriptors (CDC functional, HID...) after
                                    ///< the interface descriptor.
};

/// An interface: a number and its alternate settings (at least one, alternate 0 first).
struct InterfaceSpec {
  std::uint8_t number = 0;  ///< bInterfaceNumber.
  std::vector<AltSettingSpec> alt_settings;
};

/// One configuration.
struct ConfigurationSpec {
  std::uint8_t value = 1;  ///< bConfigurationValue (non-zero).
  UsbString name;          ///< iConfiguration string.
  std::uint8_t attributes =
      0x80;  ///< bmAttributes; bit 7 must be set, 0x40 self-powered, 0x20 remote wakeup.
  std::uint16_t max_power_ma =
      500;  ///< Converted to bMaxPower units (2 mA, or 8 mA at SuperSpeed).
  std::vector<InterfaceSpec> interfaces;
  std::vector<std::uint8_t>
      extra;  ///< Descriptors placed after the configuration descriptor, before the
              ///< first interface (e.g. interface association descriptors).
};

/// The whole device: device descriptor fields, strings and configurations.
struct UsbDeviceSpec {
  std::uint16_t vendor_id = 0;        ///< idVendor.
  std::uint16_t product_id = 0;       ///< idProduct.
  std::uint16_t bcd_usb = 0x0200;     ///< bcdUSB.
  std::uint16_t bcd_device = 0x0100;  ///< bcdDevice.
  std::uint8_t device_class = 0;      ///< bDeviceClass (0 = per interface).
  std::uint8_t device_subclass = 0;   ///< bDeviceSubClass.
  std::uint8_t device_protocol = 0;   ///< bDeviceProtocol.
  std::uint8_t max_packet_size0 =
      64;                  ///< bMaxPacketSize0: 8, 16, 32 or 64 (9 = 512 bytes at SuperSpeed).
  UsbString manufacturer;  ///< iManufacturer.
  UsbString product;       ///< iProduct.
  UsbString serial;        ///< iSerialNumber.
  std::map<std::uint8_t, std::string>
      extra_strings;  ///< More strings at fixed indexes (e.g. 0xEE "MSFT100").
  std::vector<std::uint16_t> languages{0x0409};  ///< LANGIDs in string descriptor 0.
  UsbSpeed speed = UsbSpeed::high;
  std::vector<ConfigurationSpec>
      configurations;  ///< At least one; the first is active after plugging.
  std::vector<std::uint8_t>
      bos;  ///< Raw BOS descriptor set; answered to GET_DESCRIPTOR(BOS) when non-empty.
};

}  // namespace dfx::testing
