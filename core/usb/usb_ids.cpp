#include "usb/usb_ids.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace dfx::usb {
namespace {

std::optional<uint16_t> hex4(std::string_view s) {
  if (s.size() < 4) return std::nullopt;
  unsigned v = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
    else return std::nullopt;
  }
  return static_cast<uint16_t>(v);
}

std::string name_after_id(std::string_view line) {
  std::size_t i = 4;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  auto name = line.substr(i);
  while (!name.empty() && (name.back() == '\r' || name.back() == ' ')) name.remove_suffix(1);
  return std::string(name);
}

}  // namespace

UsbIds UsbIds::parse(std::string_view text) {
  UsbIds ids;
  std::optional<uint16_t> vendor;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const auto line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '\t') {
      if (line.size() > 1 && line[1] == '\t') continue;  // interface lines
      if (!vendor) continue;
      if (auto pid = hex4(line.substr(1)))
        ids.products_[(static_cast<uint32_t>(*vendor) << 16) | *pid] = name_after_id(line.substr(1));
      continue;
    }
    auto vid = hex4(line);
    // Device classes ("C 09  Hub"), languages etc. follow the vendor list: stop there.
    if (!vid || line.size() < 6 || line[4] != ' ') break;
    vendor = vid;
    ids.vendors_[*vid] = name_after_id(line);
  }
  return ids;
}

UsbIds UsbIds::load_system() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("DFX_USB_IDS"); env && *env) candidates.emplace_back(env);
  candidates.emplace_back("/usr/share/misc/usb.ids");
  candidates.emplace_back("/usr/share/hwdata/usb.ids");
  for (const auto& path : candidates) {
    std::ifstream in(path, std::ios::binary);
    if (!in) continue;
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str());
  }
  return {};
}

std::optional<std::string> UsbIds::vendor(uint16_t vid) const {
  if (auto it = vendors_.find(vid); it != vendors_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> UsbIds::product(uint16_t vid, uint16_t pid) const {
  if (auto it = products_.find((static_cast<uint32_t>(vid) << 16) | pid); it != products_.end())
    return it->second;
  return std::nullopt;
}

}  // namespace dfx::usb
