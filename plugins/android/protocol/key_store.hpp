// Where adb keys live and how the plugin gets them, as adb does (AOSP adb/client/auth.cpp):
//   - the user key: $ANDROID_USER_HOME/adbkey when ANDROID_USER_HOME is set, else
//     $HOME/.android/adbkey (PEM private key) with adbkey.pub beside it;
//   - ADB_VENDOR_KEYS: a ':'-separated list of key files and folders; in a folder, files named
//     *.adb_key or adbkey are keys (not recursive);
//   - no user key: a new RSA-2048 pair is generated and written as adbkey (0600) and adbkey.pub
//     (0600), so the phone can remember this workstation once its user accepts it.
// This is the only file of the plugin that touches the file system.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adb_key.hpp"
#include "adb_session.hpp"
#include "error.hpp"

namespace dfx::android {

/// The environment the key store reads, captured once (tests fill it by hand).
struct KeyEnvironment {
  std::string android_user_home;  ///< $ANDROID_USER_HOME, "" when unset
  std::string home;               ///< $HOME, "" when unset
  std::string vendor_keys;        ///< $ADB_VENDOR_KEYS, "" when unset
  std::string user_host;          ///< "user@host" written after generated public keys

  /// Reads ANDROID_USER_HOME, HOME, ADB_VENDOR_KEYS, LOGNAME/getlogin and HOSTNAME/gethostname.
  static KeyEnvironment from_process();
};

/// The folder holding adbkey: $ANDROID_USER_HOME, else $HOME/.android. Fails (not_found) when
/// neither variable is set.
Result<std::filesystem::path> adb_key_dir(const KeyEnvironment& env);

/// The keys found, in the order adb tries them (user key first, then vendor keys), plus what
/// happened on the way, for the log.
class KeyRing final : public adb::AuthKeys {
 public:
  std::vector<AdbKey> keys;                        ///< usable RSA-2048 keys, no duplicates
  std::string user_host;                           ///< for the offered public key
  std::vector<std::string> notes;                  ///< one sentence per key skipped or made
  std::optional<std::filesystem::path> generated;  ///< set when a new pair was written

  /// Number of keys.
  [[nodiscard]] std::size_t count() const override { return keys.size(); }
  /// Signs with keys[index] (AdbKey::sign_token).
  [[nodiscard]] Result<std::vector<uint8_t>> sign(std::size_t index,
                                                  std::span<const uint8_t> token) const override;
  /// The first key's public half ("<base64> user@host"); fails (not_found) without keys.
  [[nodiscard]] Result<std::string> public_key() const override;

  /// Adds a key unless its public key is already present; returns false for a duplicate.
  bool add(AdbKey key);
};

/// Loads the user key and the vendor keys. When the user key file does not exist and
/// `generate_if_missing`, creates the folder (0750) and a new pair (0600 files; written to a
/// temporary name and linked into place, so two probes at once cannot clobber each other).
/// Never fails as a whole: problems become notes and the ring may be empty.
KeyRing load_key_ring(const KeyEnvironment& env, bool generate_if_missing);

/// Writes `key` as <path> (PEM, 0600) and <path>.pub ("<base64> user@host", 0600). Fails
/// (io) if <path> already exists or cannot be written.
Status write_key_pair(const AdbKey& key, const std::filesystem::path& path,
                      std::string_view user_host);

}  // namespace dfx::android
