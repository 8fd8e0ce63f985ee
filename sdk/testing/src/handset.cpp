// Loading handset files and directories, and plugging handsets.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "dfx/testing/handset.hpp"

namespace dfx::testing {

using json = nlohmann::json;

tl::expected<HandsetSpec, std::string> load_handset(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::unexpected(path.string() + ": cannot read: " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  json document;
  try {
    document = json::parse(text.str());
  } catch (const json::parse_error& e) {
    return tl::unexpected(path.string() + ": invalid JSON: " + e.what());
  }
  auto h = parse_handset(document, path.string(), path.stem().string());
  if (h) h->source = path;
  return h;
}

tl::expected<std::vector<HandsetSpec>, std::string> load_handset_directory(
    const std::filesystem::path& directory) {
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec))
    return tl::unexpected(directory.string() + ": not a directory");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  if (ec) return tl::unexpected(directory.string() + ": " + ec.message());
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.filename().string() < b.filename().string();
  });
  std::vector<HandsetSpec> out;
  std::string errors;
  for (const auto& f : files) {
    auto h = load_handset(f);
    if (h)
      out.push_back(std::move(*h));
    else
      errors += (errors.empty() ? "" : "\n") + h.error();
  }
  if (!errors.empty()) return tl::unexpected(errors);
  return out;
}

tl::expected<VirtualUsbDevice*, std::string> plug_handset(Testbed& testbed,
                                                          const HandsetSpec& handset,
                                                          const BehaviorRegistry& registry,
                                                          Placement placement) {
  const std::string source = handset.source.empty() ? handset.id : handset.source.string();
  auto behavior =
      registry.create(handset.behavior.module, handset.behavior.params, handset.usb, source);
  if (!behavior) return tl::unexpected(behavior.error());
  PlugOptions options;
  options.placement = std::move(placement);
  options.ttys = handset.ttys;
  auto device = testbed.plug(handset.usb, std::move(*behavior), std::move(options));
  if (!device) return tl::unexpected(source + ": " + device.error());
  for (const auto& f : handset.faults) (*device)->inject(f);
  return device;
}

}  // namespace dfx::testing
