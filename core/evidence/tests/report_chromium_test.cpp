// ChromiumRender: the HTML report as a browser shows and prints it. Headless Chromium renders the
// fixture's report to a PNG and to a PDF; the PNG must be a real image of the size asked with
// something drawn on it, and the PDF's text (pdftotext) must show every device and identifier
// with its verdict, each device's details on its own page. This is what a court bundle gets.
//
// Needs the Debian packages chromium and poppler-utils (pdftotext), which scripts/setup
// installs; without them the test fails and says so (a skipped render test would let a report
// that no browser can print pass).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "evidence/report_render.hpp"
#include "report_fixture.hpp"

namespace {

using namespace dfx::evidence;
using namespace dfx::evidence::report_fixture;

std::optional<fs::path> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

struct Ran {
  int status = -1;  ///< exit status, -1 when killed or not started
  bool timed_out = false;
  std::string output;  ///< stdout and stderr
};

// Runs `argv` in a process group of its own (Chromium starts several processes), output to
// `log`; the whole group is killed when it outlives `limit`, and when it ends.
Ran run(const std::vector<std::string>& argv, const fs::path& log, std::chrono::seconds limit) {
  Ran r;
  const pid_t pid = ::fork();
  if (pid < 0) return r;
  if (pid == 0) {
    ::setpgid(0, 0);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      r.timed_out = true;
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(-pid, SIGKILL);  // helpers Chromium left behind, if any
  if (!r.timed_out && WIFEXITED(status)) r.status = WEXITSTATUS(status);
  std::ifstream in(log);
  std::stringstream s;
  s << in.rdbuf();
  r.output = s.str();
  return r;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

uint32_t be32(const std::string& b, std::size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3]));
}

struct Image {
  uint32_t width = 0, height = 0;
  std::size_t colours = 0;  ///< distinct colours, counted up to 64
  std::string error;
};

// Decodes a PNG as Chromium writes it (8-bit RGB or RGBA, not interlaced): chunks, zlib, and the
// five scanline filters, so that "more than one colour" is about pixels, not compressed bytes.
Image decode_png(const std::string& png) {
  Image img;
  if (png.size() < 33 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    img.error = "not a PNG";
    return img;
  }
  std::string idat;
  int depth = 0, type = 0, interlace = 0;
  for (std::size_t at = 8; at + 12 <= png.size();) {
    const uint32_t len = be32(png, at);
    const std::string kind = png.substr(at + 4, 4);
    if (at + 12 + len > png.size()) break;
    if (kind == "IHDR") {
      img.width = be32(png, at + 8);
      img.height = be32(png, at + 12);
      depth = static_cast<unsigned char>(png[at + 16]);
      type = static_cast<unsigned char>(png[at + 17]);
      interlace = static_cast<unsigned char>(png[at + 20]);
    } else if (kind == "IDAT") {
      idat += png.substr(at + 8, len);
    }
    at += 12 + len;
  }
  if (depth != 8 || (type != 2 && type != 6) || interlace != 0) {
    img.error = "a PNG this test does not decode (depth " + std::to_string(depth) + ", type " +
                std::to_string(type) + ")";
    return img;
  }
  const std::size_t bpp = type == 6 ? 4 : 3, stride = img.width * bpp;
  std::string raw(img.height * (stride + 1), '\0');
  uLongf raw_len = raw.size();
  if (::uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_len,
                   reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK ||
      raw_len != raw.size()) {
    img.error = "the image data does not inflate to its size";
    return img;
  }
  std::vector<unsigned char> prev(stride, 0), cur(stride);
  std::set<uint32_t> colours;
  for (uint32_t y = 0; y < img.height; ++y) {
    const auto* line = reinterpret_cast<const unsigned char*>(raw.data()) + y * (stride + 1);
    const int filter = line[0];
    for (std::size_t x = 0; x < stride; ++x) {
      const int a = x >= bpp ? cur[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
      int predicted = 0;
      switch (filter) {
        case 1:
          predicted = a;
          break;
        case 2:
          predicted = b;
          break;
        case 3:
          predicted = (a + b) / 2;
          break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          break;
      }
      cur[x] = static_cast<unsigned char>(line[1 + x] + predicted);
    }
    for (std::size_t x = 0; x + bpp <= stride && colours.size() < 64; x += bpp)
      colours.insert(static_cast<uint32_t>(cur[x]) << 16 | static_cast<uint32_t>(cur[x + 1]) << 8 |
                     cur[x + 2]);
    std::swap(prev, cur);
  }
  img.colours = colours.size();
  return img;
}

// Text with every white space removed: pdftotext breaks lines where the page does.
std::string squeezed(const std::string& s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  return out;
}

TEST(ChromiumRender, TheHtmlReportShowsEveryDeviceAndVerdictOnScreenAndInPrint) {
  const auto chromium = find_program("chromium");
  const auto pdftotext = find_program("pdftotext");
  ASSERT_TRUE(chromium && pdftotext)
      << "this test renders the HTML report with headless Chromium and reads the PDF with "
         "pdftotext: install the Debian packages chromium and poppler-utils (scripts/setup "
         "installs them)";

  FixtureCase fixture;
  auto report = read_case_report(fixture.dir());
  ASSERT_TRUE(report) << report.error().message;
  const fs::path html = fixture.root() / "report.html", png = fixture.root() / "report.png",
                 pdf = fixture.root() / "report.pdf";
  std::ofstream(html) << render_html(*report);

  const auto chromium_args = [&](const std::string& profile, const std::string& output) {
    return std::vector<std::string>{chromium->string(),
                                    "--headless",
                                    "--no-sandbox",
                                    "--disable-gpu",
                                    "--no-first-run",
                                    "--disable-background-networking",
                                    "--disable-component-update",
                                    "--disable-sync",
                                    "--user-data-dir=" + (fixture.root() / profile).string(),
                                    output,
                                    "file://" + html.string()};
  };
  const auto started = std::chrono::steady_clock::now();
  const Ran shot = run(
      [&] {
        auto a = chromium_args("profile-png", "--screenshot=" + png.string());
        a.insert(a.end() - 1, "--window-size=1280,2000");
        return a;
      }(),
      fixture.root() / "png.log", std::chrono::seconds(60));
  const Ran print = run(
      [&] {
        auto a = chromium_args("profile-pdf", "--print-to-pdf=" + pdf.string());
        a.insert(a.end() - 1, "--no-pdf-header-footer");
        return a;
      }(),
      fixture.root() / "pdf.log", std::chrono::seconds(60));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "[ chromium ] PNG and PDF rendered in " << seconds << " s\n";
  ASSERT_FALSE(shot.timed_out) << "the screenshot took over 60 s:\n" << shot.output;
  ASSERT_FALSE(print.timed_out) << "printing took over 60 s:\n" << print.output;
  ASSERT_EQ(shot.status, 0) << shot.output;
  ASSERT_EQ(print.status, 0) << print.output;

  const Image image = decode_png(slurp(png));
  ASSERT_TRUE(image.error.empty()) << image.error;
  EXPECT_EQ(image.width, 1280u);
  EXPECT_EQ(image.height, 2000u);
  EXPECT_GT(image.colours, 1u) << "a blank screenshot";

  ASSERT_EQ(slurp(pdf).rfind("%PDF-", 0), 0u) << "not a PDF";
  const fs::path text_file = fixture.root() / "report.txt";
  const Ran text = run({pdftotext->string(), pdf.string(), text_file.string()},
                       fixture.root() / "pdftotext.log", std::chrono::seconds(60));
  ASSERT_EQ(text.status, 0) << text.output;
  const std::string printed = slurp(text_file);
  const std::string flat = squeezed(printed);
  EXPECT_NE(flat.find(squeezed("The case verifies:")), std::string::npos) << printed;
  ASSERT_EQ(report->rows.size(), 6u);
  for (std::size_t i = 0; i < report->rows.size(); ++i) {
    const auto& row = report->rows[i];
    const std::string heading =
        std::to_string(i + 1) +
        (row.source == RowSource::scan ? ". Device: " : ". Checked identifier: ") + row.label +
        " \xe2\x80\x94 " + verdict_label(row.verdict);
    EXPECT_NE(flat.find(squeezed(heading)), std::string::npos) << heading << "\n" << printed;
  }
  for (const char* verdict : {"FLAGGED", "clear", "unknown", "invalid"})
    EXPECT_NE(printed.find(verdict), std::string::npos) << verdict;
  const auto pages = std::count(printed.begin(), printed.end(), '\f');
  EXPECT_GE(pages, 5) << "the header, then a page for each scanned device and for the checks";
}

}  // namespace
