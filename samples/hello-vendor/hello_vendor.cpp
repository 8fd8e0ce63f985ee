// hello-vendor: the smallest complete device plugin, documenting the SDK by example.
//
// 1. manifest.json says which devices this plugin is for (here: Google's vendor id, or any ADB
//    interface). The host reads it without loading this library.
// 2. The class below has a probe() member; DFX_DEVICE_PLUGIN at the bottom exports it with the id,
//    version and name of manifest.json (dfx_add_plugin() generates them into a header).
// 3. probe() reports what it reads with host.claim(kind, value, method). It never decides whether
//    an identifier is valid, and it reaches the device only through `host`.
#include <dfx/plugin.hpp>

namespace {

class HelloVendor {
 public:
  dfx::sdk::Status probe(dfx::sdk::Host& host, const dfx::sdk::Device& device) {
    host.log(DFX_LOG_INFO, "hello-vendor looking at " + std::string(device.product()));

    // Facts the host already read from the descriptors are free: no I/O needed.
    if (!device.serial_number().empty())
      host.claim(dfx::sdk::claim::serial, device.serial_number(), "usb: iSerialNumber read by the host at discovery");

    // A vendor plugin talks its protocol on the interface it matched. Here we only find it and
    // read a string, to show the shape of host calls and their errors.
    if (const auto* adb = device.find_interface(0xFF, 0x42, 0x01)) {
      host.log(DFX_LOG_DEBUG, "ADB interface is number " + std::to_string(adb->number));
      if (adb->description != nullptr)
        host.claim(dfx::sdk::claim::usb_interface, adb->description, "usb: iInterface of the ADB interface");
    }

    // Every host call returns a Status or a Result; a failure explains itself.
    auto product = host.string_descriptor(device.raw().i_product);
    if (!product) return dfx::sdk::Status::error(DFX_ERR_IO, "reading the product string: " + product.status().message());
    host.claim(dfx::sdk::claim::model, product.value(), "usb: iProduct string descriptor");
    return dfx::sdk::Status::ok();
  }
};

}  // namespace

DFX_DEVICE_PLUGIN(HelloVendor)
