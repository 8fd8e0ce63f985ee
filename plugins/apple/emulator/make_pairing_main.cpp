// dfx-apple-make-pairing UDID OUTDIR: writes a made-up pairing for the phone UDID, for test
// fixtures only (built, never installed):
//   OUTDIR/<UDID>.plist             the pair record as usbmuxd keeps it (/var/lib/lockdown)
//   OUTDIR/<UDID>.device-key.pem    the phone's private key, for the emulator
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "pairing.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s UDID OUTDIR\n", argv[0]);
    return 2;
  }
  const std::string udid = argv[1];
  const std::filesystem::path dir = argv[2];
  auto pairing = dfx::testing::make_test_pairing(udid);
  if (!pairing) {
    std::fprintf(stderr, "%s\n", pairing.error().c_str());
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto record = dir / (udid + ".plist");
  const auto key = dir / (udid + ".device-key.pem");
  std::ofstream(record, std::ios::binary) << pairing->pair_record_xml;
  std::ofstream(key, std::ios::binary) << pairing->device_key_pem;
  if (!std::filesystem::exists(record) || !std::filesystem::exists(key)) {
    std::fprintf(stderr, "cannot write to %s\n", dir.c_str());
    return 1;
  }
  std::printf("%s\n%s\nHostID %s\n", record.c_str(), key.c_str(), pairing->host_id.c_str());
  return 0;
}
