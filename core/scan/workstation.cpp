#include "scan/workstation.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

namespace dfx::scan {
namespace {

namespace fs = std::filesystem;

std::string first_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

// The command line's arguments (NUL-separated in /proc/PID/cmdline), at most 64 KiB of it.
std::vector<std::string> arguments(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string all(64 * 1024, '\0');
  in.read(all.data(), static_cast<std::streamsize>(all.size()));
  all.resize(static_cast<std::size_t>(in.gcount()));
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < all.size()) {
    const std::size_t end = std::min(all.find('\0', start), all.size());
    out.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool has_any(const std::vector<std::string>& args, std::initializer_list<const char*> options) {
  return std::any_of(
      std::next(args.begin(), args.empty() ? 0 : 1), args.end(), [&](const std::string& a) {
        return std::any_of(options.begin(), options.end(), [&](const char* o) { return a == o; });
      });
}

// Whether a rule file holds any rule: lines other than blank ones and comments.
bool holds_rules(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  for (int n = 0; n < 10000 && std::getline(in, line); ++n) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first != std::string::npos && line[first] != '#') return true;
  }
  return false;
}

// The file udev reads for rule file `name`: the first folder that has one wins. Empty when none
// has it, or when the winner masks it (a link to /dev/null, or a file without rules).
fs::path active_rule(const std::vector<fs::path>& folders, const std::string& name) {
  for (const auto& folder : folders) {
    const fs::path file = folder / name;
    std::error_code ec;
    const auto link = fs::symlink_status(file, ec);
    if (ec || !fs::exists(link)) continue;
    if (fs::is_symlink(link) && fs::read_symlink(file, ec) == "/dev/null") return {};
    if (!holds_rules(file)) return {};
    return file;
  }
  return {};
}

}  // namespace

std::vector<MeddlingService> services_touching_phones(const WorkstationPaths& paths) {
  std::vector<MeddlingService> out;
  std::error_code ec;
  for (fs::directory_iterator it(paths.proc, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    const std::string comm = first_line(it->path() / "comm");
    const long pid = std::stol(name);
    if (comm == "usbmuxd") {
      const auto args = arguments(it->path() / "cmdline");
      const bool no_preflight = has_any(args, {"-p", "--no-preflight"});
      out.push_back(
          {comm, pid,
           no_preflight
               ? "usbmuxd (pid " + name +
                     ") is running without preflight: it still claims every iPhone's usbmux "
                     "interface as it is plugged in; stop it (systemctl stop usbmuxd) while "
                     "examining iPhones"
               : "usbmuxd (pid " + name +
                     ") is running: its preflight writes UntrustedHostBUID to every iPhone "
                     "plugged in and asks it to pair, which changes the phone; stop it "
                     "(systemctl stop usbmuxd; systemctl mask usbmuxd) or run it with "
                     "--no-preflight"});
    } else if (comm == "ModemManager") {
      out.push_back({comm, pid,
                     "ModemManager (pid " + name +
                         ") is running: it sends AT commands to new serial ports, a phone's "
                         "modem interface included; install dfx's udev rules (they tag phones "
                         "ID_MM_DEVICE_IGNORE) or stop it (systemctl stop ModemManager)"});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const MeddlingService& a, const MeddlingService& b) { return a.pid < b.pid; });
  if (const fs::path rule = active_rule(paths.udev_rules, "39-usbmuxd.rules"); !rule.empty())
    out.push_back({"39-usbmuxd.rules", 0,
                   "usbmuxd's udev rule " + rule.string() +
                       " is active: every iPhone plugged in is set to USB configuration 0 and "
                       "usbmuxd is started for it, even while usbmuxd is stopped; mask the rule "
                       "(ln -s /dev/null /etc/udev/rules.d/39-usbmuxd.rules; udevadm control "
                       "--reload) and usbmuxd (systemctl mask usbmuxd) on examination "
                       "workstations"});
  return out;
}

}  // namespace dfx::scan
