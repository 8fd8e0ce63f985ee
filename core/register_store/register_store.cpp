#include "register_store/register_store.hpp"

#include <unistd.h>

#include <system_error>
#include <utility>

#include "base/utc_time.hpp"
#include "register_store/register_chain.hpp"
#include "register_store/register_schema.hpp"
#include "sqlite/schema.hpp"

namespace dfx::register_store {
namespace {

using sqlite::Statement;
using sqlite::Transaction;
using Sqlite = sqlite::Database;
using detail::OwnedRecord;

// Inserts a record, or updates the one with the same key when its content differs (the trigger
// of register_schema.cpp keeps the earlier version). RETURNING gives a row only when something
// was written: updated_by is NULL for a new record and this import's id for an updated one; no
// row means the record was already there exactly so. Digests are written when the import ends.
constexpr std::string_view kUpsert = R"sql(
INSERT INTO register_entry
  (kind, identifier, source, reference, status, reported_at, notes, added_by, updated_by)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL)
ON CONFLICT (kind, identifier, source, reference) DO UPDATE
  SET status = excluded.status, reported_at = excluded.reported_at, notes = excluded.notes,
      updated_by = excluded.added_by
  WHERE status <> excluded.status OR reported_at <> excluded.reported_at
     OR notes <> excluded.notes
RETURNING updated_by
)sql";

std::uintmax_t size_or_zero(const std::filesystem::path& p) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : n;
}

// Rows of a two-column (name, count) query.
Result<std::vector<std::pair<std::string, std::int64_t>>> counts(Sqlite& db, std::string_view sql) {
  auto q = db.prepare(sql);
  if (!q) return tl::unexpected(std::move(q.error()));
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (;;) {
    auto r = q->step();
    if (!r) return tl::unexpected(std::move(r.error()));
    if (!*r) return out;
    out.emplace_back(std::string(q->text(0)), q->integer(1));
  }
}

// A read transaction: one snapshot for everything read in it, ended whatever happens (a reader
// has nothing to keep).
class ReadTransaction {
 public:
  static Result<ReadTransaction> begin(Sqlite& db) {
    if (auto r = db.exec("BEGIN"); !r) return tl::unexpected(std::move(r.error()));
    return ReadTransaction(db);
  }
  ReadTransaction(ReadTransaction&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
  ReadTransaction& operator=(ReadTransaction&&) = delete;
  ~ReadTransaction() {
    if (db_) (void)db_->exec("ROLLBACK");
  }

 private:
  explicit ReadTransaction(Sqlite& db) : db_(&db) {}
  Sqlite* db_;
};

// Whether this process may create files in the folder of `path` (where SQLite keeps the -wal and
// -shm files of a WAL database).
bool folder_writable(const std::filesystem::path& path) {
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  return ::access(folder.c_str(), W_OK) == 0;
}

// The schema and the seal, in one snapshot: what open_for_reading checks.
Result<void> check_readable(Sqlite& db) {
  auto tx = ReadTransaction::begin(db);
  if (!tx) return tl::unexpected(std::move(tx.error()));
  auto tables = sqlite::scalar(db, "SELECT count(*) FROM sqlite_schema");
  if (!tables) return tl::unexpected(std::move(tables.error()));
  if (*tables == 0) return {};  // created by an import that failed: empty, nothing imported
  if (auto s = detail::check_for_reading(db); !s) return s;
  auto state = detail::read_sealed_state(db);
  if (!state) return tl::unexpected(std::move(state.error()));
  return {};
}

}  // namespace

// ---- ImportWriter ----------------------------------------------------------------------------

Result<PutOutcome> ImportWriter::put(const Record& r) {
  upsert_.reset();
  upsert_.bind(1, r.kind).bind(2, r.identifier).bind(3, r.source).bind(4, r.reference);
  upsert_.bind(5, r.status).bind(6, r.reported_at).bind(7, r.notes).bind(8, info_.id);
  auto row = upsert_.step();
  if (!row) return tl::unexpected(std::move(row.error()));
  if (!*row) {
    ++info_.rows_unchanged;
    return PutOutcome::Unchanged;
  }
  const bool added = upsert_.text(0).empty();  // updated_by NULL: a new record
  if (auto done = upsert_.step(); !done) return tl::unexpected(std::move(done.error()));
  if (added) {
    ++info_.rows_added;
    return PutOutcome::Added;
  }
  ++info_.rows_updated;
  return PutOutcome::Updated;
}

Result<ImportInfo> ImportWriter::finish(std::string_view sha256, std::int64_t rows_skipped) {
  upsert_.reset();
  info_.sha256 = std::string(sha256);
  info_.rows_skipped = rows_skipped;
  auto upd = db_->prepare(
      "UPDATE register_import SET sha256 = ?1, rows_added = ?2, rows_updated = ?3, "
      "rows_unchanged = ?4, rows_skipped = ?5 WHERE id = ?6");
  if (!upd) return tl::unexpected(std::move(upd.error()));
  upd->bind(1, info_.sha256).bind(2, info_.rows_added).bind(3, info_.rows_updated);
  upd->bind(4, info_.rows_unchanged).bind(5, info_.rows_skipped).bind(6, info_.id);
  if (auto r = upd->step(); !r) return tl::unexpected(std::move(r.error()));
  // Chain every record to the next (new records and their neighbours get their digests) and
  // seal the state, in the import's transaction: readers see the old sealed register or the
  // new one, never a half-chained one.
  auto walk = detail::walk_records(*db_, /*fix=*/true);
  if (!walk) return tl::unexpected(std::move(walk.error()));
  if (auto w = detail::write_sealed_state(*db_, info_, *walk); !w)
    return tl::unexpected(std::move(w.error()));
  info_.records = walk->records;
  info_.content_sha256 = walk->content_sha256;
  if (auto r = tx_.commit(); !r) return tl::unexpected(std::move(r.error()));
  // Move everything into the main file: a reader that must open the file immutable (a folder
  // it cannot write) then reads all of it. Best effort: readers may hold the WAL a while.
  (void)db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return info_;
}

// ---- RegisterStore ---------------------------------------------------------------------------

Result<RegisterStore> RegisterStore::open_for_import(const std::filesystem::path& path) {
  auto db = Sqlite::open(path, Sqlite::Access::ReadWriteCreate);
  if (!db) return tl::unexpected(std::move(db.error()));
  if (auto w = sqlite::use_wal(*db); !w) return tl::unexpected(std::move(w.error()));
  if (auto k = db->keep_wal_files(); !k) return tl::unexpected(std::move(k.error()));
  // NORMAL is safe in WAL mode (a power cut may lose the last commit, never corrupt the file).
  if (auto r = db->exec("PRAGMA synchronous = NORMAL"); !r)
    return tl::unexpected(std::move(r.error()));
  // A file that is something else, or a newer or altered register, is refused now rather than
  // when the first row is stored; a new file gets its schema in the import's transaction.
  auto tables = sqlite::scalar(*db, "SELECT count(*) FROM sqlite_schema");
  if (!tables) return tl::unexpected(std::move(tables.error()));
  if (*tables > 0)
    if (auto s = detail::check_for_reading(*db); !s) return tl::unexpected(std::move(s.error()));
  return RegisterStore(std::move(*db));
}

Result<RegisterStore> RegisterStore::open_for_reading(const std::filesystem::path& path) {
  return open_read_only(path, true);
}

Result<RegisterStore> RegisterStore::open_for_verifying(const std::filesystem::path& path) {
  return open_read_only(path, false);
}

Result<RegisterStore> RegisterStore::open_read_only(const std::filesystem::path& path, bool check) {
  auto db = Sqlite::open(path, Sqlite::Access::ReadOnly);
  if (!db) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      return fail("no register at " + path.string() +
                  ": nothing has been imported (dfx register import FILE)");
    return tl::unexpected(std::move(db.error()));
  }
  // A schema query needs SQLite's -shm beside a WAL file: it fails the same way when it cannot
  // be created, so even an unchecked open runs it.
  const auto probe = [check](Sqlite& d) {
    return check ? check_readable(d)
                 : sqlite::scalar(d, "SELECT count(*) FROM sqlite_schema").map([](auto) {});
  };
  auto checked = probe(*db);
  if (!checked && !folder_writable(path) && size_or_zero(path.string() + "-wal") == 0) {
    // SQLite could not create the -shm file it needs beside a WAL database; nothing can change
    // a file in a folder nobody here can write while we read it, and with no pending -wal
    // content the main file is the whole register.
    db = Sqlite::open(path, Sqlite::Access::ReadOnlyImmutable);
    if (!db) return tl::unexpected(std::move(db.error()));
    checked = probe(*db);
  }
  if (!checked) return tl::unexpected(std::move(checked.error()));
  // Reads are memory-mapped: a dfx check process starts with a cold page cache, and copying
  // every B-tree page it touches out of the OS cache (pread into freshly malloc'ed pages) cost
  // half its time (measured: 100,000 lookups against 10M rows in 3.3 s with the 256 MiB page
  // cache alone, 1.7 s mapped).
  if (auto r = db->exec("PRAGMA cache_size = -262144; PRAGMA mmap_size = 17179869184"); !r)
    return tl::unexpected(std::move(r.error()));
  return RegisterStore(std::move(*db));
}

Result<bool> RegisterStore::empty() {
  auto tables = sqlite::scalar(db_, "SELECT count(*) FROM sqlite_schema");
  if (!tables) return tl::unexpected(std::move(tables.error()));
  if (*tables == 0) return true;
  auto n = sqlite::scalar(db_, "SELECT EXISTS (SELECT 1 FROM register_state)");
  if (!n) return tl::unexpected(std::move(n.error()));
  return *n == 0;
}

Result<void> RegisterStore::lookup(
    std::span<const LookupKey> keys,
    const std::function<void(std::size_t, const RecordView&)>& on_record) {
  if (!from_) {
    const std::string cols(detail::kRecordColumns);
    auto from = db_.prepare("SELECT " + cols +
                            " FROM register_entry WHERE (kind, identifier) >= (?1, ?2) "
                            "ORDER BY kind, identifier, source, reference");
    if (!from) return tl::unexpected(std::move(from.error()));
    auto before = db_.prepare("SELECT " + cols +
                              " FROM register_entry WHERE (kind, identifier) < (?1, ?2) "
                              "ORDER BY kind DESC, identifier DESC, source DESC, reference DESC "
                              "LIMIT 1");
    if (!before) return tl::unexpected(std::move(before.error()));
    from_.emplace(std::move(*from));
    before_.emplace(std::move(*before));
  }
  // One read transaction: one snapshot for the batch, whose sealed state is checked once.
  auto tx = ReadTransaction::begin(db_);
  if (!tx) return tl::unexpected(std::move(tx.error()));
  auto state = detail::read_sealed_state(db_);
  if (!state) return tl::unexpected(std::move(state.error()));
  detail::Digester digester;
  std::vector<OwnedRecord> records;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    records.clear();
    std::optional<OwnedRecord> after, before;
    Statement& from = *from_;
    from.reset();
    from.bind(1, keys[i].kind).bind(2, keys[i].identifier);
    for (;;) {
      auto row = from.step();
      if (!row) return tl::unexpected(std::move(row.error()));
      if (!*row) break;
      OwnedRecord r = detail::read_record(from);
      if (r.kind != keys[i].kind || r.identifier != keys[i].identifier) {
        after = std::move(r);
        break;
      }
      records.push_back(std::move(r));
    }
    from.reset();
    Statement& prev = *before_;
    prev.reset();
    prev.bind(1, keys[i].kind).bind(2, keys[i].identifier);
    auto row = prev.step();
    if (!row) return tl::unexpected(std::move(row.error()));
    if (*row) before = detail::read_record(prev);
    prev.reset();
    if (auto why = detail::check_neighbourhood(digester, *state, before, records, after);
        !why.empty())
      return fail("register " + db_.path().string() + ": looking up " + std::string(keys[i].kind) +
                  " " + std::string(keys[i].identifier) + ": " + why +
                  ": the register was changed outside dfx register import (dfx register verify "
                  "lists what)");
    for (const auto& r : records)
      on_record(i, RecordView{r.status, r.reported_at, r.source, r.reference, r.notes});
  }
  return {};
}

Result<std::vector<std::vector<Record>>> RegisterStore::lookup(std::span<const LookupKey> keys) {
  std::vector<std::vector<Record>> out(keys.size());
  auto r = lookup(keys, [&](std::size_t i, const RecordView& v) {
    out[i].push_back(Record{std::string(keys[i].kind), std::string(keys[i].identifier),
                            std::string(v.status), std::string(v.reported_at),
                            std::string(v.source), std::string(v.reference), std::string(v.notes)});
  });
  if (!r) return tl::unexpected(std::move(r.error()));
  return out;
}

Result<std::string> RegisterStore::sealed_content_sha256() {
  auto tx = ReadTransaction::begin(db_);
  if (!tx) return tl::unexpected(std::move(tx.error()));
  auto tables = sqlite::scalar(db_, "SELECT count(*) FROM sqlite_schema");
  if (!tables) return tl::unexpected(std::move(tables.error()));
  if (*tables == 0) return std::string();  // created by an import that failed: nothing imported
  auto state = detail::read_sealed_state(db_);
  if (!state) return tl::unexpected(std::move(state.error()));
  return std::move(state->content_sha256);
}

Result<std::int64_t> RegisterStore::data_version() {
  return sqlite::scalar(db_, "PRAGMA data_version");
}

Result<KindIdentifiers> RegisterStore::identifiers_of(std::string_view kind) {
  // Records are checked a chunk at a time, each chunk's last record standing before the next:
  // the check of one identifier's neighbourhood, over the whole kind, in bounded memory.
  constexpr std::size_t kChunk = 4096;
  KindIdentifiers out;
  auto tx = ReadTransaction::begin(db_);
  if (!tx) return tl::unexpected(std::move(tx.error()));
  auto tables = sqlite::scalar(db_, "SELECT count(*) FROM sqlite_schema");
  if (!tables) return tl::unexpected(std::move(tables.error()));
  if (*tables == 0) return out;
  auto state = detail::read_sealed_state(db_);
  if (!state) return tl::unexpected(std::move(state.error()));
  out.content_sha256 = state->content_sha256;
  const std::string cols(detail::kRecordColumns);
  // An identifier is never '': the record before the kind's first is the last of a lower kind.
  auto prev = db_.prepare("SELECT " + cols +
                          " FROM register_entry WHERE kind < ?1 ORDER BY kind DESC, "
                          "identifier DESC, source DESC, reference DESC LIMIT 1");
  auto from = db_.prepare("SELECT " + cols +
                          " FROM register_entry WHERE kind >= ?1 "
                          "ORDER BY kind, identifier, source, reference");
  if (!prev) return tl::unexpected(std::move(prev.error()));
  if (!from) return tl::unexpected(std::move(from.error()));
  std::optional<OwnedRecord> before, after;
  auto row = prev->bind(1, kind).step();
  if (!row) return tl::unexpected(std::move(row.error()));
  if (*row) before = detail::read_record(*prev);

  detail::Digester digester;
  std::vector<OwnedRecord> chunk;
  const auto check = [&](const std::optional<OwnedRecord>& next) -> Result<void> {
    if (auto why = detail::check_neighbourhood(digester, *state, before, chunk, next); !why.empty())
      return fail("register " + db_.path().string() + ": listing the " + std::string(kind) +
                  " identifiers: " + why +
                  ": the register was changed outside dfx register import (dfx register verify "
                  "lists what)");
    return {};
  };
  from->bind(1, kind);
  for (;;) {
    auto r = from->step();
    if (!r) return tl::unexpected(std::move(r.error()));
    if (!*r) break;
    OwnedRecord rec = detail::read_record(*from);
    if (rec.kind != kind) {
      after = std::move(rec);
      break;
    }
    if (out.identifiers.empty() || out.identifiers.back() != rec.identifier)
      out.identifiers.push_back(rec.identifier);
    if (chunk.size() == kChunk) {
      const std::optional<OwnedRecord> next(rec);
      if (auto c = check(next); !c) return tl::unexpected(std::move(c.error()));
      before = std::move(chunk.back());
      chunk.clear();
    }
    chunk.push_back(std::move(rec));
  }
  from->reset();
  if (auto c = check(after); !c) return tl::unexpected(std::move(c.error()));
  return out;
}

Result<ImportWriter> RegisterStore::begin_import(std::string_view file, std::string_view format) {
  from_.reset();  // no statement of ours may hold a read snapshot during the write
  before_.reset();
  // Rows arrive in file order, i.e. random key order: without a large cache every insert spills
  // pages to the WAL and reads them back (measured: 12k rows/s with the default 2 MiB cache).
  if (auto r = db_.exec("PRAGMA cache_size = -1048576"); !r)
    return tl::unexpected(std::move(r.error()));
  auto tx = Transaction::begin(db_);
  if (!tx) return tl::unexpected(std::move(tx.error()));
  if (auto s = detail::prepare_for_writing(db_); !s) return tl::unexpected(std::move(s.error()));
  // Never seal over a change made outside dfx: the state and every record must hold first.
  auto state = detail::read_sealed_state(db_);
  if (!state) return fail("refusing to import: " + state.error().message);
  if (state->present) {
    auto walk = detail::walk_records(db_, /*fix=*/false);
    if (!walk) return tl::unexpected(std::move(walk.error()));
    if (walk->wrong > 0 || walk->records != state->records ||
        walk->content_sha256 != state->content_sha256)
      return fail("refusing to import into " + db_.path().string() +
                  ": it was changed outside dfx register import (dfx register verify lists "
                  "what); import the source files into a new register");
  }
  ImportInfo info;
  info.file = std::string(file);
  info.format = std::string(format);
  info.imported_at = dfx::utc_now_iso8601();
  auto ins = db_.prepare(
      "INSERT INTO register_import (file, sha256, format, imported_at) VALUES (?1, '', ?2, ?3) "
      "RETURNING id");
  if (!ins) return tl::unexpected(std::move(ins.error()));
  ins->bind(1, info.file).bind(2, info.format).bind(3, info.imported_at);
  auto r = ins->step();
  if (!r) return tl::unexpected(std::move(r.error()));
  info.id = ins->integer(0);
  if (auto done = ins->step(); !done) return tl::unexpected(std::move(done.error()));
  auto upsert = db_.prepare(kUpsert);
  if (!upsert) return tl::unexpected(std::move(upsert.error()));
  return ImportWriter(std::move(*tx), std::move(*upsert), &db_, std::move(info));
}

Result<Stats> RegisterStore::stats() {
  Stats s;
  s.path = db_.path();
  s.file_bytes = size_or_zero(s.path) + size_or_zero(s.path.string() + "-wal");
  auto tx = ReadTransaction::begin(db_);
  if (!tx) return tl::unexpected(std::move(tx.error()));
  auto tables = sqlite::scalar(db_, "SELECT count(*) FROM sqlite_schema");
  if (!tables) return tl::unexpected(std::move(tables.error()));
  if (*tables == 0) return s;  // nothing imported
  auto state = detail::read_sealed_state(db_);
  if (!state) return tl::unexpected(std::move(state.error()));
  s.content_sha256 = state->content_sha256;
  auto by_kind =
      counts(db_, "SELECT kind, count(*) FROM register_entry GROUP BY kind ORDER BY kind");
  if (!by_kind) return tl::unexpected(std::move(by_kind.error()));
  s.by_kind = std::move(*by_kind);
  auto by_status =
      counts(db_, "SELECT status, count(*) FROM register_entry GROUP BY status ORDER BY status");
  if (!by_status) return tl::unexpected(std::move(by_status.error()));
  s.by_status = std::move(*by_status);
  for (const auto& [kind, n] : s.by_kind) s.records += n;
  // The primary key starts with (kind, identifier): distinct pairs come from one index walk.
  auto distinct = sqlite::scalar(
      db_, "SELECT count(*) FROM (SELECT DISTINCT kind, identifier FROM register_entry)");
  if (!distinct) return tl::unexpected(std::move(distinct.error()));
  s.distinct_identifiers = *distinct;
  auto history = sqlite::scalar(db_, "SELECT count(*) FROM register_history");
  if (!history) return tl::unexpected(std::move(history.error()));
  s.history = *history;
  auto q = db_.prepare(
      "SELECT id, file, sha256, format, imported_at, rows_added, rows_updated, rows_unchanged, "
      "rows_skipped, records, content_sha256 FROM register_import ORDER BY id");
  if (!q) return tl::unexpected(std::move(q.error()));
  for (;;) {
    auto r = q->step();
    if (!r) return tl::unexpected(std::move(r.error()));
    if (!*r) break;
    s.imports.push_back(ImportInfo{q->integer(0), std::string(q->text(1)), std::string(q->text(2)),
                                   std::string(q->text(3)), std::string(q->text(4)), q->integer(5),
                                   q->integer(6), q->integer(7), q->integer(8), q->integer(9),
                                   std::string(q->text(10))});
  }
  return s;
}

Result<std::vector<HistoryEntry>> RegisterStore::history(const LookupKey& key) {
  auto q = db_.prepare(
      "SELECT status, reported_at, source, reference, notes, recorded_by, replaced_by "
      "FROM register_history WHERE kind = ?1 AND identifier = ?2 ORDER BY rowid");
  if (!q) return tl::unexpected(std::move(q.error()));
  q->bind(1, key.kind).bind(2, key.identifier);
  std::vector<HistoryEntry> out;
  for (;;) {
    auto r = q->step();
    if (!r) return tl::unexpected(std::move(r.error()));
    if (!*r) return out;
    out.push_back({Record{std::string(key.kind), std::string(key.identifier),
                          std::string(q->text(0)), std::string(q->text(1)), std::string(q->text(2)),
                          std::string(q->text(3)), std::string(q->text(4))},
                   q->integer(5), q->integer(6)});
  }
}

Result<Verification> RegisterStore::verify() {
  Verification v;
  auto tx = ReadTransaction::begin(db_);
  if (!tx) return tl::unexpected(std::move(tx.error()));
  auto tables = sqlite::scalar(db_, "SELECT count(*) FROM sqlite_schema");
  if (!tables) return tl::unexpected(std::move(tables.error()));
  if (*tables == 0) {
    v.problem = "nothing has been imported";
    return v;
  }
  if (auto s = detail::check_for_reading(db_); !s) {
    v.problem = s.error().message;
    return v;
  }
  auto state = detail::read_sealed_state(db_);
  auto walk = detail::walk_records(db_, /*fix=*/false);
  if (!walk) return tl::unexpected(std::move(walk.error()));
  v.records = walk->records;
  v.content_sha256 = walk->content_sha256;
  std::string problems;
  const auto add = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
  if (!state) add(state.error().message);
  if (walk->wrong > 0)
    add(std::to_string(walk->wrong) +
        (walk->wrong == 1 ? " record does not match its digest: "
                          : " records do not match "
                            "their digests, the first ") +
        walk->first_wrong);
  if (state && state->present && walk->records != state->records)
    add("the sealed state counts " + std::to_string(state->records) + " records, the register " +
        "holds " + std::to_string(walk->records));
  if (state && state->present && walk->content_sha256 != state->content_sha256)
    add("the content digest differs from the sealed one");
  if (state && !state->present && walk->records > 0) add("records without a sealed state");
  v.problem = problems;
  return v;
}

}  // namespace dfx::register_store
