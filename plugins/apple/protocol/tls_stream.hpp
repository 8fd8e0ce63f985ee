// A TLS session over a ByteStream, as lockdownd starts one after StartSession answers
// EnableSessionSSL: the host authenticates with the pair record's host certificate and key, and
// the phone must prove it holds the key of the pair record's DeviceCertificate (its public key is
// compared; a phone that does not is refused, so a look-alike cannot feed answers into a
// paired reading). OpenSSL with memory BIOs: TLS records travel whole over the stream.
#pragma once

#include <memory>

#include "byte_stream.hpp"
#include "pair_record.hpp"

namespace dfx::apple {

class TlsStream final : public ByteStream {
 public:
  ~TlsStream() override;
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  /// Runs the handshake over `lower` (which must outlive the TlsStream).
  static dfx::sdk::Result<std::unique_ptr<TlsStream>> handshake(ByteStream& lower,
                                                                const PairRecord& record);

  dfx::sdk::Status send(std::span<const uint8_t> bytes) override;
  dfx::sdk::Status receive_exact(std::size_t count, std::vector<uint8_t>& out) override;

  /// The negotiated protocol ("TLSv1.2"...), for the method text.
  [[nodiscard]] std::string protocol() const;

 private:
  struct Impl;
  explicit TlsStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dfx::apple
