// dfx-probe: the isolated worker process. Started by dfx with its protocol socket as fd 3; runs one
// plugin on one device and exits. Started with --zygote-fd 3 instead, it is the host's worker
// zygote (probe/zygote.hpp) and forks one such worker per request. See docs/architecture.md.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include <dfx/plugin.h>

#include "base/version.hpp"
#include "probe/protocol.hpp"
#include "probe/syscall_filter.hpp"
#include "probe/worker.hpp"
#include "probe/zygote.hpp"
#include "registers/register_worker.hpp"
#include "usb/usb_session.hpp"

namespace {

constexpr int kProtocolFd = 3;

// Bounds what a hostile plugin or device can cost the workstation: no core files (they would hold
// device data outside the case record) and a cap on address space. AddressSanitizer reserves
// terabytes of address space, so the cap is left out of sanitizer builds.
void limit_resources() {
  rlimit core{0, 0};
  setrlimit(RLIMIT_CORE, &core);
#if !defined(__SANITIZE_ADDRESS__)
  rlimit as{};
  getrlimit(RLIMIT_AS, &as);
  const rlim_t cap = rlim_t{4} << 30;
  if (as.rlim_cur == RLIM_INFINITY || as.rlim_cur > cap) {
    as.rlim_cur = cap;
    setrlimit(RLIMIT_AS, &as);
  }
#endif
}

// One worker's life: serve the request on fd 3, then leave at once (plugin static destructors are
// third-party code and have nothing left to do).
[[noreturn]] void serve_one() {
  dfx::usb::UsbSession::open_by_node_only();
  dfx::probe::set_register_server(dfx::registers::serve_register);
  const int rc = dfx::probe::serve(kProtocolFd, dfx::probe::Isolation::Sandbox);
  std::fflush(nullptr);
  _exit(rc);
}

bool given_protocol_fd(int argc, char** argv, const char* option) {
  return argc == 3 && std::strcmp(argv[1], option) == 0 && std::strcmp(argv[2], "3") == 0 &&
         fcntl(kProtocolFd, F_GETFD) >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && (std::strcmp(argv[1], "--version") == 0)) {
    std::printf("dfx-probe %s (probe protocol %u, plugin ABI %d.%d)\n", dfx::kVersion,
                dfx::probe::kProtocolVersion, DFX_ABI_MAJOR, DFX_ABI_MINOR);
    return 0;
  }
  // The host passes --serve-fd 3 (or --zygote-fd 3) explicitly, so that a person running
  // dfx-probe by hand (who may well have some fd 3 open) gets an explanation instead of a silent
  // wait for a request.
  const bool worker = given_protocol_fd(argc, argv, "--serve-fd");
  const bool zygote = given_protocol_fd(argc, argv, "--zygote-fd");
  if (!worker && !zygote) {
    std::fprintf(stderr,
                 "dfx-probe: this is dfx's worker process; it is started by dfx with its protocol "
                 "socket on fd %d. Run `dfx scan` instead.\n",
                 kProtocolFd);
    return dfx::probe::kWorkerUsage;
  }
  std::signal(SIGPIPE, SIG_IGN);
  limit_resources();
  if (zygote) {
    // Compiled once here, inherited by every worker forked from the zygote.
    (void)dfx::probe::syscall_filter(false);
    (void)dfx::probe::syscall_filter(true);
    return dfx::probe::serve_zygote(kProtocolFd, []() -> int { serve_one(); });
  }
  serve_one();
}
