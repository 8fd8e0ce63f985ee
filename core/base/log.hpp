// Logging for the host: spdlog to stderr (and optionally a file), never to stdout, which carries
// the data (tables, JSON) that scripts read.
#pragma once

#include <string>

namespace dfx {

/// verbosity: 0 warnings and errors, 1 info, 2+ debug. log_file: also append there ("" = no).
void setup_logging(int verbosity, const std::string& log_file);

}  // namespace dfx
