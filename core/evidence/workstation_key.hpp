// The workstation's Ed25519 key, which signs the head of a case's chain when the case is closed
// and at each checkpoint. Created on first use in dfx's data folder ($XDG_DATA_HOME/dfx, else
// ~/.local/share/dfx), private key readable only by its owner; the public key is written into
// every case the workstation appends to, so that a verifier elsewhere needs only the case.
//
// What a signature proves: that whoever held this workstation's private key vouched for the
// chain up to that record. It does not prove who sat at the workstation, nor that the key was
// not copied (docs/evidence.md).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "base/result.hpp"

namespace dfx::evidence {

class WorkstationKey {
 public:
  ~WorkstationKey();
  WorkstationKey(WorkstationKey&&) noexcept;
  WorkstationKey& operator=(WorkstationKey&&) noexcept;

  /// The key at `path`, created (with its folder, mode 0700, and the file, mode 0600) when
  /// missing. Refuses a key file others can read or write, or one that is not Ed25519.
  static Result<WorkstationKey> load_or_create(const std::filesystem::path& path);
  /// Where the workstation's key lives: $DFX_WORKSTATION_KEY, else
  /// <data home>/dfx/workstation-ed25519.pem.
  static Result<std::filesystem::path> default_path();

  /// The raw 32-byte public key, hex.
  [[nodiscard]] const std::string& public_hex() const { return public_hex_; }
  /// Ed25519 signature of `message`, hex (128 digits).
  [[nodiscard]] Result<std::string> sign(const std::string& message) const;

 private:
  struct Key;
  WorkstationKey(std::unique_ptr<Key> key, std::string public_hex);
  std::unique_ptr<Key> key_;
  std::string public_hex_;
};

/// True when `signature_hex` is `public_hex`'s Ed25519 signature of `message`.
bool verify_signature(const std::string& public_hex, const std::string& message,
                      const std::string& signature_hex);

}  // namespace dfx::evidence
