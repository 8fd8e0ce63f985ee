// SHA-256 digests (OpenSSL libcrypto) of files and answers, as lower-case hex: what an imported
// list or register file was, byte for byte.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace dfx {

/// A running SHA-256 digest: update() with the bytes as they are read, hex() at any time.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  /// Adds bytes to the digest.
  void update(std::string_view bytes);
  /// Lower-case hex digest of everything added so far (the running digest is left usable).
  /// "" only if OpenSSL fails, which callers treat as an error.
  [[nodiscard]] std::string hex() const;

  /// The raw digest of everything added so far, into `out`; then starts over empty (the context
  /// is reused: hashing many short records allocates nothing). False only if OpenSSL fails.
  bool finish_and_reset(std::array<unsigned char, 32>& out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Lower-case hex SHA-256 of `bytes` ("" if OpenSSL fails).
std::string sha256_hex(std::string_view bytes);

}  // namespace dfx
