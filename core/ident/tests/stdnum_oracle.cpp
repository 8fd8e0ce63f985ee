#include "stdnum_oracle.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "text/utf8.hpp"

#ifndef DFX_IDENT_PYTHON
#error "DFX_IDENT_PYTHON must be defined by CMake"
#endif
#ifndef DFX_IDENT_STDNUM_ORACLE
#error "DFX_IDENT_STDNUM_ORACLE must be defined by CMake"
#endif

namespace dfx::ident::testing {
namespace {

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q.push_back(c);
  }
  return q + "'";
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::stringstream ss(text);
  while (std::getline(ss, field, sep)) out.push_back(field);
  return out;
}

/// Runs the oracle in a fresh temporary folder: `prepare` writes its input file there, and with
/// `char_map` the oracle writes its char map instead of answers. Returns the output file's text in
/// `output`, or what went wrong.
template <typename Prepare>
std::string run_oracle(bool char_map, Prepare prepare, std::string& output) {
  std::string python = DFX_IDENT_PYTHON;
  if (const char* env = std::getenv("DFX_IDENT_PYTHON"); env != nullptr && *env != '\0')
    python = env;
  if (python.empty())
    return "no python3 was found when CMake configured dfx_ident; install python3 and "
           "python3-stdnum (scripts/setup does), then re-run cmake";
  const std::string oracle = DFX_IDENT_STDNUM_ORACLE;
  if (!std::filesystem::exists(oracle)) return "oracle script missing: " + oracle;

  static int serial = 0;
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("dfx-ident-stdnum-" + std::to_string(::getpid()) + "-" + std::to_string(++serial));
  std::filesystem::create_directories(dir);
  const auto in_path = dir / "inputs.txt", out_path = dir / "stdnum.tsv",
             err_path = dir / "stderr.txt";
  prepare(in_path);
  const std::string args =
      char_map ? "--char-map " + shell_quote(out_path.string())
               : shell_quote(in_path.string()) + " " + shell_quote(out_path.string());
  const std::string cmd = shell_quote(python) + " " + shell_quote(oracle) + " " + args + " 2> " +
                          shell_quote(err_path.string());
  const int status = std::system(cmd.c_str());
  const std::string err = read_file(err_path);
  output = read_file(out_path);
  std::filesystem::remove_all(dir);
  if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  return "python-stdnum oracle failed (" + python + " " + oracle + ", exit status " +
         std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + "): " + err +
         "\nInstall python3-stdnum (scripts/setup) or point -DDFX_IDENT_PYTHON / the "
         "DFX_IDENT_PYTHON environment variable at a python3 that has it.";
}

}  // namespace

std::string ask_stdnum(const std::vector<std::string>& inputs, std::vector<OracleLine>& answers) {
  std::string output;
  std::string error = run_oracle(
      false,
      [&](const std::filesystem::path& path) {
        std::ofstream out(path, std::ios::binary);
        for (const std::string& s : inputs) out << s << '\n';
      },
      output);
  if (!error.empty()) return error;
  answers.clear();
  for (const std::string& line : split(output, '\n')) answers.push_back(split(line, '\t'));
  if (answers.size() != inputs.size())
    return "the oracle answered " + std::to_string(answers.size()) + " lines for " +
           std::to_string(inputs.size()) + " inputs";
  return {};
}

std::string stdnum_char_map(std::vector<CharEquivalent>& map) {
  std::string output;
  std::string error = run_oracle(
      true, [](const std::filesystem::path&) {}, output);
  if (!error.empty()) return error;
  map.clear();
  for (const std::string& line : split(output, '\n')) {
    const auto fields = split(line, '\t');
    if (fields.size() != 2 || fields[1].size() != 1) return "malformed char map line: " + line;
    map.push_back({static_cast<std::uint32_t>(std::stoul(fields[0], nullptr, 16)), fields[1][0]});
  }
  if (map.size() < 100) return "the char map has only " + std::to_string(map.size()) + " entries";
  return {};
}

std::string utf8(std::uint32_t cp) {
  std::string s;
  text::append_utf8(s, cp);
  return s;
}

}  // namespace dfx::ident::testing
