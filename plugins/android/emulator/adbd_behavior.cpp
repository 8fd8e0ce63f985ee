// The "adbd" behaviour module: the phone side of ADB over the virtual
// device's bulk endpoints (protocol facts in adb_wire.hpp, README "adbd").
//
// Hooks run one at a time on umockdev's worker thread; the mutex only guards
// the state against record() calls from the test thread. Messages go out as
// two device-side messages, header then payload, as adbd writes them: ADB
// hosts read the 24-byte header with one transfer and the payload with
// another, and would see a combined write as a protocol error.

#include <openssl/crypto.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <random>

#include "adb_wire.hpp"
#include "adbd_config.hpp"
#include "emulator.hpp"

namespace dfx::testing {
namespace {

using namespace adb;
using android::AdbdConfig;
using android::AdbHostile;

constexpr std::size_t huge_banner_size = 1024 * 1024;

struct Stream {
  std::uint32_t remote_id = 0;  ///< The host's local-id.
  Bytes output;                 ///< Everything the service prints (framed for shell v2).
  std::size_t sent = 0;
  bool awaiting_okay = false;
  std::size_t writes = 0;
};

class Adbd final : public AdbdEmulator {
 public:
  explicit Adbd(AdbdConfig config) : cfg_(std::move(config)), rx_(cfg_.max_payload) {}

  AdbdRecord record() const override {
    std::lock_guard lock(mu_);
    return rec_;
  }

  OutReply on_bulk_out(DeviceSide& device, std::uint8_t endpoint,
                       std::span<const std::uint8_t> data) override {
    if (endpoint != cfg_.out_endpoint) return OutReply::ack;
    std::lock_guard lock(mu_);
    rx_.feed(data);
    for (;;) {
      std::string error;
      auto message = rx_.next(error);
      if (!error.empty()) rec_.protocol_errors.push_back(error);
      if (!message) break;
      handle(device, *message);
      if (!device.connected()) break;
    }
    return OutReply::ack;
  }

  void on_in_requested(DeviceSide& device, std::uint8_t endpoint, std::size_t) override {
    if (endpoint != cfg_.in_endpoint || cfg_.hostile != AdbHostile::endless_write) return;
    std::lock_guard lock(mu_);
    // Lazily, so the endless stream costs no memory: one more WRTE each
    // time the host reads and nothing is queued.
    for (auto& [id, s] : streams_) {
      endless_write(device, id, s);
      break;
    }
  }

  void on_reset(DeviceSide&) override { reset_session(); }
  void on_set_configuration(DeviceSide&, std::uint8_t) override { reset_session(); }

 private:
  void reset_session() {
    std::lock_guard lock(mu_);
    rx_.clear();
    streams_.clear();
    token_.clear();
    rec_.online = false;
  }

  std::uint32_t wire_version() const {
    return cfg_.hostile == AdbHostile::bad_checksum ? version_checksummed : cfg_.version;
  }

  bool peer_wants_checksum() const {
    return peer_version_ < version_skip_checksum || wire_version() < version_skip_checksum;
  }

  void send(DeviceSide& device, std::uint32_t command, std::uint32_t arg0, std::uint32_t arg1,
            Bytes payload, std::uint32_t claimed_length = 0) {
    Header h{
        command, arg0, arg1, static_cast<std::uint32_t>(payload.size()), 0, command ^ 0xFFFFFFFFu};
    if (claimed_length) h.data_length = claimed_length;
    if (!payload.empty() && peer_wants_checksum()) h.data_check = checksum(payload);
    if (cfg_.hostile == AdbHostile::bad_checksum && !payload.empty())
      h.data_check = checksum(payload) + 1;
    if (cfg_.hostile == AdbHostile::bad_magic) h.magic ^= 0x00010000u;
    (void)device.queue_in(cfg_.in_endpoint, encode_header(h));
    if (!payload.empty()) (void)device.queue_in(cfg_.in_endpoint, std::move(payload));
  }

  static Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

  std::uint32_t stream_max_payload() const { return std::min(cfg_.max_payload, peer_max_payload_); }

  void send_connect(DeviceSide& device) {
    rec_.online = true;
    std::string banner = cfg_.banner();
    switch (cfg_.hostile) {
      case AdbHostile::huge_banner:
        banner += ";ro.hostile.padding=";
        if (banner.size() < huge_banner_size) banner.append(huge_banner_size - banner.size(), 'A');
        return send(device, A_CNXN, wire_version(), cfg_.max_payload, bytes_of(banner));
      case AdbHostile::oversize_length:
        return send(device, A_CNXN, wire_version(), cfg_.max_payload, bytes_of(banner),
                    cfg_.max_payload + 1);
      default:
        return send(device, A_CNXN, wire_version(), cfg_.max_payload, bytes_of(banner));
    }
  }

  void send_token(DeviceSide& device) {
    // std::random_device rather than OpenSSL's RAND_bytes: this runs on umockdev's handler
    // thread, and OpenSSL 3 gives every thread that draws random bytes its own generator,
    // freed only when that thread ends; the handler thread outlives the test's main(), so
    // LeakSanitizer reported those generators as leaks now and then. An emulated phone's
    // token needs to be unpredictable to the host under test, not cryptographically strong.
    token_.assign(token_size, 0);
    std::random_device rd;
    for (auto& b : token_) b = static_cast<std::uint8_t>(rd() & 0xFF);
    ++rec_.tokens_sent;
    send(device, A_AUTH, auth_token, 0, token_);
  }

  bool signature_accepted(std::span<const std::uint8_t> signature) {
    // OpenSSL 3 keeps per-thread state (error queue, provider caches) for every thread that
    // calls it. This runs on umockdev's handler thread, which outlives the test's main(), so
    // LeakSanitizer reported that state now and then: release it when the check is done.
    struct ThreadStateRelease {
      ~ThreadStateRelease() { OPENSSL_thread_stop(); }
    } release;
    for (const auto& key : cfg_.authorized_keys)
      if (verify_token_signature(key, token_, signature)) return true;
    // Files are read now, not when the handset was loaded: the workstation
    // key may be created after the phone is plugged (adb and dfx create it
    // on first use), and the phone "remembers" whatever is there.
    for (const auto& path : cfg_.authorized_key_files) {
      auto keys = read_key_file(path);
      if (!keys) {
        rec_.protocol_errors.push_back("authorized keys: " + keys.error());
        continue;
      }
      for (const auto& key : *keys)
        if (verify_token_signature(key, token_, signature)) return true;
    }
    return false;
  }

  void handle(DeviceSide& device, const Message& m) {
    const Header& h = m.header;
    if (peer_version_ < version_skip_checksum && h.command != A_CNXN && !m.payload.empty() &&
        h.data_check != checksum(m.payload)) {
      rec_.protocol_errors.push_back(command_name(h.command) + " payload checksum mismatch");
      return;
    }
    switch (h.command) {
      case A_CNXN:
        ++rec_.connects_received;
        peer_version_ = h.arg0;
        peer_max_payload_ = std::max<std::uint32_t>(h.arg1, 1);
        streams_.clear();
        rec_.online = false;
        if (cfg_.auth_required)
          send_token(device);
        else
          send_connect(device);
        return;
      case A_AUTH:
        return handle_auth(device, h, m.payload);
      case A_OPEN:
        if (rec_.online) handle_open(device, h, m.payload);
        return;
      case A_OKAY:
        if (rec_.online) handle_okay(device, h);
        return;
      case A_WRTE:
        // Host input to a stream (shell stdin): acknowledged and ignored.
        if (rec_.online && streams_.count(h.arg1)) send(device, A_OKAY, h.arg1, h.arg0, {});
        return;
      case A_CLSE:
        streams_.erase(h.arg1);
        return;
      default:
        rec_.protocol_errors.push_back("unexpected " + command_name(h.command));
        return;
    }
  }

  void handle_auth(DeviceSide& device, const Header& h, const Bytes& payload) {
    if (!cfg_.auth_required || rec_.online) return;
    if (h.arg0 == auth_signature) {
      ++rec_.signatures_received;
      if (!token_.empty() && signature_accepted(payload)) {
        ++rec_.signatures_accepted;
        token_.clear();
        return send_connect(device);
      }
      return send_token(device);  // what adbd does after a wrong signature
    }
    if (h.arg0 == auth_rsapublickey) {
      // A real phone now shows "Allow USB debugging?" and waits for its
      // user; nobody answers here, so the host stays unauthorized.
      std::string key(payload.begin(), payload.end());
      while (!key.empty() && key.back() == '\0') key.pop_back();
      rec_.offered_public_keys.push_back(key);
      return;
    }
    rec_.protocol_errors.push_back("AUTH type " + std::to_string(h.arg0) + " from the host");
  }

  void handle_open(DeviceSide& device, const Header& h, const Bytes& payload) {
    std::string service(payload.begin(), payload.end());
    while (!service.empty() && service.back() == '\0') service.pop_back();
    rec_.services.push_back(service);
    // "shell:<cmd>" or "shell,<args>:<cmd>" (args such as v2, raw, pty, TERM=...).
    const auto colon = service.find(':');
    const std::string head = service.substr(0, colon);
    const bool is_shell =
        colon != std::string::npos && (head == "shell" || head.rfind("shell,", 0) == 0);
    const std::string command = is_shell ? service.substr(colon + 1) : std::string();
    if (!is_shell || command.empty())
      return send(device, A_CLSE, 0, h.arg0, {});  // refused, as adbd does
    const bool v2 = head.find(",v2") != std::string::npos && cfg_.shell_v2();

    const auto result = android::run_shell_command(cfg_.phone, command);
    Stream s;
    s.remote_id = h.arg0;
    if (v2) {
      // Shell protocol v2 packets: id (1 stdout, 3 exit), u32 LE length, data.
      auto packet = [&](std::uint8_t id, const Bytes& data) {
        s.output.push_back(id);
        for (int i = 0; i < 4; ++i)
          s.output.push_back(static_cast<std::uint8_t>(data.size() >> (8 * i)));
        s.output.insert(s.output.end(), data.begin(), data.end());
      };
      if (!result.output.empty()) packet(1, bytes_of(result.output));
      packet(3, Bytes{static_cast<std::uint8_t>(result.exit_code)});
    } else {
      s.output = bytes_of(result.output);
    }
    const std::uint32_t id = next_id_++;
    send(device, A_OKAY, id, h.arg0, {});
    auto& stream = streams_[id] = std::move(s);
    if (cfg_.hostile == AdbHostile::endless_write) return endless_write(device, id, stream);
    write_next(device, id, stream);
  }

  void handle_okay(DeviceSide& device, const Header& h) {
    auto it = streams_.find(h.arg1);
    if (it == streams_.end() || !it->second.awaiting_okay) return;
    it->second.awaiting_okay = false;
    if (cfg_.hostile == AdbHostile::endless_write) return;  // it writes without waiting anyway
    if (cfg_.hostile == AdbHostile::disconnect_mid_stream) {
      (void)device.disconnect();  // the cable goes after the first chunk
      return;
    }
    write_next(device, it->first, it->second);
  }

  void write_next(DeviceSide& device, std::uint32_t id, Stream& s) {
    std::size_t chunk = std::min<std::size_t>(s.output.size() - s.sent, stream_max_payload());
    // Mid-stream disconnect: make sure there is a "rest" to cut off.
    if (cfg_.hostile == AdbHostile::disconnect_mid_stream && s.writes == 0 && s.output.size() > 1)
      chunk = std::min(chunk, s.output.size() / 2);
    if (chunk == 0) {
      const std::uint32_t remote = s.remote_id;
      streams_.erase(id);
      return send(device, A_CLSE, id, remote, {});
    }
    Bytes data(s.output.begin() + static_cast<std::ptrdiff_t>(s.sent),
               s.output.begin() + static_cast<std::ptrdiff_t>(s.sent + chunk));
    s.sent += chunk;
    s.awaiting_okay = true;
    ++s.writes;
    send(device, A_WRTE, id, s.remote_id, std::move(data));
  }

  void endless_write(DeviceSide& device, std::uint32_t id, Stream& s) {
    static const std::string line = "[ro.hostile.endless]: [this stream never ends]\n";
    std::string text;
    while (text.size() + line.size() <= std::min<std::uint32_t>(stream_max_payload(), 4096))
      text += line;
    s.awaiting_okay = true;
    ++s.writes;
    send(device, A_WRTE, id, s.remote_id, bytes_of(text));
  }

  const AdbdConfig cfg_;
  mutable std::mutex mu_;
  Reassembler rx_;
  std::uint32_t peer_version_ = version_skip_checksum;
  std::uint32_t peer_max_payload_ = handshake_max_payload;
  Bytes token_;
  std::map<std::uint32_t, Stream> streams_;
  std::uint32_t next_id_ = 1;
  AdbdRecord rec_;
};

}  // namespace

tl::expected<std::unique_ptr<AdbdEmulator>, std::string> make_adbd_emulator(
    const BehaviorContext& context) {
  auto config = android::read_adbd_config(context);
  if (!config) return tl::unexpected(config.error());
  return std::make_unique<Adbd>(std::move(*config));
}

}  // namespace dfx::testing
