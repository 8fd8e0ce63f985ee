// The "fastboot" behaviour module: a bootloader's fastboot protocol on the
// ff/42/03 interface (README "fastboot").
//
// Facts (AOSP fastboot docs, handset notes): the host writes one ASCII
// command (no NUL, at most 64 bytes) per bulk OUT transfer; each answer is
// one bulk IN message of at most 256 bytes starting with OKAY, FAIL, INFO,
// TEXT or DATA; INFO lines may precede the final OKAY/FAIL. `getvar:all`
// streams "INFO<name>:<value>" lines then OKAY. Only getvar is answered: the
// emulator is a read-only phone and records every other command refused, so
// tests can assert a host never sent it.
#include <mutex>

#include "adbd_config.hpp"  // find_bulk_pair
#include "dfx/testing/json_reader.hpp"
#include "emulator.hpp"

namespace dfx::testing {
namespace {

constexpr std::size_t max_response = 256;

struct FastbootConfig {
  std::uint8_t in_endpoint = 0;
  std::uint8_t out_endpoint = 0;
  std::map<std::string, std::string> variables;
  bool endless_info = false;
};

class Fastboot final : public FastbootEmulator {
 public:
  explicit Fastboot(FastbootConfig config) : cfg_(std::move(config)) {}

  FastbootRecord record() const override {
    std::lock_guard lock(mu_);
    return rec_;
  }

  OutReply on_bulk_out(DeviceSide& device, std::uint8_t endpoint,
                       std::span<const std::uint8_t> data) override {
    if (endpoint != cfg_.out_endpoint || data.empty()) return OutReply::ack;
    std::lock_guard lock(mu_);
    const std::string command(data.begin(), data.end());
    rec_.commands.push_back(command);
    if (cfg_.endless_info) {
      streaming_ = true;
      respond(device, "INFOchecking " + command.substr(0, 32));
      return OutReply::ack;
    }
    if (command.rfind("getvar:", 0) != 0) {
      rec_.refused.push_back(command);
      respond(device, "FAILunknown command");
      return OutReply::ack;
    }
    const std::string name = command.substr(7);
    if (name == "all") {
      for (const auto& [k, v] : cfg_.variables) respond(device, "INFO" + k + ":" + v);
      respond(device, "OKAY");
      return OutReply::ack;
    }
    auto it = cfg_.variables.find(name);
    respond(device,
            it != cfg_.variables.end() ? "OKAY" + it->second : "FAILGetVar Variable Not found");
    return OutReply::ack;
  }

  void on_in_requested(DeviceSide& device, std::uint8_t endpoint, std::size_t) override {
    if (endpoint != cfg_.in_endpoint) return;
    std::lock_guard lock(mu_);
    // Hostile: INFO lines for ever, produced as the host reads them.
    if (streaming_) respond(device, "INFOstill working, please wait...");
  }

  void on_reset(DeviceSide&) override {
    std::lock_guard lock(mu_);
    streaming_ = false;
  }

 private:
  void respond(DeviceSide& device, std::string text) {
    if (text.size() > max_response) text.resize(max_response);
    (void)device.queue_in(cfg_.in_endpoint, Bytes(text.begin(), text.end()));
  }

  const FastbootConfig cfg_;
  mutable std::mutex mu_;
  bool streaming_ = false;
  FastbootRecord rec_;
};

}  // namespace

tl::expected<std::unique_ptr<FastbootEmulator>, std::string> make_fastboot_emulator(
    const BehaviorContext& context) {
  FastbootConfig c;
  auto eps = android::find_bulk_pair(context.device, 0xFF, 0x42, 0x03);
  if (!eps)
    return tl::unexpected(eps.error() + " (the fastboot module plays fastboot on ff/42/03)");
  c.in_endpoint = eps->first;
  c.out_endpoint = eps->second;
  try {
    const JsonReader p(context.params, "/behavior/params");
    p.expect_object({"variables", "hostile"});
    if (auto vars = p.opt("variables")) {
      for (const auto& [name, value] : vars->members()) {
        c.variables[name] = value.str();
        // "INFO" + name + ":" + value must fit one 256-byte response.
        if (4 + name.size() + 1 + c.variables[name].size() > max_response)
          value.fail("too long: INFO" + name + ":<value> must fit in 256 bytes");
      }
    }
    if (!c.variables.count("serialno") && !context.device.serial.empty())
      c.variables["serialno"] = context.device.serial.text;
    if (auto h = p.opt("hostile")) c.endless_info = h->one_of<bool>({{"endless_info", true}});
  } catch (const JsonReadError& e) {
    return tl::unexpected(e.path + ": " + e.message);
  }
  return std::make_unique<Fastboot>(std::move(c));
}

}  // namespace dfx::testing
