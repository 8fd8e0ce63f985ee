// One configured register, served in this process by its plugin or a built-in backend (both
// through the register interface of the SDK). Every call into the plugin
// (open, query, close) runs on a thread of its own and the caller waits at most the register's
// timeout: a register that hangs is abandoned (its answers become errors, it is never called
// again, its library stays loaded) and dfx carries on. Answers are checked as they arrive: a
// query left unanswered, answered twice in contradictory ways, or answered with an unknown
// status is never turned into a miss.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "plugin_host/loader.hpp"
#include "registers/answer.hpp"
#include "registers/config.hpp"
#include "registers/register_worker.hpp"

namespace dfx::registers {

class RegisterClient {
 public:
  /// Opens the register: calls the plugin's open with the configured settings, within the
  /// timeout. A failure is kept (see error()) and every later query answers with it, so that a
  /// broken register turns verdicts into `unknown` rather than disappearing.
  static std::unique_ptr<RegisterClient> open(
      std::shared_ptr<const plugin_host::LoadedPlugin> plugin, RegisterConfig config);

  /// Opens the register in a worker process of its own (register_worker.hpp): what dfx does for
  /// register plugins, so that a crash or a hang of the plugin costs only its answers.
  static std::unique_ptr<RegisterClient> open_isolated(const plugin_host::Manifest& manifest,
                                                       RegisterConfig config);

  /// A register that could not even be loaded: answers every query with `why`.
  static std::unique_ptr<RegisterClient> unavailable(RegisterConfig config,
                                                     std::vector<std::string> accepts,
                                                     std::string why);

  ~RegisterClient();
  RegisterClient(const RegisterClient&) = delete;
  RegisterClient& operator=(const RegisterClient&) = delete;

  /// The register's id from the configuration.
  [[nodiscard]] const std::string& id() const { return config_.id; }
  /// What serves it: "builtin:sqlite" or the plugin's id.
  [[nodiscard]] std::string backend() const { return config_.backend(); }
  /// The identifier kinds it accepts (from the plugin's manifest).
  [[nodiscard]] const std::vector<std::string>& accepts() const { return accepts_; }
  /// True when it accepts `kind`.
  [[nodiscard]] bool accepts(std::string_view kind) const;
  /// Why the register cannot answer at all ("" while it works).
  [[nodiscard]] const std::string& error() const { return error_; }
  /// The plugin's version as its library reports it ("" when unknown).
  [[nodiscard]] std::string version() const;

  /// Looks up a batch; returns one answer per lookup, in order. Never fails as a whole: each
  /// lookup that could not be answered carries an Outcome::Error with the reason.
  std::vector<Answer> query(std::span<const Lookup> lookups);

  /// Starts query() on a thread and returns at once; collect() waits for it (at most the
  /// timeout). Lets the host ask several registers at the same time.
  void start(std::span<const Lookup> lookups);
  std::vector<Answer> collect();

  struct Call;  // one call into the plugin, shared with the thread that makes it

 private:
  RegisterClient(RegisterConfig config, std::vector<std::string> accepts)
      : config_(std::move(config)), accepts_(std::move(accepts)) {}
  std::vector<Answer> all_errors(std::size_t n, const std::string& why) const;

  RegisterConfig config_;
  std::vector<std::string> accepts_;
  std::shared_ptr<const plugin_host::LoadedPlugin> plugin_;
  void* state_ = nullptr;  ///< the plugin's state from open
  std::string error_;
  std::shared_ptr<Call> pending_;           ///< the batch started by start()
  std::size_t pending_count_ = 0;           ///< lookups in the batch started by start()
  std::unique_ptr<RegisterWorker> worker_;  ///< set when served by a worker process
  std::vector<Lookup> pending_lookups_;     ///< the batch start() left for the worker
};

}  // namespace dfx::registers
