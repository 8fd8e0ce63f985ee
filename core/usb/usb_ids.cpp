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
    if (c >= '0' && c <= '9')
      v |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= static_cast<unsigned>(c - 'A' + 10);
    else
      return std::nullopt;
  }
  return static_cast<uint16_t>(v);
}

std::string_view line_at(std::string_view text, std::size_t pos) {
  const auto end = text.find('\n', pos);
  return text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
}

std::string name_after_id(std::string_view line) {
  std::size_t i = 4;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  auto name = line.substr(i < line.size() ? i : line.size());
  while (!name.empty() && (name.back() == '\r' || name.back() == ' ')) name.remove_suffix(1);
  return std::string(name);
}

}  // namespace

UsbIds UsbIds::parse(std::string text) {
  UsbIds ids;
  ids.text_ = std::move(text);
  const std::string_view t = ids.text_;
  std::size_t pos = 0;
  while (pos < t.size()) {
    const auto line = line_at(t, pos);
    const std::size_t here = pos;
    pos += line.size() + 1;
    if (line.empty() || line[0] == '#' || line[0] == '\t') continue;
    const auto vid = hex4(line);
    // Device classes ("C 09  Hub"), languages etc. follow the vendor list: stop there.
    if (!vid || line.size() < 6 || line[4] != ' ') break;
    ids.vendor_line_.emplace(*vid, here);
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
    return parse(std::move(ss).str());
  }
  return {};
}

std::optional<std::string> UsbIds::vendor(uint16_t vid) const {
  const auto it = vendor_line_.find(vid);
  if (it == vendor_line_.end()) return std::nullopt;
  return name_after_id(line_at(text_, it->second));
}

std::optional<std::string> UsbIds::product(uint16_t vid, uint16_t pid) const {
  const auto it = vendor_line_.find(vid);
  if (it == vendor_line_.end()) return std::nullopt;
  const std::string_view t = text_;
  std::size_t pos = it->second + line_at(t, it->second).size() + 1;
  while (pos < t.size()) {
    const auto line = line_at(t, pos);
    pos += line.size() + 1;
    if (line.empty() || line[0] == '#') continue;
    if (line[0] != '\t') break;                        // the next vendor
    if (line.size() > 1 && line[1] == '\t') continue;  // interface lines
    if (hex4(line.substr(1)) == pid) return name_after_id(line.substr(1));
  }
  return std::nullopt;
}

}  // namespace dfx::usb
