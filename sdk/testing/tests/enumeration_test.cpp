// libusb sees virtual devices with the right descriptors, strings, addresses
// and port paths.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <dfx/testing/libusb_test.hpp>

namespace dfx::testing::test {
namespace {

class Enumeration : public KitTest {};

TEST_F(Enumeration, ListsDeviceWithDescriptors) {
  const auto spec = sample_spec();
  ASSERT_TRUE(plug(spec));
  libusb_device* dev = find_device(usb->get(), spec.vendor_id, spec.product_id);
  ASSERT_NE(dev, nullptr);
  libusb_device_descriptor d{};
  ASSERT_EQ(libusb_get_device_descriptor(dev, &d), 0);
  EXPECT_EQ(d.bcdUSB, 0x0200);
  EXPECT_EQ(d.bcdDevice, 0x0123);
  EXPECT_EQ(d.bMaxPacketSize0, 64);
  EXPECT_EQ(d.bNumConfigurations, 1);
  EXPECT_NE(d.iManufacturer, 0);
  EXPECT_NE(d.iSerialNumber, 0);

  libusb_config_descriptor* config = nullptr;
  ASSERT_EQ(libusb_get_active_config_descriptor(dev, &config), 0);
  EXPECT_EQ(config->bConfigurationValue, 1);
  EXPECT_EQ(config->MaxPower, 250);  // 2 mA units
  ASSERT_EQ(config->bNumInterfaces, 2);
  const auto& alt0 = config->interface[0].altsetting[0];
  EXPECT_EQ(alt0.bInterfaceClass, 0xFF);
  EXPECT_EQ(alt0.bInterfaceSubClass, 0x42);
  EXPECT_EQ(alt0.bInterfaceProtocol, 0x01);
  ASSERT_EQ(alt0.bNumEndpoints, 2);
  EXPECT_EQ(alt0.endpoint[0].bEndpointAddress, 0x81);
  EXPECT_EQ(alt0.endpoint[0].bmAttributes, LIBUSB_TRANSFER_TYPE_BULK);
  EXPECT_EQ(alt0.endpoint[0].wMaxPacketSize, 512);
  const auto& alt1 = config->interface[1].altsetting[0];
  EXPECT_EQ(alt1.endpoint[0].bEndpointAddress, 0x83);
  EXPECT_EQ(alt1.endpoint[0].bmAttributes, LIBUSB_TRANSFER_TYPE_INTERRUPT);
  EXPECT_EQ(alt1.endpoint[0].bInterval, 4);
  libusb_free_config_descriptor(config);
  EXPECT_EQ(libusb_get_device_speed(dev), LIBUSB_SPEED_HIGH);
  libusb_unref_device(dev);
}

TEST_F(Enumeration, ReadsStringsThroughControlTransfers) {
  auto spec = sample_spec();
  spec.product = "Téléphone ☎ 𝄞";  // non-ASCII, incl. a surrogate pair
  ASSERT_TRUE(plug(spec));
  auto* h = open(spec);
  ASSERT_NE(h, nullptr);
  libusb_device_descriptor d{};
  ASSERT_EQ(libusb_get_device_descriptor(libusb_get_device(h), &d), 0);
  EXPECT_EQ(read_string(h, d.iManufacturer), "dfx test");
  EXPECT_EQ(read_string(h, d.iSerialNumber), "VIRT0001");

  unsigned char langs[16] = {};
  ASSERT_EQ(libusb_get_string_descriptor(h, 0, 0, langs, sizeof langs), 4);
  EXPECT_EQ(langs[2] | (langs[3] << 8), 0x0409);

  unsigned char raw[256] = {};
  const int n = libusb_get_string_descriptor(h, d.iProduct, 0x0409, raw, sizeof raw);
  auto expected = encode_string_descriptor("Téléphone ☎ 𝄞");
  ASSERT_TRUE(expected);
  ASSERT_EQ(n, static_cast<int>(expected->size()));
  EXPECT_EQ(Bytes(raw, raw + n), *expected);

  libusb_config_descriptor* config = nullptr;
  ASSERT_EQ(libusb_get_active_config_descriptor(libusb_get_device(h), &config), 0);
  EXPECT_EQ(read_string(h, config->interface[0].altsetting[0].iInterface), "ADB Interface");
  EXPECT_EQ(read_string(h, config->iConfiguration), "default");
  libusb_free_config_descriptor(config);
  // A string index the device does not have stalls, as on real devices.
  EXPECT_EQ(libusb_get_string_descriptor(h, 200, 0x0409, raw, sizeof raw), LIBUSB_ERROR_PIPE);
}

TEST_F(Enumeration, ReportsBusAddressAndPortPath) {
  const auto spec = sample_spec();
  auto* device = plug(spec, nullptr, PlugOptions{Placement{3, 17, {4}}, {}});
  ASSERT_TRUE(device);
  EXPECT_EQ(device->sysfs_name(), "3-4");
  EXPECT_EQ(device->devnode(), "/dev/bus/usb/003/017");
  libusb_device* dev = find_device(usb->get(), spec.vendor_id, spec.product_id);
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(libusb_get_bus_number(dev), 3);
  EXPECT_EQ(libusb_get_device_address(dev), 17);
  std::uint8_t ports[8] = {};
  ASSERT_EQ(libusb_get_port_numbers(dev, ports, 8), 1);
  EXPECT_EQ(ports[0], 4);
  libusb_device* parent = libusb_get_parent(dev);
  ASSERT_NE(parent, nullptr);  // the root hub the testbed added
  libusb_device_descriptor pd{};
  libusb_get_device_descriptor(parent, &pd);
  EXPECT_EQ(pd.idVendor, 0x1D6B);
  EXPECT_EQ(pd.idProduct, 0x0002);
  EXPECT_EQ(libusb_get_device_address(parent), 1);
  libusb_unref_device(dev);
}

TEST_F(Enumeration, DeepPortPathGetsIntermediateHub) {
  const auto spec = sample_spec();
  auto* device = plug(spec, nullptr, PlugOptions{Placement{1, 0, {2, 3, 1}}, {}});
  ASSERT_TRUE(device);
  EXPECT_EQ(device->sysfs_name(), "1-2.3.1");
  EXPECT_EQ(device->sysfs_path(), "/sys/devices/platform/dummy_hcd.0/usb1/1-2/1-2.3/1-2.3.1");
  libusb_device* dev = find_device(usb->get(), spec.vendor_id, spec.product_id);
  ASSERT_NE(dev, nullptr);
  std::uint8_t ports[8] = {};
  ASSERT_EQ(libusb_get_port_numbers(dev, ports, 8), 3);
  EXPECT_EQ(ports[0], 2);
  EXPECT_EQ(ports[1], 3);
  EXPECT_EQ(ports[2], 1);
  libusb_device* hub = libusb_get_parent(dev);
  ASSERT_NE(hub, nullptr);
  libusb_device_descriptor hd{};
  libusb_get_device_descriptor(hub, &hd);
  EXPECT_EQ(hd.bDeviceClass, LIBUSB_CLASS_HUB);
  libusb_unref_device(dev);
  // Root hub, two generic hubs, the device.
  EXPECT_EQ(testbed->devices().size(), 4u);
}

TEST_F(Enumeration, AutomaticAddressesAndPortsAreDistinct) {
  auto a = sample_spec();
  auto b = sample_spec();
  b.product_id = 0x0002;
  auto* da = plug(a);
  auto* db = plug(b);
  ASSERT_TRUE(da && db);
  EXPECT_NE(da->devnum(), db->devnum());
  EXPECT_NE(da->port_path(), db->port_path());
  EXPECT_EQ(da->devnum(), 2);  // root hub has 1
  auto taken =
      testbed->plug(sample_spec(), nullptr, PlugOptions{Placement{1, da->devnum(), {9}}, {}});
  ASSERT_FALSE(taken);
  EXPECT_NE(taken.error().find("already in use"), std::string::npos) << taken.error();
  auto port_taken =
      testbed->plug(sample_spec(), nullptr, PlugOptions{Placement{1, 0, da->port_path()}, {}});
  ASSERT_FALSE(port_taken);
  EXPECT_NE(port_taken.error().find("already taken"), std::string::npos) << port_taken.error();
}

TEST_F(Enumeration, SysfsShowsDeviceAndInterfaces) {
  const auto spec = sample_spec();
  auto* device = plug(spec);
  ASSERT_TRUE(device);
  const std::string base = testbed->root_dir() + device->sysfs_path();
  auto read = [](const std::string& path) {
    std::ifstream f(path);
    std::string s;
    std::getline(f, s);
    return s;
  };
  EXPECT_EQ(read(base + "/idVendor"), "1209");
  EXPECT_EQ(read(base + "/serial"), "VIRT0001");
  EXPECT_EQ(read(base + "/speed"), "480");
  const std::string iface = base + "/" + device->sysfs_name() + ":1.0";
  EXPECT_EQ(read(iface + "/bInterfaceClass"), "ff");
  EXPECT_EQ(read(iface + "/interface"), "ADB Interface");
}

TEST_F(Enumeration, SetConfigurationSwitchesAndIsVisible) {
  auto spec = sample_spec();
  ConfigurationSpec second = spec.configurations.front();
  second.value = 2;
  second.name = "second";
  second.interfaces.resize(1);
  spec.configurations.push_back(second);
  struct Watch : UsbBehavior {
    std::atomic<int> seen{-1};
    void on_set_configuration(DeviceSide&, std::uint8_t v) override { seen = v; }
  };
  auto behavior = std::make_unique<Watch>();
  auto* watch = behavior.get();
  auto* device = plug(spec, std::move(behavior));
  ASSERT_TRUE(device);
  auto* h = open(spec);
  ASSERT_NE(h, nullptr);
  int config = -1;
  ASSERT_EQ(libusb_get_configuration(h, &config), 0);
  EXPECT_EQ(config, 1);
  ASSERT_EQ(libusb_set_configuration(h, 2), 0);
  EXPECT_EQ(watch->seen.load(), 2);
  EXPECT_EQ(device->device_side().configuration(), 2);
  ASSERT_EQ(libusb_get_configuration(h, &config), 0);  // read back from sysfs
  EXPECT_EQ(config, 2);
  EXPECT_EQ(libusb_claim_interface(h, 1), LIBUSB_ERROR_NOT_FOUND);    // config 2 has no interface 1
  EXPECT_EQ(libusb_set_configuration(h, 9), LIBUSB_ERROR_NOT_FOUND);  // the kernel answers EINVAL
}

TEST_F(Enumeration, InvalidDescriptionIsRejectedWithTheField) {
  auto spec = sample_spec();
  spec.configurations[0].interfaces[0].alt_settings[0].endpoints[1].address = 0x81;
  auto r = testbed->plug(spec);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("configurations[0].interfaces[0].alt_settings[0].endpoints[1].address"),
            std::string::npos)
      << r.error();
}

}  // namespace
}  // namespace dfx::testing::test

namespace dfx::testing::test {
namespace {

TEST(TestbedLifecycle, OnlyOneAtATime) {
  auto first = Testbed::create();
  ASSERT_TRUE(first) << first.error();
  auto second = Testbed::create();
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().find("one at a time"), std::string::npos) << second.error();
  const std::string root = (*first)->root_dir();
  EXPECT_EQ(std::string(std::getenv("UMOCKDEV_DIR")), root);
  first->reset();
  EXPECT_EQ(std::getenv("UMOCKDEV_DIR"), nullptr);  // nothing global left behind
  EXPECT_FALSE(std::filesystem::exists(root));
  EXPECT_TRUE(Testbed::create());
}

TEST(TestbedLifecycle, RefusesATmpdirTooLongForSockets) {
  // GLib reads TMPDIR once per process; this test runs in its own process.
  const char* base = std::getenv("TMPDIR");
  const std::string deep = std::string(base && *base ? base : "/tmp") + "/" + std::string(90, 'd');
  std::filesystem::create_directories(deep);
  ::setenv("TMPDIR", deep.c_str(), 1);
  auto tb = Testbed::create();
  ASSERT_FALSE(tb);
  EXPECT_NE(tb.error().find("too long for umockdev's Unix sockets"), std::string::npos)
      << tb.error();
  ::setenv("TMPDIR", base ? base : "/tmp", 1);
  std::filesystem::remove_all(deep);
}

}  // namespace
}  // namespace dfx::testing::test
