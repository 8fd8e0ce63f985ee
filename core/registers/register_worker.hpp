// Register plugins in a worker process of their own (dfx-probe in register mode, in the same
// sandbox as device plugins, without a device): a plugin that crashes, hangs or answers garbage
// turns its register's answers into errors (so those identifiers are `unknown`) and the command
// goes on with the other registers. One long-lived worker per configured register; lookups go in
// Query frames, answers come back in Answers frames over the probe protocol, and the host checks
// every answer as it would a plugin's own.
#pragma once

#include <sys/types.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "plugin_host/loader.hpp"
#include "probe/frame_io.hpp"
#include "probe/messages.hpp"
#include "registers/answer.hpp"
#include "registers/config.hpp"

namespace dfx::registers {

/// The worker side (dfx-probe's register mode, inside the sandbox): opens the register with
/// `plugin`, says whether that worked, then answers each Query until the host closes `fd`.
/// Returns the worker's exit code.
int serve_register(int fd, const probe::Request& request, const plugin_host::LoadedPlugin& plugin);

/// The payload of an Answers frame holding `answers`: what a register worker sends for a batch,
/// and what the SHA-256 of a register's raw answer is taken over (Answer::answer_sha256).
std::string answers_payload(const std::vector<Answer>& answers);

/// The host side of one register served by a worker.
class RegisterWorker {
 public:
  /// Starts the worker for `config` with the plugin of `manifest` and waits until the register
  /// is open (at most its timeout and two seconds). Never fails as a whole: see error().
  static std::unique_ptr<RegisterWorker> start(const plugin_host::Manifest& manifest,
                                               const RegisterConfig& config);
  ~RegisterWorker();
  RegisterWorker(const RegisterWorker&) = delete;
  RegisterWorker& operator=(const RegisterWorker&) = delete;

  /// Why the register cannot answer ("" while it works); set for good once the worker failed.
  [[nodiscard]] const std::string& error() const { return error_; }
  /// The plugin's version, as its library reports it ("" until open).
  [[nodiscard]] const std::string& version() const { return version_; }
  /// Asks about `lookups`; one answer per lookup, in order (errors when the worker failed).
  std::vector<Answer> query(std::span<const Lookup> lookups);

 private:
  explicit RegisterWorker(RegisterConfig config) : config_(std::move(config)) {}
  std::vector<Answer> all_errors(std::size_t n, const std::string& why) const;
  // Ends the worker for `why` (killing it if needed) and keeps why, with how it ended.
  void fail_with(std::string why);

  RegisterConfig config_;
  std::string error_;
  std::string version_;
  pid_t pid_ = -1;
  int sock_ = -1;
  std::unique_ptr<probe::FrameReader> reader_;
};

}  // namespace dfx::registers
