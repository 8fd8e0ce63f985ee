#include "tac/tac_source.hpp"

#include <spdlog/spdlog.h>

#include <system_error>

#include "base/paths.hpp"
#include "tac/db_path.hpp"
#include "tac/osmocom.hpp"
#include "tac/tac_db.hpp"
#include "text/line_reader.hpp"

namespace dfx::tac {

std::filesystem::path shipped_list_path() {
  return data_dir() / "osmocom-tacdb.csv";
}

Result<std::optional<TacCache>> load_shipped_list(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<TacCache>();
  auto lines = text::LineReader::open_file(path, path.string());
  if (!lines) return tl::unexpected(std::move(lines.error()));
  auto list = parse_osmocom_tac_list(*lines, OsmocomOptions{.skip_invalid = true});
  if (!list) return tl::unexpected(std::move(list.error()));
  TacCache cache;
  for (const auto& row : list->rows) cache.add(row.tac, row.brand, row.model);
  cache.finish();
  return std::optional<TacCache>(std::move(cache));
}

Result<TacCache> load_tac_cache(std::string_view db_option) {
  auto where = resolve_db_location(db_option);
  if (!where) return tl::unexpected(std::move(where.error()));
  std::error_code ec;
  if (std::filesystem::exists(where->path, ec)) {
    auto db = TacDatabase::open(where->path, sqlite::Database::Access::ReadOnly);
    if (!db) return tl::unexpected(std::move(db.error()));
    auto cache = TacCache::load(*db);
    if (cache) spdlog::debug("{} TACs loaded from {}", cache->size(), where->path.string());
    return cache;
  }
  if (where->named()) {
    spdlog::warn(
        "no TAC database at {}: brand and model not shown (import a TAC list with dfx tac import "
        "FILE)",
        where->path.string());
    return TacCache();
  }
  auto shipped = load_shipped_list();
  if (!shipped) return tl::unexpected(std::move(shipped.error()));
  if (!*shipped) {
    spdlog::debug("no TAC database at {} and no shipped list at {}; brand and model not shown",
                  where->path.string(), shipped_list_path().string());
    return TacCache();
  }
  spdlog::debug("{} TACs from the shipped list {}", (*shipped)->size(),
                shipped_list_path().string());
  return std::move(**shipped);
}

}  // namespace dfx::tac
