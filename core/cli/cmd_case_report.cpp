// dfx case report: a case folder as an HTML, CSV or JSON report (evidence/case_report.hpp).
// The report is made whether or not the case verifies, and says which; the exit status says it
// too (4, as `dfx case verify`), so that a script never files a report of a broken case unawares.
#include "cli/cmd_case_report.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "evidence/case_report.hpp"
#include "evidence/report_redact.hpp"
#include "evidence/report_render.hpp"
#include "text/terminal.hpp"

namespace dfx::cli {
namespace {

struct ReportArgs {
  std::string dir;
  std::string format = "html";
  std::string output;  // "" or "-": stdout
  bool redact = false;
};

Result<void> write_all(int fd, std::string_view bytes, const std::string& what) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("writing " + what + ": " + std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

// The report goes to FILE whole or not at all: written beside it and renamed into place, so that
// an interrupted run never leaves half a report that reads as complete. Mode 0600: an unredacted
// report holds every identifier of the case (the case folder itself is 0700).
Result<void> write_report_file(const std::string& file, const std::string& content) {
  const std::string part = file + ".part-" + std::to_string(::getpid());
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail("cannot create " + part + ": " + std::strerror(errno));
  auto written = write_all(fd, content, part);
  if (written && ::fsync(fd) != 0) written = fail("fsync of " + part + ": " + std::strerror(errno));
  ::close(fd);
  if (written && ::rename(part.c_str(), file.c_str()) != 0)
    written = fail("cannot rename " + part + " to " + file + ": " + std::strerror(errno));
  if (!written) ::unlink(part.c_str());
  return written;
}

int run_case_report(const ReportArgs& a) {
  auto report = evidence::read_case_report(a.dir);
  if (!report) {
    std::cerr << "dfx case report: " << text::printable(report.error().message) << '\n';
    return kExitRuntimeError;
  }
  if (a.redact) evidence::redact(*report);
  std::string content;
  if (a.format == "csv")
    content = evidence::render_csv(*report);
  else if (a.format == "json")
    content = evidence::report_json(*report).dump(2, ' ', false,
                                                  nlohmann::json::error_handler_t::replace) +
              "\n";
  else
    content = evidence::render_html(*report);
  const bool to_stdout = a.output.empty() || a.output == "-";
  const auto written = to_stdout ? write_all(STDOUT_FILENO, content, "stdout")
                                 : write_report_file(a.output, content);
  if (!written) {
    std::cerr << "dfx case report: " << text::printable(written.error().message) << '\n';
    return kExitRuntimeError;
  }
  const auto& v = report->verification;
  if (!v.ok()) {
    std::cerr << "dfx case report: the case does NOT verify (" << evidence::to_string(v.problem)
              << "): " << text::printable(v.message) << "; the report says so\n";
    return kExitInvalidInput;
  }
  if (!to_stdout)
    std::cerr << "dfx case report: " << report->rows.size() << " rows written to " << a.output
              << '\n';
  return kExitOk;
}

}  // namespace

Command add_case_report(CLI::App& case_app) {
  auto args = std::make_shared<ReportArgs>();
  auto* report = case_app.add_subcommand(
      "report", "Write a report of the case: HTML for a court bundle, CSV, or JSON");
  report->add_option("dir", args->dir, "The case folder")->required();
  report->add_option("--format", args->format, "html (default), csv or json")
      ->check(CLI::IsMember({"html", "csv", "json"}));
  report->add_flag("--redact", args->redact,
                   "Mask every identifier (IMEI, serial, ICCID...) but its last four characters");
  report->add_option("--output,-o", args->output, "Write to FILE instead of stdout");
  report->footer(
      "The report is made even when the case does not verify, and then says so first. Exit "
      "status: 0 the case verifies, 4 it does not, 1 it cannot be read or the report written.");
  return {report, [args] { return run_case_report(*args); }};
}

}  // namespace dfx::cli
