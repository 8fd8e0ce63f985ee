#include "pair_record_store.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace dfx::apple {
namespace {

constexpr std::size_t kMaxRecord = 64 * 1024;

std::vector<std::string> folders() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("DFX_APPLE_PAIR_RECORDS")) {
    std::stringstream list(env);
    for (std::string dir; std::getline(list, dir, ':');)
      if (!dir.empty()) out.push_back(dir);
  }
  out.emplace_back("/var/lib/lockdown");
  return out;
}

}  // namespace

void find_pair_record(const std::string& udid, LockdownInput& input) {
  if (!valid_udid(udid)) return;
  std::vector<std::string> names = {udid};
  if (udid.size() == 24) names.push_back(udid.substr(0, 8) + "-" + udid.substr(8));
  for (const auto& dir : folders()) {
    for (const auto& name : names) {
      const std::string path = dir + "/" + name + ".plist";
      std::ifstream file(path, std::ios::binary);
      if (!file) continue;
      std::vector<uint8_t> bytes(kMaxRecord + 1);
      file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
      bytes.resize(static_cast<std::size_t>(file.gcount()));
      if (bytes.size() > kMaxRecord) {
        input.pair_record_problem = "the pair record " + path + " is over 64 KiB";
        return;
      }
      auto record = parse_pair_record(bytes);
      if (!record) {
        input.pair_record_problem = path + ": " + record.status().message();
        return;
      }
      input.pair_record = std::move(*record);
      input.pair_record_origin = path;
      return;
    }
  }
}

}  // namespace dfx::apple
