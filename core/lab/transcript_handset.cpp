#include "lab/transcript_handset.hpp"

#include <iostream>
#include <mutex>

#include "base/json_file.hpp"
#include "lab/raw_descriptors.hpp"
#include "usb/device_facts.hpp"
#include "usb/transcript.hpp"

namespace dfx::lab {
namespace {

using testing::ControlReply;
using testing::DeviceSide;
using testing::OutReply;

Result<usb::Transcript> load(const std::filesystem::path& file) {
  auto text = read_small_file(file, 64u << 20, "not a transcript");
  if (!text) return tl::unexpected(text.error());
  auto t = usb::parse_transcript(*text);
  if (!t) return tl::unexpected(t.error().context(file.string()));
  return t;
}

testing::Bytes bytes_of(const std::string& s) {
  return {s.begin(), s.end()};
}

// What the device saw of a reading: the exchanges the kit does not answer itself (it answers
// standard control requests, string descriptors, configuration and interface changes from the
// descriptors) and that reached the device.
bool device_sees(const usb::Exchange& e) {
  if (!e.reached_device()) return false;
  switch (e.op) {
    case usb::UsbOp::control:
      return (e.target & 0x60) != 0;  // class or vendor
    case usb::UsbOp::bulk:
    case usb::UsbOp::interrupt:
      return true;
    default:
      return false;
  }
}

// Plays the exchanges in order. Calls come on umockdev's one worker thread; the mutex guards
// against a test thread reading the state.
class TranscriptBehavior final : public testing::UsbBehavior {
 public:
  TranscriptBehavior(std::string name, std::vector<usb::Exchange> exchanges)
      : name_(std::move(name)), exchanges_(std::move(exchanges)) {}

  ControlReply on_control(DeviceSide&, const testing::SetupPacket& setup,
                          std::span<const uint8_t> out) override {
    const std::lock_guard lock(mutex_);
    const usb::Exchange* e = next();
    if (e == nullptr || e->op != usb::UsbOp::control || e->target != setup.request_type ||
        e->request != setup.request || e->value != setup.value || e->index != setup.index ||
        e->length != setup.length || e->out != std::string(out.begin(), out.end())) {
      depart("a control request " + describe_setup(setup), e);
      return ControlReply::stall();
    }
    ++cursor_;
    if (e->status == DFX_ERR_TIMEOUT) return ControlReply::no_answer();
    if (e->status != DFX_OK) return ControlReply::stall();
    return (setup.request_type & 0x80) ? ControlReply::data(bytes_of(e->in)) : ControlReply::ack();
  }

  OutReply on_bulk_out(DeviceSide&, uint8_t endpoint, std::span<const uint8_t> data) override {
    const std::lock_guard lock(mutex_);
    const usb::Exchange* e = next();
    if (e == nullptr || e->op == usb::UsbOp::control || e->target != endpoint ||
        e->out != std::string(data.begin(), data.end())) {
      depart(
          "OUT " + std::to_string(data.size()) + " bytes on endpoint " + std::to_string(endpoint),
          e);
      return OutReply::stall;
    }
    ++cursor_;
    if (e->status == DFX_ERR_TIMEOUT) return OutReply::no_answer;
    return e->status == DFX_OK ? OutReply::ack : OutReply::stall;
  }

  void on_in_requested(DeviceSide& device, uint8_t endpoint, std::size_t length) override {
    const std::lock_guard lock(mutex_);
    const usb::Exchange* e = next();
    if (e == nullptr || e->op == usb::UsbOp::control || e->target != endpoint) {
      depart("an IN transfer of " + std::to_string(length) + " bytes on endpoint " +
                 std::to_string(endpoint),
             e);
      return;  // left pending: the plugin times out, as on a phone with nothing to say
    }
    ++cursor_;
    if (e->status == DFX_OK)
      (void)device.queue_in(endpoint, bytes_of(e->in));
    else if (e->status != DFX_ERR_TIMEOUT)
      (void)device.halt(endpoint);
  }

 private:
  const usb::Exchange* next() const {
    return cursor_ < exchanges_.size() ? &exchanges_[cursor_] : nullptr;
  }
  static std::string describe_setup(const testing::SetupPacket& s) {
    usb::Exchange e;
    e.op = usb::UsbOp::control;
    e.target = s.request_type;
    e.request = s.request;
    e.value = s.value;
    e.index = s.index;
    e.length = s.length;
    return e.describe();
  }
  void depart(const std::string& what, const usb::Exchange* expected) {
    if (departed_) return;
    departed_ = true;
    std::cerr << "dfx-lab: handset " << name_ << ": the host sent " << what << " where "
              << (expected ? "the transcript has exchange " + std::to_string(expected->n) + ", " +
                                 expected->describe()
                           : std::string("the transcript has ended"))
              << "; stalled (the plugin no longer asks what was recorded)\n";
  }

  std::string name_;
  std::vector<usb::Exchange> exchanges_;
  std::mutex mutex_;
  std::size_t cursor_ = 0;
  bool departed_ = false;
};

tl::expected<std::unique_ptr<testing::UsbBehavior>, std::string> make_behavior(
    const testing::BehaviorContext& context) {
  const auto file = context.params.find("file");
  if (file == context.params.end() || !file->is_string())
    return tl::unexpected(std::string(context.source) + ": \"file\": the transcript to play");
  auto t = load(file->get<std::string>());
  if (!t) return tl::unexpected(t.error().message);
  std::vector<usb::Exchange> seen;
  for (auto& e : t->exchanges)
    if (device_sees(e)) seen.push_back(std::move(e));
  return std::unique_ptr<testing::UsbBehavior>(
      new TranscriptBehavior(std::string(context.source), std::move(seen)));
}

}  // namespace

testing::BehaviorModule transcript_module() {
  return {"transcript", "plays a recorded USB transcript (dfx case, transcripts/*.jsonl)",
          &make_behavior};
}

Result<testing::HandsetSpec> transcript_handset(const std::filesystem::path& file) {
  auto t = load(file);
  if (!t) return tl::unexpected(t.error());
  if (t->truncated)
    return fail(file.string() +
                ": the transcript was truncated when recorded; it cannot stand "
                "in for the phone");
  const auto descriptors = t->header.find("descriptors");
  auto raw = descriptors != t->header.end() && descriptors->is_string()
                 ? testing::from_hex(descriptors->get<std::string>())
                 : tl::expected<testing::Bytes, std::string>(testing::Bytes{});
  if (!raw) return fail(file.string() + ": the header's descriptors: " + raw.error());
  if (raw->empty())
    return fail(file.string() +
                ": the transcript's header holds no descriptors (recorded by "
                "a replay, or by a dfx before they were recorded)");
  std::map<uint8_t, std::string> strings;
  usb::DeviceFacts facts;
  try {
    facts = t->header.at("device").get<usb::DeviceFacts>();
  } catch (const nlohmann::json::exception& e) {
    return fail(file.string() + ": the header's device facts: " + e.what());
  }
  if (facts.manufacturer && facts.i_manufacturer)
    strings[facts.i_manufacturer] = *facts.manufacturer;
  if (facts.product && facts.i_product) strings[facts.i_product] = *facts.product;
  if (facts.serial_number && facts.i_serial_number)
    strings[facts.i_serial_number] = *facts.serial_number;
  for (const auto& e : t->exchanges)
    if (e.op == usb::UsbOp::string && e.status == DFX_OK && e.target != 0)
      strings[e.target] = e.text;
  auto spec = spec_from_raw_descriptors(*raw, strings);
  if (!spec) return tl::unexpected(spec.error().context(file.string()));
  testing::HandsetSpec h;
  h.id = file.stem().string();
  h.source = file;
  h.name = "recorded " + facts.usb_id() + " (" +
           t->header.value("plugin", nlohmann::json::object()).value("id", std::string("?")) +
           " reading of " + t->header.value("started", std::string("?")) + ")";
  h.usb = std::move(*spec);
  h.behavior.module = "transcript";
  h.behavior.params = {{"file", std::filesystem::absolute(file).string()}};
  return h;
}

}  // namespace dfx::lab
