#include "probe/supervisor.hpp"

#include <dfx/plugin.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <list>
#include <thread>

#include "base/paths.hpp"
#include "base/sha256.hpp"
#include "probe/frame_io.hpp"
#include "probe/limits.hpp"
#include "probe/protocol.hpp"
#include "probe/worker.hpp"
#include "probe/worker_process.hpp"

extern char** environ;

namespace dfx::probe {
namespace {

using Clock = std::chrono::steady_clock;

std::string signal_text(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  const char* desc = sigdescr_np(sig);
  return std::string("SIG") + (abbrev ? abbrev : std::to_string(sig).c_str()) +
         (desc ? std::string(" (") + desc + ")" : "");
}

// One job in flight: its socket, its process (or thread), and what has arrived so far.
struct Running {
  std::size_t index = 0;
  int sock = -1;
  pid_t pid = -1;
  int pidfd = -1;      // -1 when the kernel has no pidfd_open: we poll waitpid instead
  std::thread thread;  // in-process mode only
  FrameDecoder decoder{kMaxWorkerFrame};
  std::size_t bytes = 0;       // everything received from the worker
  std::size_t log_frames = 0;  // Log frames received, kept or not
  Clock::time_point start, deadline;
  bool hello = false;
  bool eof = false;
  bool exited = false;
  int wait_status = 0;
  std::optional<Done> done;
  std::string killed_for;  // "timeout" or "protocol" once we killed it
  std::string protocol_error;
  std::string transcript;  // slices received so far
  bool transcript_ended = false;
};

// A transcript past this is refused: the worker keeps at most 32 MiB of exchanges.
constexpr std::size_t kMaxTranscriptBytes = 48u << 20;

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

class Supervisor {
 public:
  Supervisor(const std::vector<ProbeJob>& jobs, const SupervisorOptions& opt)
      : jobs_(jobs), opt_(opt), out_(jobs.size()) {
    if (opt_.worker.empty()) opt_.worker = probe_worker_path();
    if (opt_.parallel == 0) opt_.parallel = 1;
  }

  std::vector<ProbeOutcome> run() {
    std::vector<bool> started(jobs_.size(), false);
    std::size_t left = jobs_.size();
    while (left > 0 || !running_.empty()) {
      // Start jobs in order, skipping those whose exclusive key is busy (they start later).
      for (std::size_t i = 0; i < jobs_.size() && running_.size() < opt_.parallel && left > 0;
           ++i) {
        if (started[i] || key_busy(jobs_[i].exclusive_key)) continue;
        started[i] = true;
        --left;
        start(i);
      }
      if (running_.empty()) continue;
      wait_and_process();
    }
    return std::move(out_);
  }

 private:
  ProbeOutcome& outcome(const Running& r) { return out_[r.index]; }
  bool key_busy(const std::string& key) const {
    if (key.empty()) return false;
    for (const auto& r : running_)
      if (jobs_[r.index].exclusive_key == key) return true;
    return false;
  }
  const std::string& plugin(const Running& r) { return jobs_[r.index].plugin_id; }

  void start(std::size_t index) {
    const ProbeJob& job = jobs_[index];
    ProbeOutcome& o = out_[index];
    o.plugin_id = job.plugin_id;
    Running r;
    r.index = index;
    r.start = Clock::now();
    r.deadline = r.start + opt_.timeout;
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
      o.code = "worker";
      o.error =
          "plugin " + job.plugin_id + ": cannot create the worker pipe: " + std::strerror(errno);
      return;
    }
    r.sock = sv[0];
    // The request goes into the socket before the worker exists: it is small (a few KiB, far
    // less than the socket's buffer) and the worker finds it waiting instead of waiting for it.
    Request req{job.mode, job.manifest, job.device, static_cast<uint32_t>(opt_.timeout.count())};
    req.transcript = job.mode == Mode::Probe && opt_.transcripts;
    req.replay = job.replay;
    const std::string frame = encode_frame(FrameType::Request, to_payload(req));
    // Cannot fail before the worker reads; if it did, the worker would say so.
    (void)send_all(r.sock, frame.data(), frame.size());
    std::string spawn_error = opt_.in_process ? start_thread(r, sv[1]) : start_process(r, sv[1]);
    if (!spawn_error.empty()) {
      close_fd(r.sock);
      o.code = "worker";
      o.error = "plugin " + job.plugin_id + ": " + spawn_error;
      return;
    }
    o.worker_pid = r.pid;
    ::fcntl(r.sock, F_SETFL, ::fcntl(r.sock, F_GETFL) | O_NONBLOCK);
    running_.push_back(std::move(r));
  }

  std::string start_process(Running& r, int child_end) {
    auto pid = start_worker(opt_.worker, child_end);
    if (!pid) return pid.error().message;
    r.pid = *pid;
    r.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, *pid, 0));
    return {};
  }

  std::string start_thread(Running& r, int child_end) {
    r.thread = std::thread([child_end] {
      serve(child_end, Isolation::None);
      ::close(child_end);  // EOF tells the supervisor the "worker" is done
    });
    return {};
  }

  void kill_worker(Running& r, const std::string& why) {
    if (!r.killed_for.empty()) return;
    r.killed_for = why;
    if (r.pid > 0) {
      ::kill(-r.pid, SIGKILL);
      ::kill(r.pid, SIGKILL);
    }
  }

  void reap(Running& r, bool block) {
    if (r.exited) return;
    if (r.pid <= 0) {  // in-process: the thread closing its end is the "exit"
      if (r.eof) {
        r.exited = true;
        r.thread.join();
      } else if (!r.killed_for.empty()) {
        r.exited = true;
        r.thread.detach();  // cannot kill a thread; documented limit of the debug mode
      }
      return;
    }
    int st = 0;
    const pid_t w = ::waitpid(r.pid, &st, block ? 0 : WNOHANG);
    if (w == r.pid || (w < 0 && errno == ECHILD)) {
      r.exited = true;
      r.wait_status = st;
    }
  }

  // Stores a log line and passes it on, up to the per-probe limit; the host's own notes about a
  // worker count towards it too, so a worker cannot make the host log without bound.
  void keep_log(Running& r, LogLine line) {
    ProbeOutcome& o = outcome(r);
    if (o.logs.size() >= kMaxLogFrames) return;
    if (opt_.on_log) opt_.on_log(r.index, line);
    o.logs.push_back(std::move(line));
  }

  void handle_frame(Running& r, const Frame& f) {
    ProbeOutcome& o = outcome(r);
    if (!r.hello && f.type != FrameType::Hello) {
      r.protocol_error = "first frame is not Hello";
      return;
    }
    if (f.type == FrameType::Transcript || f.type == FrameType::TranscriptEnd) {
      take_transcript(r, f);
      return;
    }
    // After Done, only the worker's own frames come (it sends them once the plugin's process
    // has ended): its findings, then the transcript.
    if (r.done && (f.type != FrameType::Finding || r.transcript_ended)) {
      r.protocol_error = "frame after Done";
      return;
    }
    switch (f.type) {
      case FrameType::Hello: {
        auto h = parse_hello(f.payload);
        if (!h) {
          r.protocol_error = h.error().message;
          return;
        }
        if (h->abi != plugin_host::host_abi()) {
          r.protocol_error = "dfx-probe was built for plugin ABI " + h->abi.str() + ", dfx for " +
                             plugin_host::host_abi().str() + " (mixed installation?)";
          return;
        }
        r.hello = true;
        return;
      }
      case FrameType::Log: {
        auto l = parse_log(f.payload);
        if (!l) {
          r.protocol_error = l.error().message;
          return;
        }
        if (const auto why = log_over_limit(*l); !why.empty()) {
          r.protocol_error = why;
          return;
        }
        if (++r.log_frames > kMaxLogFrames) {
          r.protocol_error = "more than " + std::to_string(kMaxLogFrames) + " log lines";
          return;
        }
        keep_log(r, std::move(*l));
        return;
      }
      case FrameType::Claim: {
        auto c = parse_claim(f.payload);
        if (!c) {
          r.protocol_error = c.error().message;
          return;
        }
        if (const auto why = claim_over_limit(*c); !why.empty()) {
          r.protocol_error = why;
          return;
        }
        if (o.claims.size() >= kMaxClaims) {
          r.protocol_error = "more than " + std::to_string(kMaxClaims) + " claims";
          return;
        }
        // The worker refuses unknown kinds already; the host checks again (it trusts nothing a
        // worker sends), so a misspelt kind never reaches a report unseen.
        if (!dfx_claim_kind_known(c->kind.c_str())) {
          keep_log(r, LogLine{"warn", "plugin " + jobs_[r.index].plugin_id + ": claim kind \"" +
                                          c->kind +
                                          "\" is not one dfx knows (<dfx/plugin.h>, "
                                          "DFX_CLAIM_KINDS): claim refused"});
          return;
        }
        o.claims.push_back(std::move(*c));
        return;
      }
      case FrameType::Finding: {
        auto fi = parse_finding(f.payload);
        if (!fi) {
          r.protocol_error = fi.error().message;
          return;
        }
        if (const auto why = finding_over_limit(*fi); !why.empty()) {
          r.protocol_error = why;
          return;
        }
        if (o.findings.size() >= kMaxFindings + 8) {  // the plugin's, and a few of the worker's
          r.protocol_error = "more than " + std::to_string(kMaxFindings) + " findings";
          return;
        }
        o.findings.push_back(std::move(*fi));
        return;
      }
      case FrameType::Done: {
        auto d = parse_done(f.payload);
        if (!d) {
          r.protocol_error = d.error().message;
          return;
        }
        if (const auto why = done_over_limit(*d); !why.empty()) {
          r.protocol_error = why;
          return;
        }
        r.done = std::move(*d);
        return;
      }
      case FrameType::Request:
      case FrameType::Query:
      case FrameType::Answers:
        r.protocol_error = "worker sent a frame of type " +
                           std::to_string(static_cast<int>(f.type)) + " to a probe";
        return;
    }
  }

  // The worker sends the transcript after Done, once, from outside the sandbox. Anything else (a
  // slice before Done, a second transcript, one that is not what its end says) could only be a
  // plugin writing frames on the socket it shares: the probe is refused, not just the transcript.
  void take_transcript(Running& r, const Frame& f) {
    if (!opt_.transcripts || !r.done) {
      r.protocol_error = "transcript frame before Done or not asked for (forged by the plugin?)";
      return;
    }
    if (r.transcript_ended) {
      r.protocol_error = "a second transcript after the first ended (forged by the plugin?)";
      return;
    }
    if (f.type == FrameType::Transcript) {
      if (r.transcript.size() + f.payload.size() > kMaxTranscriptBytes) {
        r.protocol_error = "transcript over " + std::to_string(kMaxTranscriptBytes >> 20) + " MiB";
        return;
      }
      r.transcript += f.payload;
      return;
    }
    auto end = parse_transcript_end(f.payload);
    if (!end) {
      r.protocol_error = end.error().message;
      return;
    }
    if (end->bytes != r.transcript.size() || end->sha256 != sha256_hex(r.transcript)) {
      r.protocol_error = "the transcript received is not the one its end describes";
      return;
    }
    r.transcript_ended = true;
  }

  void read_socket(Running& r) {
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(r.sock, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) r.eof = true;
        return;
      }
      if (n == 0) {
        r.eof = true;
        if (r.decoder.pending() > 0 && r.protocol_error.empty() && !r.done)
          r.protocol_error = "reply truncated: " + std::to_string(r.decoder.pending()) +
                             " bytes of an unfinished frame";
        return;
      }
      r.bytes += static_cast<std::size_t>(n);
      if (r.bytes > kMaxWorkerBytes && r.protocol_error.empty() && !r.done) {
        r.protocol_error =
            "worker sent more than " + std::to_string(kMaxWorkerBytes >> 20) + " MiB";
        kill_worker(r, "protocol");
        return;
      }
      r.decoder.feed({buf, static_cast<std::size_t>(n)});
      for (;;) {
        auto f = r.decoder.next();
        if (!f) {
          r.protocol_error = f.error().message;
          break;
        }
        if (!*f) break;
        handle_frame(r, **f);
        if (!r.protocol_error.empty()) break;
      }
      if (!r.protocol_error.empty()) {
        kill_worker(r, "protocol");
        return;
      }
    }
  }

  void finish(Running& r) {
    ProbeOutcome& o = outcome(r);
    o.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - r.start).count();
    const std::string who = "plugin " + plugin(r);
    if (r.killed_for == "timeout") {
      o.code = "timeout";
      o.error =
          who + " timed out after " + std::to_string(opt_.timeout.count()) + " ms; worker killed";
    } else if (r.killed_for == "protocol" || (!r.protocol_error.empty() && !r.done)) {
      o.code = "protocol";
      o.error = who + ": malformed reply from worker: " + r.protocol_error;
    } else if (r.done) {
      o.ok = r.done->ok;
      o.code = r.done->code;
      o.plugin = r.done->plugin;
      if (!o.ok) o.error = who + ": " + r.done->error;

    } else if (r.pid > 0 && WIFSIGNALED(r.wait_status)) {
      o.code = "crashed";
      o.error = who + " crashed: " + signal_text(WTERMSIG(r.wait_status));
    } else if (r.pid > 0 && WIFEXITED(r.wait_status) &&
               WEXITSTATUS(r.wait_status) == kWorkerUsage) {
      o.code = "worker";
      o.error = who + ": " + opt_.worker.string() + " did not accept the protocol socket";
    } else {
      const int status = r.pid > 0 && WIFEXITED(r.wait_status) ? WEXITSTATUS(r.wait_status) : -1;
      o.code = "worker";
      o.error =
          who + ": worker exited with status " + std::to_string(status) + " without an answer";
    }
    if (opt_.transcripts && jobs_[r.index].mode == Mode::Probe) {
      if (r.transcript_ended && o.code != "protocol")
        o.transcript = std::move(r.transcript);
      else
        o.transcript_missing =
            "no USB transcript: " + (o.ok ? "the worker did not send it" : o.error);
    }
    close_fd(r.sock);
    close_fd(r.pidfd);
  }

  void wait_and_process() {
    std::vector<pollfd> fds;
    std::vector<std::pair<Running*, bool>> owners;  // (job, is pidfd)
    auto now = Clock::now();
    int timeout_ms = -1;
    for (auto& r : running_) {
      if (!r.eof) {
        fds.push_back({r.sock, POLLIN, 0});
        owners.emplace_back(&r, false);
      }
      if (r.pidfd >= 0 && !r.exited) {
        fds.push_back({r.pidfd, POLLIN, 0});
        owners.emplace_back(&r, true);
      }
      int left =
          static_cast<int>(
              std::chrono::duration_cast<std::chrono::milliseconds>(r.deadline - now).count()) +
          1;
      if (r.killed_for.empty())
        timeout_ms = timeout_ms < 0 ? std::max(left, 0) : std::min(timeout_ms, std::max(left, 0));
      // Without a pidfd (or in-process), nothing wakes us when the worker exits after EOF: poll.
      if (r.eof && !r.exited && r.pidfd < 0)
        timeout_ms = timeout_ms < 0 ? 2 : std::min(timeout_ms, 2);
    }
    if (!fds.empty() || timeout_ms >= 0) {
      const int n = ::poll(fds.data(), fds.size(), timeout_ms);
      if (n < 0 && errno != EINTR) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      auto [r, is_pidfd] = owners[i];
      if (is_pidfd)
        reap(*r, false);
      else
        read_socket(*r);
    }
    now = Clock::now();
    for (auto it = running_.begin(); it != running_.end();) {
      Running& r = *it;
      if (r.eof || r.pidfd < 0) reap(r, false);
      if (!r.exited && r.killed_for.empty() && now >= r.deadline) kill_worker(r, "timeout");
      // A killed worker is reaped at once (SIGKILL cannot be ignored); its pipe is done with.
      if (!r.killed_for.empty() && !r.exited) reap(r, r.pid > 0);
      // A worker that exited may still have frames in the socket buffer: drain before finishing.
      if (r.exited && !r.eof && r.killed_for.empty()) read_socket(r);
      const bool done = r.exited && (r.eof || !r.killed_for.empty());
      if (done) {
        finish(r);
        it = running_.erase(it);
      } else {
        ++it;
      }
    }
  }

  const std::vector<ProbeJob>& jobs_;
  SupervisorOptions opt_;
  std::vector<ProbeOutcome> out_;
  std::list<Running> running_;
};

}  // namespace

std::vector<ProbeOutcome> run_probes(const std::vector<ProbeJob>& jobs,
                                     const SupervisorOptions& options) {
  return Supervisor(jobs, options).run();
}

}  // namespace dfx::probe
