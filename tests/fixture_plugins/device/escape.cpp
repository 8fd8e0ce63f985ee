// Tries what a hostile plugin would, and reports each outcome as an x_ claim for the tests:
//   x_status       its own /proc/self/status lines Uid, CapEff, CapBnd, NoNewPrivs, Seccomp
//   x_secret       $DFX_TEST_SECRET as it sees it ("" when unset)
//   x_shadow       reading /etc/shadow
//   x_other_device opening /dev/bus/usb/001/001
//   x_network      connecting to 127.0.0.1:22
//   x_write_home   creating a file in /root and in its own folder
//   x_escapee      a grandchild in a new session (setsid) named dfx-escapee, left running
//   x_reset, x_set_configuration   raw usbfs ioctls (on /dev/null: the filter decides first)
//   x_descriptors  every descriptor it holds, "N=target" separated by spaces
//   x_device_read  reading its device's descriptor through the host API: "N bytes" or the error
// An outcome is "ok" when the attempt succeeded, otherwise the errno text.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/usbdevice_fs.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <dirent.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "test_plugin.hpp"

namespace {

void claim(const dfx_host_api* api, dfx_host* host, const char* kind, const std::string& value) {
  dfx_claim c{sizeof(dfx_claim), kind, value.empty() ? "-" : value.c_str(), "escape fixture"};
  api->report_claim(host, &c);
}

std::string outcome(bool ok) {
  return ok ? "ok" : std::strerror(errno);
}

std::string try_open(const char* path, int flags) {
  const int fd = ::open(path, flags | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  return outcome(fd >= 0);
}

std::string status_lines() {
  std::ifstream in("/proc/self/status");
  std::string line, out;
  while (std::getline(in, line))
    for (const char* key : {"Uid:", "CapEff:", "CapBnd:", "NoNewPrivs:", "Seccomp:"})
      if (line.rfind(key, 0) == 0) out += line + "\n";
  return out;
}

std::string try_connect() {
  const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return outcome(false);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(22);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  const std::string r = ok ? "ok" : (errno == ECONNREFUSED ? "reached, refused" : outcome(false));
  ::close(s);
  return r;
}

std::string leave_escapee() {
  const pid_t child = ::fork();
  if (child < 0) return outcome(false);
  if (child == 0) {
    if (::fork() == 0) {
      ::setsid();
      ::prctl(PR_SET_NAME, "dfx-escapee");
      for (;;) ::pause();
    }
    ::_exit(0);
  }
  return "started";
}

std::string try_ioctl(unsigned long request) {
  const int fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (fd < 0) return outcome(false);
  unsigned int config = 1;
  const bool ok = ::ioctl(fd, request, &config) == 0;
  const std::string r = outcome(ok);
  ::close(fd);
  return r;
}

std::string descriptors() {
  std::string out;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return outcome(false);
  while (const dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.' || std::atoi(e->d_name) == ::dirfd(dir)) continue;
    char target[256] = {};
    const std::string link = std::string("/proc/self/fd/") + e->d_name;
    if (::readlink(link.c_str(), target, sizeof target - 1) < 0) continue;
    out += std::string(out.empty() ? "" : " ") + e->d_name + "=" + target;
  }
  ::closedir(dir);
  return out;
}

std::string device_read(const dfx_host_api* api, dfx_host* host) {
  uint8_t descriptor[18] = {};
  uint32_t got = 0;
  const dfx_status st =
      api->control_transfer(host, 0x80, 0x06, 0x0100, 0, descriptor, sizeof descriptor, 1000, &got);
  if (st != DFX_OK) return api->last_error(host);
  return std::to_string(got) + " bytes";
}

}  // namespace

static dfx_status probe(const dfx_host_api* api, dfx_host* host, const dfx_usb_device*) {
  claim(api, host, "x_status", status_lines());
  const char* secret = std::getenv("DFX_TEST_SECRET");
  claim(api, host, "x_secret", secret ? secret : "");
  claim(api, host, "x_shadow", try_open("/etc/shadow", O_RDONLY));
  claim(api, host, "x_other_device", try_open("/dev/bus/usb/001/001", O_RDWR));
  claim(api, host, "x_network", try_connect());
  claim(api, host, "x_write_home", try_open("/root/dfx-escape", O_WRONLY | O_CREAT));
  claim(api, host, "x_write_tmp", try_open("/var/tmp/dfx-escape", O_WRONLY | O_CREAT));
  claim(api, host, "x_escapee", leave_escapee());
  claim(api, host, "x_reset", try_ioctl(USBDEVFS_RESET));
  claim(api, host, "x_set_configuration", try_ioctl(USBDEVFS_SETCONFIGURATION));
  claim(api, host, "x_descriptors", descriptors());
  claim(api, host, "x_device_read", device_read(api, host));
  return DFX_OK;
}
DFX_TEST_PLUGIN("escape", DFX_ABI_MAJOR, DFX_ABI_MINOR, DFX_PLUGIN_DEVICE, probe)
