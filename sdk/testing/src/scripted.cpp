// The "scripted" behaviour module: a vendor protocol emulated from data alone.
//
//   "behavior": {"module": "scripted", "params": {
//     "control": [
//       {"request_type": "0xC0", "request": "0x01", "value": "0x0000", "index": "0x0000",
//        "reply_text": "SN:HV-0001;IMEI:353911101234566"},
//       {"request_type": "0x41", "request": "0x02", "stall": true}
//     ],
//     "bulk": [
//       {"out_endpoint": "0x01", "out_text": "IDENT?\n", "in_endpoint": "0x81", "reply_text":
//       "HV-0001\n"}
//     ]}}
//
// Control rules match a request by bmRequestType and bRequest, and by wValue and wIndex when they
// are given; the first matching rule answers with its bytes ("reply" as hex, or "reply_text"), an
// acknowledgement (neither: OUT requests), a stall ("stall": true) or no answer at all
// ("no_answer": true, the host times out). A request no rule matches stalls, as on a device that
// does not know it. Bulk rules match OUT data on an endpoint, exactly ("out" as hex or
// "out_text") or any data (neither given), and queue their reply on an IN endpoint ("reply" as
// hex, "reply_text"; "replies" or "replies_text" queue several messages, one IN transfer each), or
// stall the endpoint ("stall": true). OUT data no rule matches is accepted and dropped.
#include <mutex>
#include <optional>

#include "dfx/testing/behavior_registry.hpp"
#include "dfx/testing/json_reader.hpp"

namespace dfx::testing {
namespace {

enum class Answer { data, stall, no_answer };

struct ControlRule {
  std::uint8_t request_type = 0;
  std::uint8_t request = 0;
  std::optional<std::uint16_t> value, index;
  Answer answer = Answer::data;
  Bytes reply;
};

struct BulkRule {
  std::uint8_t out_endpoint = 0;
  std::optional<Bytes> out;  ///< nullopt: any data
  std::uint8_t in_endpoint = 0;
  std::vector<Bytes> replies;
  bool stall = false;
};

Bytes bytes_of(const std::string& text) {
  return Bytes(text.begin(), text.end());
}

// "reply" (hex) or "reply_text"; nullopt when neither is given.
std::optional<Bytes> bytes_field(const JsonReader& r, const char* hex_key, const char* text_key) {
  if (r.has(hex_key) && r.has(text_key))
    r.fail(std::string("give \"") + hex_key + "\" or \"" + text_key + "\", not both");
  if (auto h = r.opt(hex_key)) return h->hex();
  if (auto t = r.opt(text_key)) return bytes_of(t->str());
  return std::nullopt;
}

bool has_endpoint(const UsbDeviceSpec& device, std::uint8_t address) {
  for (const auto& config : device.configurations)
    for (const auto& itf : config.interfaces)
      for (const auto& alt : itf.alt_settings)
        for (const auto& ep : alt.endpoints)
          if (ep.address == address && ep.type != TransferType::isochronous) return true;
  return false;
}

ControlRule read_control(const JsonReader& r) {
  r.expect_object({"request_type", "request", "value", "index", "reply", "reply_text", "stall",
                   "no_answer", "comment"});
  ControlRule rule;
  rule.request_type = r.at("request_type").u8();
  if ((rule.request_type & 0x60) == 0)
    r.at("request_type")
        .fail(
            "standard requests are answered by the kit; scripted rules are for class (0x20) and "
            "vendor (0x40) requests");
  rule.request = r.at("request").u8();
  if (auto v = r.opt("value")) rule.value = v->u16();
  if (auto i = r.opt("index")) rule.index = i->u16();
  const bool stall = r.opt("stall") && r.at("stall").boolean();
  const bool silent = r.opt("no_answer") && r.at("no_answer").boolean();
  auto reply = bytes_field(r, "reply", "reply_text");
  if (int(stall) + int(silent) + int(reply.has_value()) > 1)
    r.fail("a rule answers one way: \"reply\"/\"reply_text\", \"stall\" or \"no_answer\"");
  rule.answer = stall ? Answer::stall : silent ? Answer::no_answer : Answer::data;
  if (reply) {
    if ((rule.request_type & 0x80) == 0)
      r.fail("an OUT request (bit 7 of request_type clear) has no reply data");
    if (reply->size() > 4096) r.fail("reply longer than 4096 bytes");
    rule.reply = std::move(*reply);
  }
  return rule;
}

BulkRule read_bulk(const JsonReader& r, const UsbDeviceSpec& device) {
  r.expect_object({"out_endpoint", "out", "out_text", "in_endpoint", "reply", "reply_text",
                   "replies", "replies_text", "stall", "comment"});
  BulkRule rule;
  rule.out_endpoint = r.at("out_endpoint").u8();
  if ((rule.out_endpoint & 0x80) || !has_endpoint(device, rule.out_endpoint))
    r.at("out_endpoint").fail("not an OUT endpoint of this device");
  rule.out = bytes_field(r, "out", "out_text");
  rule.stall = r.opt("stall") && r.at("stall").boolean();
  if (auto single = bytes_field(r, "reply", "reply_text"))
    rule.replies.push_back(std::move(*single));
  for (const char* key : {"replies", "replies_text"}) {
    auto many = r.opt(key);
    if (!many) continue;
    if (!rule.replies.empty())
      many->fail("give one of \"reply\", \"reply_text\", \"replies\", \"replies_text\"");
    for (const auto& m : many->array())
      rule.replies.push_back(std::string(key) == "replies" ? m.hex() : bytes_of(m.str()));
  }
  if (!rule.replies.empty()) {
    rule.in_endpoint = r.at("in_endpoint").u8();
    if (!(rule.in_endpoint & 0x80) || !has_endpoint(device, rule.in_endpoint))
      r.at("in_endpoint").fail("not an IN endpoint of this device");
  }
  if (rule.stall && !rule.replies.empty()) r.fail("a stalled OUT transfer has no reply");
  return rule;
}

class Scripted final : public UsbBehavior {
 public:
  Scripted(std::vector<ControlRule> control, std::vector<BulkRule> bulk)
      : control_(std::move(control)), bulk_(std::move(bulk)) {}

  ControlReply on_control(DeviceSide&, const SetupPacket& setup,
                          std::span<const std::uint8_t>) override {
    for (const auto& r : control_) {
      if (r.request_type != setup.request_type || r.request != setup.request) continue;
      if ((r.value && *r.value != setup.value) || (r.index && *r.index != setup.index)) continue;
      switch (r.answer) {
        case Answer::stall:
          return ControlReply::stall();
        case Answer::no_answer:
          return ControlReply::no_answer();
        case Answer::data:
          return ControlReply::data(r.reply);
      }
    }
    return ControlReply::stall();
  }

  OutReply on_bulk_out(DeviceSide& device, std::uint8_t endpoint,
                       std::span<const std::uint8_t> data) override {
    for (const auto& r : bulk_) {
      if (r.out_endpoint != endpoint) continue;
      if (r.out && !std::equal(r.out->begin(), r.out->end(), data.begin(), data.end())) continue;
      if (r.stall) return OutReply::stall;
      for (const auto& reply : r.replies) (void)device.queue_in(r.in_endpoint, reply);
      return OutReply::ack;
    }
    return OutReply::ack;
  }

 private:
  std::vector<ControlRule> control_;
  std::vector<BulkRule> bulk_;
};

}  // namespace

tl::expected<std::unique_ptr<UsbBehavior>, std::string> make_scripted_behavior(
    const BehaviorContext& context) {
  return read_json("", [&]() -> std::unique_ptr<UsbBehavior> {
    const JsonReader p(context.params, "/behavior/params");
    p.expect_object({"control", "bulk"});
    std::vector<ControlRule> control;
    std::vector<BulkRule> bulk;
    if (auto c = p.opt("control"))
      for (const auto& r : c->array()) control.push_back(read_control(r));
    if (auto b = p.opt("bulk"))
      for (const auto& r : b->array()) bulk.push_back(read_bulk(r, context.device));
    return std::make_unique<Scripted>(std::move(control), std::move(bulk));
  });
}

}  // namespace dfx::testing
