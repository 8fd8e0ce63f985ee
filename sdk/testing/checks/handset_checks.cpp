// Checks of a folder of handset files (dfx_testing_add_handset_checks): every
// file loads with a known behaviour and plugs, libusb and the real `lsusb -v`
// (Debian usbutils, a separate process inside the testbed) show exactly the
// descriptors and strings the file defines, and identifiers in descriptors and
// modem dialogues are well formed.
//
// Compiled by the CMake function with:
//   DFX_TESTING_CATALOGUE_DIR       the folder of handset files
//   DFX_TESTING_CATALOGUE_INCLUDE   optional: a header declaring...
//   DFX_TESTING_CATALOGUE_REGISTER  ...a function that adds the folder's
//                                   behaviour modules to a BehaviorRegistry
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <regex>
#include <sstream>

#include <dfx/testing/libusb_test.hpp>

#ifdef DFX_TESTING_CATALOGUE_INCLUDE
#include DFX_TESTING_CATALOGUE_INCLUDE
#endif

namespace dfx::testing::test {
namespace {

const std::filesystem::path catalogue_dir = DFX_TESTING_CATALOGUE_DIR;

// The kit's modules plus those the handsets of this folder need: the folder's own (REGISTER),
// then any other module of the emulator modules found where dfx-lab finds them, for handsets
// whose device plays another plugin's protocol too (a phone's MTP beside its ADB, in a
// "composite"). A name the folder registers itself is not taken from the emulator modules.
const BehaviorRegistry& registry() {
  static const BehaviorRegistry r = [] {
    auto reg = BehaviorRegistry::builtin();
#ifdef DFX_TESTING_CATALOGUE_REGISTER
    auto added = DFX_TESTING_CATALOGUE_REGISTER(reg);
    if (!added) ADD_FAILURE() << added.error();
#endif
    auto found = BehaviorRegistry::with_emulators(BehaviorRegistry::default_emulator_dirs());
    if (!found) {
      ADD_FAILURE() << found.error();
      return reg;
    }
    for (const auto& name : found->names())
      if (reg.find(name) == nullptr) (void)reg.add(*found->find(name));
    return reg;
  }();
  return r;
}

std::vector<std::string> catalogue_ids() {
  std::vector<std::string> ids;
  for (const auto& e : std::filesystem::directory_iterator(catalogue_dir))
    if (e.path().extension() == ".json") ids.push_back(e.path().stem().string());
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool luhn_valid(const std::string& digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    int d = digits[digits.size() - 1 - i] - '0';
    if (d < 0 || d > 9) return false;
    if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0;
}

TEST(Catalogue, EveryFileLoadsWithAKnownBehaviour) {
  auto all = load_handset_directory(catalogue_dir);
  ASSERT_TRUE(all) << all.error();
  EXPECT_FALSE(all->empty()) << catalogue_dir;
  for (const auto& h : *all) {
    EXPECT_NE(registry().find(h.behavior.module), nullptr) << h.id << ": " << h.behavior.module;
    EXPECT_FALSE(h.description.empty()) << h.id;
  }
}

TEST(Catalogue, IdentifiersAreWellFormed) {
  auto all = load_handset_directory(catalogue_dir);
  ASSERT_TRUE(all) << all.error();
  const std::regex imei(R"(IMEI:\[(\d{15})\])");
  for (const auto& h : *all) {
    std::smatch m;
    const std::string serial = h.usb.serial.text;
    if (std::regex_search(serial, m, imei)) {
      EXPECT_TRUE(luhn_valid(m[1])) << h.id << ": " << m[1];
    }
    if (h.id == "iphone-normal") {
      EXPECT_TRUE(std::regex_match(serial, std::regex("[0-9A-F]{24}")))
          << serial;  // UDID without the hyphen
    }
    for (const auto& tty : h.ttys) {
      if (!tty.dialogue) continue;
      for (const auto& e : tty.dialogue->entries) {
        if (e.command == "AT+CGSN") {
          EXPECT_TRUE(luhn_valid(e.reply.at(0))) << h.id;
        }
      }
    }
  }
}

class CatalogueHandset : public KitTest, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    KitTest::SetUp();
    if (HasFatalFailure()) return;
    auto h = load_handset(catalogue_dir / (GetParam() + ".json"));
    ASSERT_TRUE(h) << h.error();
    handset = *h;
    auto d = plug_handset(*testbed, handset, registry());
    ASSERT_TRUE(d) << d.error();
    device = *d;
  }
  HandsetSpec handset;
  VirtualUsbDevice* device = nullptr;
};

TEST_P(CatalogueHandset, EnumeratesWithLibusb) {
  const auto& spec = device->spec();
  auto* h = open(spec);
  ASSERT_NE(h, nullptr);
  libusb_device_descriptor d{};
  ASSERT_EQ(libusb_get_device_descriptor(libusb_get_device(h), &d), 0);
  EXPECT_EQ(d.bNumConfigurations, spec.configurations.size());
  if (!spec.manufacturer.empty()) {
    EXPECT_EQ(read_string(h, d.iManufacturer), spec.manufacturer.text);
  }
  if (!spec.product.empty()) {
    EXPECT_EQ(read_string(h, d.iProduct), spec.product.text);
  }
  if (!spec.serial.empty()) {
    EXPECT_EQ(read_string(h, d.iSerialNumber), spec.serial.text);
  }
  for (const auto& tty : device->ttys()) {
    struct stat st {};
    EXPECT_EQ(::stat(tty->devnode().c_str(), &st), 0) << tty->devnode();
  }
}

// --- lsusb -v parsing --------------------------------------------------------

struct Node {
  std::map<std::string, std::string> fields;  // "idVendor" -> "0x18d1 Google Inc."
  std::vector<Node> children;
  std::string get(const std::string& k) const {
    auto it = fields.find(k);
    return it == fields.end() ? "<missing " + k + ">" : it->second;
  }
};

// Device > Configuration > Interface (one per alternate setting) > Endpoint.
// Other descriptors lsusb decodes (HID, CDC, DFU, BOS, status...) are skipped.
Node parse_lsusb(const std::string& text) {
  Node device;
  Node* current = nullptr;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    const std::string trimmed = line.substr(first);
    if (trimmed == "Device Descriptor:") {
      current = &device;
    } else if (trimmed == "Configuration Descriptor:") {
      device.children.emplace_back();
      current = &device.children.back();
    } else if (trimmed == "Interface Descriptor:" && !device.children.empty()) {
      device.children.back().children.emplace_back();
      current = &device.children.back().children.back();
    } else if (trimmed == "Endpoint Descriptor:" && !device.children.empty() &&
               !device.children.back().children.empty()) {
      device.children.back().children.back().children.emplace_back();
      current = &device.children.back().children.back().children.back();
    } else if (trimmed.back() == ':') {
      current = nullptr;  // a descriptor we do not compare
    } else if (current) {
      const auto space = trimmed.find(' ');
      if (space == std::string::npos) continue;
      const std::string key = trimmed.substr(0, space);
      const auto value = trimmed.find_first_not_of(' ', space);
      if (!current->fields.count(key))
        current->fields[key] = value == std::string::npos ? "" : trimmed.substr(value);
    }
  }
  return device;
}

std::string hex4(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%04x", v);
  return b;
}
std::string hex2(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%02x", v);
  return b;
}
std::string bcd(unsigned v) {
  char b[16];
  std::snprintf(b, sizeof b, "%2x.%02x", v >> 8, v & 0xFF);
  return std::string(b).substr(b[0] == ' ' ? 1 : 0);
}
// "iManufacturer 1 Google": the index, then the string as read from the device.
std::string string_field(const UsbString& s) {
  return s.empty() ? "0" : std::to_string(s.index) + " " + s.text;
}
// Numeric fields are followed by lsusb's own naming of the value; compare the number.
std::string first_word(const std::string& s) {
  return s.substr(0, s.find(' '));
}
std::string rtrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return "<popen failed>";
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = ::pclose(p);
  if (status != 0) out += "\n<exit status " + std::to_string(status) + ">";
  return out;
}

TEST_P(CatalogueHandset, LsusbShowsDescriptorsAndStrings) {
  const auto& spec = device->spec();  // strings resolved to their indexes
  char id[16];
  std::snprintf(id, sizeof id, "%04x:%04x", spec.vendor_id, spec.product_id);
  const std::string output = run(std::string("lsusb -v -d ") + id + " 2>&1");
  SCOPED_TRACE(output);
  ASSERT_EQ(output.find("Couldn't open device"), std::string::npos);
  ASSERT_EQ(output.find("<exit status"), std::string::npos);
  char bus_line[64];
  std::snprintf(bus_line, sizeof bus_line, "Bus %03u Device %03u: ID %s", device->bus(),
                device->devnum(), id);
  EXPECT_NE(output.find(bus_line), std::string::npos);

  const Node d = parse_lsusb(output);
  EXPECT_EQ(first_word(d.get("idVendor")), hex4(spec.vendor_id));
  EXPECT_EQ(first_word(d.get("idProduct")), hex4(spec.product_id));
  EXPECT_EQ(d.get("bcdUSB"), bcd(spec.bcd_usb));
  EXPECT_EQ(d.get("bcdDevice"), bcd(spec.bcd_device));
  EXPECT_EQ(first_word(d.get("bDeviceClass")), std::to_string(spec.device_class));
  EXPECT_EQ(first_word(d.get("bDeviceSubClass")), std::to_string(spec.device_subclass));
  EXPECT_EQ(first_word(d.get("bDeviceProtocol")), std::to_string(spec.device_protocol));
  EXPECT_EQ(d.get("bMaxPacketSize0"), std::to_string(spec.max_packet_size0));
  EXPECT_EQ(rtrim(d.get("iManufacturer")), string_field(spec.manufacturer));
  EXPECT_EQ(rtrim(d.get("iProduct")), string_field(spec.product));
  EXPECT_EQ(rtrim(d.get("iSerial")), string_field(spec.serial));
  EXPECT_EQ(d.get("bNumConfigurations"), std::to_string(spec.configurations.size()));

  ASSERT_EQ(d.children.size(), spec.configurations.size());
  for (std::size_t c = 0; c < spec.configurations.size(); ++c) {
    const auto& want = spec.configurations[c];
    const auto& got = d.children[c];
    SCOPED_TRACE("configuration " + std::to_string(want.value));
    EXPECT_EQ(got.get("bConfigurationValue"), std::to_string(want.value));
    EXPECT_EQ(got.get("bNumInterfaces"), std::to_string(want.interfaces.size()));
    EXPECT_EQ(rtrim(got.get("iConfiguration")), string_field(want.name));
    EXPECT_EQ(got.get("bmAttributes"), hex2(want.attributes));
    std::vector<std::pair<const InterfaceSpec*, const AltSettingSpec*>> alts;
    for (const auto& i : want.interfaces)
      for (const auto& a : i.alt_settings) alts.emplace_back(&i, &a);
    ASSERT_EQ(got.children.size(), alts.size());
    for (std::size_t k = 0; k < alts.size(); ++k) {
      const auto& [iface, alt] = alts[k];
      const auto& gi = got.children[k];
      SCOPED_TRACE("interface " + std::to_string(iface->number) + " alt " +
                   std::to_string(alt->alternate));
      EXPECT_EQ(gi.get("bInterfaceNumber"), std::to_string(iface->number));
      EXPECT_EQ(gi.get("bAlternateSetting"), std::to_string(alt->alternate));
      EXPECT_EQ(gi.get("bNumEndpoints"), std::to_string(alt->endpoints.size()));
      EXPECT_EQ(first_word(gi.get("bInterfaceClass")), std::to_string(alt->interface_class));
      EXPECT_EQ(first_word(gi.get("bInterfaceSubClass")), std::to_string(alt->interface_subclass));
      EXPECT_EQ(first_word(gi.get("bInterfaceProtocol")), std::to_string(alt->interface_protocol));
      EXPECT_EQ(rtrim(gi.get("iInterface")), string_field(alt->name));
      ASSERT_EQ(gi.children.size(), alt->endpoints.size());
      for (std::size_t e = 0; e < alt->endpoints.size(); ++e) {
        const auto& ep = alt->endpoints[e];
        const auto& ge = gi.children[e];
        EXPECT_EQ(first_word(ge.get("bEndpointAddress")), hex2(ep.address));
        EXPECT_EQ(ge.get("bmAttributes"), std::to_string(ep.bm_attributes()));
        EXPECT_EQ(first_word(ge.get("wMaxPacketSize")), hex4(ep.max_packet_size));
        EXPECT_EQ(ge.get("bInterval"), std::to_string(ep.interval));
      }
    }
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  for (auto& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Catalogue, CatalogueHandset, ::testing::ValuesIn(catalogue_ids()),
                         test_name);

}  // namespace
}  // namespace dfx::testing::test
