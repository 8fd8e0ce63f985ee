// The "mtp" behaviour module: the responder side of PTP over USB on the handset's PTP interface
// (README.md, "mtp").
//
// Facts (PIMA 15740 USB transport, libgphoto2 ptp.h, AOSP MtpServer): the host writes a command
// container per bulk OUT transfer; the device answers with an optional data container (one bulk
// IN message, followed by a zero-length packet when it fills whole packets) and a response
// container. GetDeviceInfo is answered outside a session; other operations need OpenSession
// (SessionNotOpen 0x2003 otherwise). The emulator is a read-only phone: it answers OpenSession,
// CloseSession and GetStorageIDs (an empty list, as a locked Android phone) so that libmtp's
// mtp-detect can print the device's identity, and refuses everything else.
#include <algorithm>
#include <mutex>

#include "container.hpp"
#include "emulator.hpp"
#include "le.hpp"
#include "mtp_config.hpp"

namespace dfx::testing {
namespace {

using namespace dfx::mtp;
using mtp_emu::BadField;
using mtp_emu::Hostile;
using mtp_emu::MtpConfig;

constexpr std::size_t kStreamChunk = 16384;
constexpr std::uint32_t kEndlessLength = 0xFFFFFFF0u;

class Mtp final : public MtpEmulator {
 public:
  explicit Mtp(MtpConfig config) : cfg_(std::move(config)) {}

  MtpRecord record() const override {
    std::lock_guard lock(mu_);
    return rec_;
  }

  OutReply on_bulk_out(DeviceSide& device, std::uint8_t endpoint,
                       std::span<const std::uint8_t> data) override {
    if (endpoint != cfg_.out_endpoint) return OutReply::ack;
    std::lock_guard lock(mu_);
    auto c = decode_container(data);
    if (!c) {
      rec_.bad_containers.push_back(c.error().message);
      return OutReply::ack;
    }
    if (c->header.type != static_cast<std::uint16_t>(ContainerType::command)) {
      // A host data phase (never expected: no operation answered here takes data).
      rec_.bad_containers.push_back("container type " + std::to_string(c->header.type) + " for " +
                                    operation_name(c->header.code));
      return OutReply::ack;
    }
    command(device, c->header.code, c->header.transaction_id, c->params);
    return OutReply::ack;
  }

  void on_in_requested(DeviceSide& device, std::uint8_t endpoint, std::size_t) override {
    if (endpoint != cfg_.in_endpoint) return;
    std::lock_guard lock(mu_);
    if (!streaming_) return;
    // Hostile streams: produced as the host reads, for ever.
    if (cfg_.hostile == Hostile::endless)
      (void)device.queue_in(cfg_.in_endpoint, Bytes(kStreamChunk, 0x41));
    else if (cfg_.hostile == Hostile::garbage)
      (void)device.queue_in(cfg_.in_endpoint, garbage(kStreamChunk));
  }

  ControlReply on_control(DeviceSide&, const SetupPacket& setup,
                          std::span<const std::uint8_t>) override {
    std::lock_guard lock(mu_);
    rec_.control_requests.push_back(
        static_cast<std::uint16_t>((setup.request_type << 8) | setup.request));
    if (setup.kind() != 1) return ControlReply::stall();  // vendor: no such request here
    switch (setup.request) {
      case 0x67:  // GET_DEVICE_STATUS: length 4, code OK
        return ControlReply::data({0x04, 0x00, 0x01, 0x20});
      case 0x66:  // DEVICE_RESET: the session ends
        ++rec_.resets;
        session_open_ = false;
        streaming_ = false;
        return ControlReply::ack();
      case 0x64:  // CANCEL
        return ControlReply::ack();
      default:
        return ControlReply::stall();
    }
  }

  void on_reset(DeviceSide&) override {
    std::lock_guard lock(mu_);
    ++rec_.resets;
    session_open_ = false;
    streaming_ = false;
  }

 private:
  void command(DeviceSide& device, std::uint16_t op, std::uint32_t tid,
               const std::vector<std::uint32_t>& params) {
    rec_.operations.push_back(op);
    rec_.transaction_ids.push_back(tid);
    if (op == op::get_device_info) return device_info(device, tid);
    switch (op) {
      case op::open_session:
        if (session_open_) return respond(device, rc::session_already_open, tid);
        if (params.empty() || params[0] == 0) return respond(device, rc::invalid_parameter, tid);
        session_open_ = true;
        ++rec_.sessions_opened;
        return respond(device, rc::ok, tid);
      case op::close_session:
        if (!session_open_) return respond(device, rc::session_not_open, tid);
        session_open_ = false;
        return respond(device, rc::ok, tid);
      case op::get_storage_ids: {
        if (!session_open_) return respond(device, rc::session_not_open, tid);
        std::vector<std::uint8_t> none;
        put_u32(none, 0);  // an empty array: storage withheld, as on a locked phone
        send_data(device, op, tid, none);
        return respond(device, rc::ok, tid);
      }
      case op::get_device_prop_desc:
      case op::get_device_prop_value:
        return respond(device, session_open_ ? 0x200A : rc::session_not_open, tid);
      default:
        return respond(device, session_open_ ? rc::operation_not_supported : rc::session_not_open,
                       tid);
    }
  }

  void device_info(DeviceSide& device, std::uint32_t tid) {
    switch (cfg_.hostile) {
      case Hostile::none:
      case Hostile::wrong_transaction_id: {
        send_data(device, op::get_device_info, tid, *encode_device_info(cfg_.info));
        const bool wrong = cfg_.hostile == Hostile::wrong_transaction_id;
        return respond(device, rc::ok, wrong ? tid + 1 : tid);
      }
      case Hostile::silent:
        rec_.responses.push_back(0);  // none: the IN transfers stay pending
        return;
      case Hostile::error_response:
        return respond(device, cfg_.response_code, tid);
      case Hostile::bad_dataset:
        send_data(device, op::get_device_info, tid, bad_dataset());
        return respond(device, rc::ok, tid);
      case Hostile::endless: {
        // A data container announcing ~4 GiB, its first packet, then data as long as it is read.
        const std::size_t packet = std::max<std::size_t>(cfg_.max_packet, 64);
        auto first = encode_data(op::get_device_info, tid, Bytes(packet - 12, 0x41));
        first[0] = static_cast<std::uint8_t>(kEndlessLength);
        first[1] = static_cast<std::uint8_t>(kEndlessLength >> 8);
        first[2] = static_cast<std::uint8_t>(kEndlessLength >> 16);
        first[3] = static_cast<std::uint8_t>(kEndlessLength >> 24);
        (void)device.queue_in(cfg_.in_endpoint, Bytes(first.begin(), first.end()));
        streaming_ = true;
        rec_.responses.push_back(0);
        return;
      }
      case Hostile::garbage:
        (void)device.queue_in(cfg_.in_endpoint, garbage(cfg_.max_packet));
        streaming_ = true;
        rec_.responses.push_back(0);
        return;
    }
  }

  /// A well-framed DeviceInfo whose contents break the rules (README.md, bad_field).
  Bytes bad_dataset() const {
    std::vector<std::uint8_t> out;
    put_u16(out, 100);
    put_u32(out, 6);
    put_u16(out, 100);
    out.push_back(0);  // empty VendorExtensionDesc
    put_u16(out, 0);
    if (cfg_.bad_field == BadField::huge_array) {
      put_u32(out, 0x40000000u);  // OperationsSupported: a billion u16 items announced
      put_u16(out, 0x1001);
      put_u16(out, 0x1002);
      return Bytes(out.begin(), out.end());
    }
    for (int i = 0; i < 5; ++i) put_u32(out, 0);  // five empty arrays
    out.push_back(200);                           // Manufacturer: 200 code units announced
    for (char ch : std::string("SAMS")) put_u16(out, static_cast<std::uint16_t>(ch));
    return Bytes(out.begin(), out.end());
  }

  /// Bytes that are no container: a fixed pseudo-random sequence whose type field (bytes 4-5)
  /// is never 1-4.
  Bytes garbage(std::size_t n) {
    Bytes out(n);
    for (auto& b : out) {
      seed_ = seed_ * 1103515245u + 12345u;
      b = static_cast<std::uint8_t>(seed_ >> 16);
    }
    if (n >= 6) out[4] = out[5] = 0xA5;
    return out;
  }

  void send_data(DeviceSide& device, std::uint16_t op, std::uint32_t tid,
                 const std::vector<std::uint8_t>& payload) {
    const auto msg = encode_data(op, tid, payload);
    (void)device.queue_in(cfg_.in_endpoint, Bytes(msg.begin(), msg.end()));
    if (msg.size() % cfg_.max_packet == 0)
      (void)device.queue_in(cfg_.in_endpoint, Bytes{});  // ends a phase of whole packets
  }

  void respond(DeviceSide& device, std::uint16_t code, std::uint32_t tid) {
    rec_.responses.push_back(code);
    const auto msg = encode_response(code, tid);
    (void)device.queue_in(cfg_.in_endpoint, Bytes(msg.begin(), msg.end()));
  }

  const MtpConfig cfg_;
  mutable std::mutex mu_;
  bool session_open_ = false;
  bool streaming_ = false;
  std::uint32_t seed_ = 0x5EED1234u;
  MtpRecord rec_;
};

}  // namespace

tl::expected<std::unique_ptr<MtpEmulator>, std::string> make_mtp_emulator(
    const BehaviorContext& context) {
  auto config = mtp_emu::read_mtp_config(context);
  if (!config) return tl::unexpected(config.error());
  return std::make_unique<Mtp>(std::move(*config));
}

}  // namespace dfx::testing
