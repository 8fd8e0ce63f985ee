// Scripted phones for the session tests: in-process protocol peers implementing the Transport
// interface. FakePhone plays adbd's side (AUTH with real RSA signature verification against its
// authorised keys, banner, shell services from a table, and hostile behaviours); FakeBootloader
// plays a fastboot bootloader. Both react to what the client writes and answer through read();
// an empty answer queue is an immediate timeout, so tests never sleep.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "adb_key.hpp"
#include "adb_message.hpp"
#include "transport.hpp"

namespace dfx::android::testing {

/// Ways a phone can misbehave.
enum class Hostile {
  none,
  bad_magic,     ///< a header whose magic is wrong
  bad_checksum,  ///< a payload whose byte sum differs from data_check
  huge_length,   ///< a header announcing 2 MiB of payload
  endless_wrte,  ///< every OKAY from the host is answered with another 4 KiB WRTE
  disconnect,    ///< the device goes away in the middle of the first stream
  huge_banner,   ///< a CNXN banner of 1 MiB
  garbage,       ///< 24 bytes of noise instead of a message
  silent,        ///< never answers anything
};

/// How a FakePhone behaves.
struct PhoneScript {
  bool auth_required = true;
  std::vector<std::array<uint8_t, kAndroidPublicKeySize>> authorized;  ///< keys it trusts
  bool user_accepts_offered_key = false;  ///< RSAPUBLICKEY immediately accepted
  std::string banner =
      "device::ro.product.name=panther;ro.product.model=Pixel 7;ro.product.device=panther;"
      "features=shell_v2,cmd,stat_v2";
  std::map<std::string, std::string> services;  ///< OPEN destination -> output
  std::size_t write_chunk = 1000;               ///< output split into WRTEs of this size
  bool zero_checksum = true;                    ///< sends data_check = 0 (version >= 0x01000001)
  uint32_t version = adb::kVersionSkipChecksum;
  uint32_t max_payload = 256 * 1024;
  Hostile hostile = Hostile::none;
  bool hostile_in_stream = false;  ///< misbehave in the first stream rather than at connect
};

/// A scripted adbd.
class FakePhone final : public Transport {
 public:
  explicit FakePhone(PhoneScript script) : s_(std::move(script)) {}

  Status write(std::span<const uint8_t> data, std::chrono::milliseconds timeout) override;
  Result<std::vector<uint8_t>> read(std::size_t max_bytes,
                                    std::chrono::milliseconds timeout) override;

  // What the client did.
  std::vector<adb::Message> received;  ///< every message the client sent
  std::vector<std::string> opened;     ///< OPEN destinations, without the NUL
  std::string offered_key;             ///< RSAPUBLICKEY payload (without NUL)
  int good_signatures = 0;
  int bad_signatures = 0;
  std::size_t reads = 0;  ///< read() calls (to check bounded work)

 private:
  void on_message(const adb::Message& m);
  void send(uint32_t cmd, uint32_t a0, uint32_t a1, std::string_view payload, bool corrupt = false);
  void send_token();
  void next_chunk(uint32_t local, uint32_t remote);
  bool verify(std::span<const uint8_t> sig) const;

  PhoneScript s_;
  std::vector<uint8_t> inbox_;  // client bytes not yet parsed
  std::deque<std::vector<uint8_t>> outbox_;
  std::array<uint8_t, 20> token_{};
  uint8_t token_counter_ = 0;
  bool connected_ = false;
  bool gone_ = false;
  uint32_t next_remote_ = 100;
  struct Stream {
    std::string pending;
    bool closing = false;
  };
  std::map<uint32_t, Stream> streams_;  // by the client's local id
  std::map<uint32_t, uint32_t> remote_of_;
  bool hostile_done_ = false;
};

/// How a FakeBootloader behaves.
struct BootloaderScript {
  std::map<std::string, std::string> vars;  ///< getvar name -> value (absent: FAIL)
  std::vector<std::string> all_lines;       ///< INFO payloads for getvar:all
  enum class Hostile { none, oversize, endless_info, bad_prefix, disconnect, data, silent };
  Hostile hostile = Hostile::none;
};

/// A scripted fastboot bootloader.
class FakeBootloader final : public Transport {
 public:
  explicit FakeBootloader(BootloaderScript script) : s_(std::move(script)) {}
  Status write(std::span<const uint8_t> data, std::chrono::milliseconds timeout) override;
  Result<std::vector<uint8_t>> read(std::size_t max_bytes,
                                    std::chrono::milliseconds timeout) override;

  std::vector<std::string> commands;  ///< every command the client sent
  std::size_t reads = 0;

 private:
  BootloaderScript s_;
  std::deque<std::string> outbox_;
  bool endless_ = false;
};

/// Decodes Android's 524-byte public key into an OpenSSL key and verifies an AUTH signature
/// over `token` with it (PKCS#1 v1.5, SHA-1 DigestInfo), as adbd does.
bool verify_adb_signature(const std::array<uint8_t, kAndroidPublicKeySize>& public_key,
                          std::span<const uint8_t> token, std::span<const uint8_t> signature);

/// One RSA key shared by all tests of a binary (generation costs ~100 ms).
const AdbKey& shared_test_key(int which = 0);

}  // namespace dfx::android::testing
