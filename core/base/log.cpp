#include "base/log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace dfx {

void setup_logging(int verbosity, const std::string& log_file) {
  const auto level = verbosity <= 0   ? spdlog::level::warn
                     : verbosity == 1 ? spdlog::level::info
                                      : spdlog::level::debug;
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!log_file.empty()) {
    auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file);
    file->set_level(spdlog::level::debug);  // the file keeps everything, whatever -v says
    sinks.push_back(file);
  }
  auto logger = std::make_shared<spdlog::logger>("dfx", sinks.begin(), sinks.end());
  logger->set_level(log_file.empty() ? level : spdlog::level::debug);
  sinks[0]->set_level(level);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
}

}  // namespace dfx
