// A small usbmux/lockdown host for the emulator's tests: usbmux framing, the TCP layer, lockdown
// frames and a TLS client, driving the virtual iPhone through libusb bulk transfers.
//
// The framing is written here from the wire format (usbmuxd src/device.c), independently of
// the plugin's protocol/usbmux.cpp that the emulator uses, so the two check each other; the
// usbmuxd fidelity test checks both against the real daemon. The TLS client does what
// libimobiledevice 1.3.0's OpenSSL backend does: security level 0 and the pair record's
// RootCertificate and RootPrivateKey as its certificate (its GnuTLS backend sends the
// HostCertificate; pick with `use_host_certificate`).
#pragma once

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <plist/plist.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <dfx/testing/libusb_test.hpp>
#include "emulator.hpp"
#include "pair_record.hpp"

namespace dfx::testing::test {

constexpr std::uint32_t kProtoVersion = 0, kProtoSetup = 2, kProtoTcp = 6;
constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kAck = 0x10;
constexpr std::uint16_t kLockdown = 62078;

inline void put32(Bytes& b, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}
inline void put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
inline std::uint32_t get32(const Bytes& b, std::size_t at) {
  return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 |
         std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}
inline std::uint16_t get16(const Bytes& b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}

/// One packet as the phone sent it.
struct MuxPacket {
  std::uint32_t protocol = 0, length = 0, magic = 0;
  std::uint16_t tx_seq = 0, rx_seq = 0;
  Bytes payload;  ///< After the usbmux header.
  // TCP fields (protocol 6):
  std::uint16_t sport = 0, dport = 0;
  std::uint32_t seq = 0, ack = 0;
  std::uint8_t flags = 0;
  std::uint16_t window = 0;
  Bytes data;  ///< After the TCP header.
};

/// An owned plist node.
struct PlistNode {
  plist_t p = nullptr;
  PlistNode() = default;
  explicit PlistNode(plist_t n) : p(n) {}
  PlistNode(PlistNode&& o) noexcept : p(std::exchange(o.p, nullptr)) {}
  PlistNode& operator=(PlistNode&& o) noexcept {
    if (p) plist_free(p);
    p = std::exchange(o.p, nullptr);
    return *this;
  }
  ~PlistNode() {
    if (p) plist_free(p);
  }
  plist_t get(const char* key) const { return p ? plist_dict_get_item(p, key) : nullptr; }
  std::string str(const char* key) const {
    plist_t n = get(key);
    if (!n || plist_get_node_type(n) != PLIST_STRING) return "<none>";
    char* s = nullptr;
    plist_get_string_val(n, &s);
    std::string out = s;
    std::free(s);
    return out;
  }
  std::uint64_t uint(const char* key) const {
    std::uint64_t v = 0;
    if (plist_t n = get(key); n && plist_get_node_type(n) == PLIST_UINT) plist_get_uint_val(n, &v);
    return v;
  }
  bool has(const char* key) const { return get(key) != nullptr; }
};

/// A dict from alternating keys and string values.
inline PlistNode request(std::initializer_list<std::pair<const char*, std::string>> items) {
  PlistNode d(plist_new_dict());
  plist_dict_set_item(d.p, "Label", plist_new_string("dfx-test"));
  for (const auto& [k, v] : items) plist_dict_set_item(d.p, k, plist_new_string(v.c_str()));
  return d;
}

/// The value under "Value" of a GetValue answer, as a string ("<none>" otherwise).
inline std::string value_string(const PlistNode& answer) {
  return answer.str("Value");
}

/// TLS client over memory buffers, as libimobiledevice's lockdown client uses it.
class TlsClient {
 public:
  TlsClient(const dfx::apple::PairRecord& pairing, const std::string& record_xml,
            bool use_host_certificate) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_security_level(ctx_, 0);
    plist_t rec = nullptr;
    plist_from_xml(record_xml.data(), static_cast<uint32_t>(record_xml.size()), &rec);
    auto pem_of = [&](const char* key) {
      char* d = nullptr;
      uint64_t n = 0;
      plist_get_data_val(plist_dict_get_item(rec, key), &d, &n);
      std::string s(d, n);
      std::free(d);
      return s;
    };
    const std::string cert =
        use_host_certificate ? pairing.host_certificate : pairing.root_certificate;
    const std::string key = pem_of(use_host_certificate ? "HostPrivateKey" : "RootPrivateKey");
    plist_free(rec);
    BIO* cb = BIO_new_mem_buf(cert.data(), static_cast<int>(cert.size()));
    X509* x = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
    BIO_free(cb);
    BIO* kb = BIO_new_mem_buf(key.data(), static_cast<int>(key.size()));
    EVP_PKEY* k = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
    BIO_free(kb);
    SSL_CTX_use_certificate(ctx_, x);
    SSL_CTX_use_PrivateKey(ctx_, k);
    X509_free(x);
    EVP_PKEY_free(k);
    ssl_ = SSL_new(ctx_);
    in_ = BIO_new(BIO_s_mem());
    out_ = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(in_, -1);
    SSL_set_bio(ssl_, in_, out_);
    SSL_set_connect_state(ssl_);
  }
  ~TlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
  }
  /// 1 done, 0 wants more input, -1 failed.
  int handshake() {
    const int r = SSL_do_handshake(ssl_);
    if (r == 1) return 1;
    const int e = SSL_get_error(ssl_, r);
    return e == SSL_ERROR_WANT_READ ? 0 : -1;
  }
  void feed(const Bytes& b) { BIO_write(in_, b.data(), static_cast<int>(b.size())); }
  Bytes output() {
    Bytes out(static_cast<std::size_t>(BIO_ctrl_pending(out_)));
    if (!out.empty()) BIO_read(out_, out.data(), static_cast<int>(out.size()));
    return out;
  }
  void write(const Bytes& b) { SSL_write(ssl_, b.data(), static_cast<int>(b.size())); }
  Bytes read() {
    Bytes out;
    unsigned char buf[16384];
    int n;
    while ((n = SSL_read(ssl_, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
    return out;
  }
  /// close_notify, as SSL_shutdown in libimobiledevice's idevice_connection_disable_ssl.
  void shutdown() { SSL_shutdown(ssl_); }
  std::string version() const { return SSL_get_version(ssl_); }

 private:
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  BIO* in_ = nullptr;
  BIO* out_ = nullptr;
};

/// usbmux, TCP and lockdown over libusb bulk transfers, one connection at a time.
class MuxHost {
 public:
  MuxHost(libusb_device_handle* h, std::uint8_t in, std::uint8_t out) : h_(h), in_(in), out_(out) {}

  int write(const Bytes& b) {
    int done = 0;
    return libusb_bulk_transfer(h_, out_, const_cast<unsigned char*>(b.data()),
                                static_cast<int>(b.size()), &done, 1000);
  }

  /// One device message, read with `buffer`-byte transfers as usbmuxd does (16 KiB) and put
  /// together the way usbmuxd's device_data_input does; nullopt on error (last_error()).
  std::optional<MuxPacket> read(unsigned timeout_ms = 1000, std::size_t buffer = 16384) {
    Bytes all;
    for (;;) {
      Bytes buf(buffer);
      int got = 0;
      last_error_ =
          libusb_bulk_transfer(h_, in_, buf.data(), static_cast<int>(buf.size()), &got, timeout_ms);
      if (last_error_ != 0) return std::nullopt;
      all.insert(all.end(), buf.begin(), buf.begin() + got);
      ++transfers_;
      if (all.size() >= 8 && static_cast<std::size_t>(got) == buffer && get32(all, 4) > all.size())
        continue;  // a full buffer of a longer packet: the rest follows
      break;
    }
    const std::size_t header = version_ >= 2 ? 16 : 8;
    if (all.size() < header) {
      last_error_ = LIBUSB_ERROR_OTHER;
      return std::nullopt;
    }
    MuxPacket p;
    p.protocol = get32(all, 0);
    p.length = get32(all, 4);
    if (version_ >= 2) {
      p.magic = get32(all, 8);
      p.tx_seq = get16(all, 12);
      p.rx_seq = get16(all, 14);
    }
    p.payload.assign(all.begin() + static_cast<std::ptrdiff_t>(header), all.end());
    if (p.protocol == kProtoTcp && p.payload.size() >= 20) {
      const Bytes& t = p.payload;
      p.sport = get16(t, 0);
      p.dport = get16(t, 2);
      p.seq = get32(t, 4);
      p.ack = get32(t, 8);
      p.flags = t[13];
      p.window = get16(t, 14);
      p.data.assign(t.begin() + (t[12] >> 4) * 4, t.end());
    }
    return p;
  }
  int last_error() const { return last_error_; }
  std::size_t transfers() const { return transfers_; }

  Bytes packet(std::uint32_t protocol, const Bytes& payload) {
    Bytes b;
    put32(b, protocol);
    put32(b, static_cast<std::uint32_t>((version_ >= 2 ? 16 : 8) + payload.size()));
    if (version_ >= 2) {
      put32(b, 0xFEEDFACE);
      put16(b, tx_seq_++);
      put16(b, rx_seq_);
    }
    b.insert(b.end(), payload.begin(), payload.end());
    return b;
  }

  /// VERSION {2, 0, 0} with a version 1 header; the answer, read with a version 1 header.
  std::optional<MuxPacket> version() {
    Bytes v;
    put32(v, 2), put32(v, 0), put32(v, 0);
    if (write(packet(kProtoVersion, v)) != 0) return std::nullopt;
    return read();
  }

  /// VERSION then SETUP, as usbmuxd does with a version 2 phone.
  bool start() {
    auto v = version();
    if (!v || v->protocol != kProtoVersion || v->payload.size() < 12 || get32(v->payload, 0) != 2)
      return false;
    version_ = 2;
    tx_seq_ = 0;
    rx_seq_ = 0xFFFF;
    return write(packet(kProtoSetup, Bytes{0x07})) == 0;
  }

  int send_tcp(std::uint16_t dport, std::uint8_t flags, const Bytes& data = {}) {
    Bytes t;
    put16(t, sport_), put16(t, dport), put32(t, seq_), put32(t, ack_);
    t.push_back(0x50);
    t.push_back(flags);
    put16(t, 131072 >> 8), put16(t, 0), put16(t, 0);
    t.insert(t.end(), data.begin(), data.end());
    return write(packet(kProtoTcp, t));
  }

  /// Reads a packet and remembers the phone's rx/tx numbers.
  std::optional<MuxPacket> read_tcp(unsigned timeout_ms = 1000) {
    auto p = read(timeout_ms);
    if (p) rx_seq_ = p->tx_seq;
    return p;
  }

  /// SYN → SYN|ACK → ACK. Returns the SYN|ACK (or whatever came).
  std::optional<MuxPacket> connect(std::uint16_t port = kLockdown) {
    ++sport_;
    seq_ = 0;  // usbmuxd starts every connection at 0
    ack_ = 0;
    port_ = port;
    if (send_tcp(port, kSyn) != 0) return std::nullopt;
    auto p = read_tcp();
    if (!p || p->flags != (kSyn | kAck)) return p;
    seq_ += 1;
    ack_ = p->seq + 1;
    if (send_tcp(port, kAck) != 0) return std::nullopt;
    return p;
  }

  /// Sends stream bytes as one TCP segment.
  int send_stream(const Bytes& data) {
    const int r = send_tcp(port_, kAck, data);
    seq_ += static_cast<std::uint32_t>(data.size());
    return r;
  }

  /// The next data segment's bytes, ACKed as usbmuxd does; nullopt on error, reset or FIN.
  std::optional<Bytes> receive_stream(unsigned timeout_ms = 1000) {
    for (;;) {
      auto p = read_tcp(timeout_ms);
      if (!p) return std::nullopt;
      segments_.push_back(*p);
      if (p->flags != kAck) return std::nullopt;
      if (p->data.empty()) continue;  // a bare ACK of our data
      ack_ += static_cast<std::uint32_t>(p->data.size());
      send_tcp(port_, kAck);
      return p->data;
    }
  }

  /// Sends a lockdown request (XML) and reads one answer frame (plain or through `tls`).
  std::optional<PlistNode> lockdown(const PlistNode& req, TlsClient* tls = nullptr) {
    char* xml = nullptr;
    uint32_t n = 0;
    plist_to_xml(req.p, &xml, &n);
    Bytes frame;
    put32(frame, n);
    frame.insert(frame.end(), xml, xml + n);
    std::free(xml);
    if (tls) {
      tls->write(frame);
      frame = tls->output();
    }
    if (send_stream(frame) != 0) return std::nullopt;
    return read_frame(tls);
  }

  /// One lockdown frame from the stream; nullopt if the stream ends or the body is no plist.
  std::optional<PlistNode> read_frame(TlsClient* tls = nullptr) {
    for (;;) {
      if (raw_.size() >= 4 && raw_.size() >= 4 + std::size_t{get32(raw_, 0)}) {
        const std::uint32_t len = get32(raw_, 0);
        last_frame_.assign(raw_.begin(), raw_.begin() + 4 + len);
        raw_.erase(raw_.begin(), raw_.begin() + 4 + len);
        plist_t p = nullptr;
        const char* body = reinterpret_cast<const char*>(last_frame_.data() + 4);
        if (plist_is_binary(body, len))
          plist_from_bin(body, len, &p);
        else
          plist_from_xml(body, len, &p);
        if (!p) return std::nullopt;
        return PlistNode(p);
      }
      auto data = receive_stream();
      if (!data) return std::nullopt;
      if (tls) {
        tls->feed(*data);
        const Bytes text = tls->read();
        raw_.insert(raw_.end(), text.begin(), text.end());
      } else {
        raw_.insert(raw_.end(), data->begin(), data->end());
      }
      if (raw_.size() >= 4 && get32(raw_, 0) > (1u << 20)) {
        last_frame_ = raw_;
        return std::nullopt;  // an absurd length: the caller looks at last_frame()
      }
    }
  }

  /// Runs the TLS handshake over the connection. True when it completed.
  bool tls_handshake(TlsClient& tls) {
    for (int round = 0; round < 10; ++round) {
      const int r = tls.handshake();
      const Bytes out = tls.output();
      if (!out.empty() && send_stream(out) != 0) return false;
      if (r == 1) return true;
      if (r < 0) return false;
      auto in = receive_stream();
      if (!in) return false;
      tls.feed(*in);
    }
    return false;
  }

  /// Everything the phone sent on TCP so far (for sequence checks).
  const std::vector<MuxPacket>& segments() const { return segments_; }
  /// The raw bytes of the last frame read (or of the stream when the length was absurd).
  const Bytes& last_frame() const { return last_frame_; }
  std::uint32_t seq() const { return seq_; }
  std::uint32_t ack() const { return ack_; }
  std::uint16_t tx_seq() const { return tx_seq_; }
  std::uint16_t sport() const { return sport_; }

 private:
  libusb_device_handle* h_;
  std::uint8_t in_, out_;
  int last_error_ = 0;
  std::size_t transfers_ = 0;
  int version_ = 0;
  std::uint16_t tx_seq_ = 0, rx_seq_ = 0xFFFF;
  std::uint16_t sport_ = 0, port_ = kLockdown;
  std::uint32_t seq_ = 0, ack_ = 0;
  std::vector<MuxPacket> segments_;
  Bytes raw_, last_frame_;
};

/// The kit's modules plus the Apple emulator ("usbmux"), as dfx-lab has them.
inline const BehaviorRegistry& apple_registry() {
  static const BehaviorRegistry r = [] {
    auto reg = BehaviorRegistry::builtin();
    if (auto added = register_apple_emulators(reg); !added) ADD_FAILURE() << added.error();
    return reg;
  }();
  return r;
}

/// A file's bytes.
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace dfx::testing::test
