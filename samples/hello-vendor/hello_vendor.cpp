// hello-vendor: the smallest complete device plugin, documenting the SDK by example.
//
// 1. manifest.json says which devices this plugin is for (here: the made-up Hello phone,
//    1209:4856). The host reads it without loading this library.
// 2. The class below has a probe() member; DFX_DEVICE_PLUGIN at the bottom exports it with the id,
//    version and name of manifest.json (dfx_add_plugin() generates them into a header).
// 3. probe() reaches the device only through `host`, with the vendor request of its protocol
//    (hello_protocol.hpp, pure and unit-tested), and reports what it read with
//    host.claim(kind, value, method). Kinds are checked when this file compiles. It never decides
//    whether an identifier is valid: the host does.
#include <dfx/plugin.hpp>

#include <chrono>

#include "hello_protocol.hpp"

namespace {

class HelloVendor {
 public:
  dfx::sdk::Status probe(dfx::sdk::Host& host, const dfx::sdk::Device& device) {
    host.log(DFX_LOG_INFO, "hello-vendor looking at " + std::string(device.product()));

    // Every host call returns a Status or a Result; a failure explains itself.
    auto answer = host.control_in(hello::kGetIdentRequestType & 0x7F, hello::kGetIdent, 0, 0,
                                  hello::kGetIdentLength, std::chrono::milliseconds(1000));
    if (!answer)
      return dfx::sdk::Status::error(answer.status().code(),
                                     "GET_IDENT: " + answer.status().message());
    std::string why;
    auto ident = hello::parse_ident(*answer, why);
    if (!ident)
      return dfx::sdk::Status::error(DFX_ERR_IO, "GET_IDENT answered \"" + *answer + "\": " + why);

    const std::string method = "hello: vendor request GET_IDENT (0xC0/0x01)";
    host.claim(dfx::sdk::claim::serial, ident->serial, method);
    if (!ident->imei.empty()) host.claim(dfx::sdk::claim::imei, ident->imei, method);
    // Facts the host already read from the descriptors are free: no I/O needed.
    if (!device.product().empty())
      host.claim(dfx::sdk::claim::model, device.product(),
                 "usb: iProduct read by the host at discovery");
    return dfx::sdk::Status::ok();
  }
};

}  // namespace

DFX_DEVICE_PLUGIN(HelloVendor)
