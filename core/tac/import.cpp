#include "tac/import.hpp"

#include <system_error>

#include "text/line_reader.hpp"

namespace dfx::tac {
namespace {

// Far above any real list (the GSMA's full TAC database is a few tens of MiB); stops a mistaken
// `dfx tac import` of a disk image early.
constexpr text::LineLimits kLimits{64 * 1024, 1ull << 30};

}  // namespace

Result<ImportReport> import_osmocom_file(TacDatabase& db, const std::filesystem::path& file,
                                         const OsmocomOptions& options) {
  auto lines = text::LineReader::open_file(file, file.string(), kLimits);
  if (!lines) return tl::unexpected(std::move(lines.error()));
  // Everything is checked before the database is touched: a bad row costs nothing.
  auto list = parse_osmocom_tac_list(*lines, options);
  if (!list) return tl::unexpected(std::move(list.error()));
  const std::string digest = lines->sha256_hex();
  if (digest.empty()) return fail("computing the SHA-256 of " + file.string() + " failed");
  std::error_code ec;
  auto absolute = std::filesystem::absolute(file, ec);
  if (ec) absolute = file;
  auto rec = db.replace_all(*list, absolute.lexically_normal().string(), digest);
  if (!rec) return tl::unexpected(std::move(rec.error()));
  return ImportReport{std::move(*rec), std::move(list->skipped), list->repeated};
}

}  // namespace dfx::tac
