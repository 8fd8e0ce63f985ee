// Runs a command line through /bin/sh and captures stdout, stderr and the exit status.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "isolated_home.hpp"

namespace dfx::testing_support {

struct RunResult {
  int status = -1;  ///< exit status, or -1 when it did not exit normally
  std::string out;
  std::string err;
};

inline RunResult run(const std::string& command) {
  const auto err_path =
      std::filesystem::temp_directory_path() / ("dfx-run-" + std::to_string(::getpid()) + ".err");
  RunResult r;
  FILE* p = ::popen((command + " 2>" + err_path.string()).c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream in(err_path);
  std::stringstream ss;
  ss << in.rdbuf();
  r.err = ss.str();
  std::filesystem::remove(err_path);
  return r;
}

}  // namespace dfx::testing_support
