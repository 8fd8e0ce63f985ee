#include "modem_config.hpp"

#include "dfx/testing/json_reader.hpp"

namespace dfx::testing::at_modem {
namespace {

constexpr std::uint8_t kCdcData = 0x0A;

// The bulk pair of the data interface: `wanted` by number, or the first 0x0A interface.
tl::expected<std::pair<std::uint8_t, std::uint8_t>, std::string> find_data_endpoints(
    const UsbDeviceSpec& device, int wanted) {
  if (device.configurations.empty()) return tl::unexpected(std::string("/usb: no configuration"));
  for (const auto& itf : device.configurations.front().interfaces) {
    if (itf.alt_settings.empty()) continue;
    const auto& alt = itf.alt_settings.front();
    if (wanted >= 0 ? itf.number != wanted : alt.interface_class != kCdcData) continue;
    std::uint8_t in = 0, out = 0;
    for (const auto& ep : alt.endpoints) {
      if (ep.type != TransferType::bulk) continue;
      if (ep.is_in() && !in) in = ep.address;
      if (!ep.is_in() && !out) out = ep.address;
    }
    if (in && out) return std::make_pair(in, out);
    return tl::unexpected("/usb: interface " + std::to_string(itf.number) +
                          " needs a bulk IN and a bulk OUT endpoint (the modem's data pipes)");
  }
  return tl::unexpected(
      wanted >= 0 ? "/usb: the first configuration has no interface " + std::to_string(wanted)
                  : std::string("/usb: the first configuration has no CDC data interface (0x0a)"));
}

}  // namespace

tl::expected<ModemConfig, std::string> read_modem_config(const BehaviorContext& context) {
  ModemConfig c;
  int data_interface = -1;
  try {
    const JsonReader p(context.params, "/behavior/params");
    p.expect_object({"echo", "line_ending", "chunk", "unsolicited", "dialogue", "hostile",
                     "data_interface", "needs_dtr"});
    if (auto e = p.opt("echo")) c.echo = e->boolean();
    if (auto d = p.opt("needs_dtr")) c.needs_dtr = d->boolean();
    if (auto l = p.opt("line_ending"))
      c.line_ending = l->one_of<LineEnding>(
          {{"crlf", LineEnding::crlf}, {"cr", LineEnding::cr}, {"lf", LineEnding::lf}});
    if (auto n = p.opt("chunk")) {
      c.chunk = static_cast<std::size_t>(n->uint(4096));
      if (c.chunk == 0) n->fail("must be at least 1");
    }
    if (auto u = p.opt("unsolicited")) c.unsolicited = u->strings();
    if (auto d = p.opt("dialogue")) {
      for (const auto& entry : d->array()) {
        entry.expect_object({"command", "reply"});
        const auto command = entry.at("command").nonempty_str();
        if (c.dialogue.count(command)) entry.at("command").fail("listed twice: " + command);
        c.dialogue[command] = entry.at("reply").strings();
      }
    }
    if (auto h = p.opt("hostile"))
      c.hostile = h->one_of<Hostile>({{"endless", Hostile::endless},
                                      {"garbage", Hostile::garbage},
                                      {"echo_forever", Hostile::echo_forever},
                                      {"silent", Hostile::silent}});
    if (auto i = p.opt("data_interface")) data_interface = i->u8();
  } catch (const JsonReadError& e) {
    return tl::unexpected(e.path + ": " + e.message);
  }
  auto eps = find_data_endpoints(context.device, data_interface);
  if (!eps) return tl::unexpected(eps.error() + " (the at-modem module answers on it)");
  c.in_endpoint = eps->first;
  c.out_endpoint = eps->second;
  return c;
}

}  // namespace dfx::testing::at_modem
