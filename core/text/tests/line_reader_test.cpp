// text::LineReader: line endings, numbering, the byte order mark, limits, digests, and files
// that are not regular files.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "base/sha256.hpp"
#include "support/temp_dir.hpp"
#include "text/line_reader.hpp"

namespace {

using dfx::text::LineReader;

std::vector<std::string> all_lines(LineReader& r) {
  std::vector<std::string> out;
  for (;;) {
    auto l = r.next();
    EXPECT_TRUE(l.has_value()) << l.error().message;
    if (!l || !*l) return out;
    out.emplace_back(**l);
  }
}

TEST(LineReader, LfCrlfAndALastLineWithoutEnding) {
  auto r = LineReader::from_text("a\r\nb\n\nc", "t");
  EXPECT_EQ(all_lines(r), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(r.line(), 4u);
  EXPECT_EQ(r.where(7, "bad"), "t:7: bad");
}

TEST(LineReader, DropsAByteOrderMarkOnLineOneOnlyButHashesIt) {
  const std::string text =
      "\xEF\xBB\xBF"
      "a\n\xEF\xBB\xBF"
      "b\n";
  auto r = LineReader::from_text(text, "t");
  EXPECT_EQ(all_lines(r), (std::vector<std::string>{"a",
                                                    "\xEF\xBB\xBF"
                                                    "b"}));
  EXPECT_EQ(r.sha256_hex(), dfx::sha256_hex(text));
}

TEST(LineReader, ALineOverTheLimitIsAnErrorNamingItsNumber) {
  const std::string text = "short\n" + std::string(100, 'x') + "\n";
  auto r = LineReader::from_text(text, "t", 1, {64, 1 << 20});
  ASSERT_TRUE(r.next());
  auto e = r.next();
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().line, 2u);
  EXPECT_EQ(e.error().message, "line is longer than 64 bytes");
}

TEST(LineReader, FilesAreStreamedInChunksAndHashed) {
  dfx::testing_support::TempDir t;
  std::string text;
  for (int i = 0; i < 200000; ++i) text += std::to_string(i) + (i % 2 ? "\r\n" : "\n");  // > 1 MiB
  const auto p = t.write("big.txt", text);
  auto r = LineReader::open_file(p, "big.txt");
  ASSERT_TRUE(r) << r.error().message;
  std::size_t n = 0;
  for (;;) {
    auto l = r->next();
    ASSERT_TRUE(l) << l.error().message;
    if (!*l) break;
    ASSERT_EQ(**l, std::to_string(n)) << "line " << n + 1;
    ++n;
  }
  EXPECT_EQ(n, 200000u);
  EXPECT_EQ(r->sha256_hex(), dfx::sha256_hex(text));
}

TEST(LineReader, RefusesFoldersFifosAndMissingFiles) {
  dfx::testing_support::TempDir t;
  EXPECT_EQ(LineReader::open_file(t.path(), "dir").error().message, "dir is not a regular file");
  const auto fifo = t.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(LineReader::open_file(fifo, "fifo").error().message, "fifo is not a regular file")
      << "a FIFO must be refused at once, not waited on";
  EXPECT_NE(
      LineReader::open_file(t.path() / "none", "none").error().message.find("cannot read none"),
      std::string::npos);
}

TEST(LineReader, ReadsADescriptorWithoutClosingIt) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "x\ny\n", 4), 4);
  ::close(fds[1]);
  {
    auto r = LineReader::from_fd(fds[0], "stdin");
    EXPECT_EQ(all_lines(r), (std::vector<std::string>{"x", "y"}));
  }
  EXPECT_EQ(::close(fds[0]), 0) << "the reader must leave the descriptor open";
}

}  // namespace
