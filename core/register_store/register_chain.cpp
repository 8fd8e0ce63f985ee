#include "register_store/register_chain.hpp"

#include "base/sha256.hpp"
#include "sqlite/schema.hpp"

namespace dfx::register_store::detail {
namespace {

// Records are walked a page at a time, the next page starting after the last key read: the
// statement is finished before any digest of the page is written, so that no write happens
// under a running SELECT on the same table.
constexpr int kPage = 8192;

const std::string kChanged =
    ": the register was changed outside dfx register import (dfx register verify lists what)";

}  // namespace

OwnedRecord read_record(const sqlite::Statement& q) {
  OwnedRecord r;
  r.kind = q.text(0);
  r.identifier = q.text(1);
  r.source = q.text(2);
  r.reference = q.text(3);
  r.status = q.text(4);
  r.reported_at = q.text(5);
  r.notes = q.text(6);
  r.added_by = q.integer(7);
  r.updated_by = q.integer(8);
  r.digest = q.blob(9);
  return r;
}

std::string describe(const RecordKey& key) {
  std::string s =
      std::string(key.kind) + " " + std::string(key.identifier) + " (" + std::string(key.source);
  if (!key.reference.empty()) s += ", " + std::string(key.reference);
  return s + ")";
}

Result<SealedState> read_sealed_state(sqlite::Database& db) {
  SealedState s;
  const std::string file = db.path().string();
  auto state = db.prepare(
      "SELECT import_id, records, content_sha256, seal FROM register_state WHERE id = 1");
  if (!state) return tl::unexpected(std::move(state.error()));
  auto row = state->step();
  if (!row) return tl::unexpected(std::move(row.error()));
  if (!*row) {
    // Nothing imported yet, or a state that was removed: records without one are not ours.
    auto any = sqlite::scalar(db, "SELECT EXISTS (SELECT 1 FROM register_entry)");
    if (!any) return tl::unexpected(std::move(any.error()));
    if (*any) return fail(file + " holds records but no sealed state" + kChanged);
    return s;
  }
  s.present = true;
  const std::int64_t import_id = state->integer(0);
  s.records = state->integer(1);
  s.content_sha256 = state->text(2);
  const std::string seal(state->blob(3));

  auto imp = db.prepare(
      "SELECT id, file, sha256, format, imported_at, rows_added, rows_updated, rows_unchanged, "
      "rows_skipped, records, content_sha256 FROM register_import WHERE id = ?1");
  if (!imp) return tl::unexpected(std::move(imp.error()));
  auto irow = imp->bind(1, import_id).step();
  if (!irow) return tl::unexpected(std::move(irow.error()));
  if (!*irow)
    return fail(file + ": the sealed state names import " + std::to_string(import_id) +
                ", which is not there" + kChanged);
  s.last_import =
      ImportInfo{imp->integer(0),           std::string(imp->text(1)), std::string(imp->text(2)),
                 std::string(imp->text(3)), std::string(imp->text(4)), imp->integer(5),
                 imp->integer(6),           imp->integer(7),           imp->integer(8),
                 imp->integer(9),           std::string(imp->text(10))};

  auto first = db.prepare("SELECT " + std::string(kRecordColumns) +
                          " FROM register_entry ORDER BY kind, identifier, source, reference "
                          "LIMIT 1");
  if (!first) return tl::unexpected(std::move(first.error()));
  auto frow = first->step();
  if (!frow) return tl::unexpected(std::move(frow.error()));
  if (*frow) s.first = read_record(*first);

  Digester d;
  const auto first_key = s.first ? std::optional<RecordKey>(s.first->key()) : std::nullopt;
  const Digest expected =
      d.seal({import_id, s.records, s.content_sha256, s.last_import.file, s.last_import.sha256,
              s.last_import.format, s.last_import.imported_at},
             first_key ? &*first_key : nullptr);
  if (!same(expected, seal)) return fail(file + ": the sealed state does not match" + kChanged);
  return s;
}

Result<Walk> walk_records(sqlite::Database& db, bool fix) {
  const std::string cols(kRecordColumns);
  auto first_page = db.prepare("SELECT " + cols +
                               " FROM register_entry ORDER BY kind, identifier, source, reference "
                               "LIMIT " +
                               std::to_string(kPage));
  auto next_page = db.prepare("SELECT " + cols +
                              " FROM register_entry WHERE (kind, identifier, source, reference) > "
                              "(?1, ?2, ?3, ?4) ORDER BY kind, identifier, source, reference "
                              "LIMIT " +
                              std::to_string(kPage));
  auto update = db.prepare(
      "UPDATE register_entry SET digest = ?5 WHERE kind = ?1 AND identifier = ?2 AND source = ?3 "
      "AND reference = ?4");
  if (!first_page) return tl::unexpected(std::move(first_page.error()));
  if (!next_page) return tl::unexpected(std::move(next_page.error()));
  if (!update) return tl::unexpected(std::move(update.error()));

  Walk w;
  Digester digester;
  Sha256 content;
  content.update("dfx register content v2");
  std::optional<OwnedRecord> prev;
  std::vector<OwnedRecord> page;
  std::vector<std::pair<OwnedRecord, Digest>> to_write;

  // Settles `prev` now that the record after it (or the end) is known.
  const auto settle = [&](const RecordKey* next) {
    const Digest d = digester.record(prev->stored(), next);
    content.update(as_bytes(d));
    ++w.records;
    if (same(d, prev->digest)) return;
    if (fix) {
      to_write.emplace_back(std::move(*prev), d);
    } else if (w.wrong++ == 0) {
      w.first_wrong = describe(prev->key());
    }
  };
  const auto write = [&]() -> Result<void> {
    for (const auto& [r, d] : to_write) {
      update->reset();
      update->bind(1, r.kind).bind(2, r.identifier).bind(3, r.source).bind(4, r.reference);
      update->bind_blob(5, as_bytes(d));
      if (auto done = update->step(); !done) return tl::unexpected(std::move(done.error()));
      ++w.rewritten;
    }
    to_write.clear();
    return {};
  };

  sqlite::Statement* q = &*first_page;
  for (;;) {
    page.clear();
    for (;;) {
      auto row = q->step();
      if (!row) return tl::unexpected(std::move(row.error()));
      if (!*row) break;
      page.push_back(read_record(*q));
    }
    q->reset();
    for (auto& r : page) {
      if (prev) {
        const RecordKey next = r.key();
        settle(&next);
      } else {
        w.first = r;
      }
      prev = std::move(r);
    }
    if (auto done = write(); !done) return tl::unexpected(std::move(done.error()));
    if (page.size() < static_cast<std::size_t>(kPage)) break;
    q = &*next_page;
    q->bind(1, prev->kind).bind(2, prev->identifier).bind(3, prev->source).bind(4, prev->reference);
  }
  if (prev) settle(nullptr);
  if (auto done = write(); !done) return tl::unexpected(std::move(done.error()));
  w.content_sha256 = content.hex();
  return w;
}

Result<void> write_sealed_state(sqlite::Database& db, const ImportInfo& import, const Walk& walk) {
  auto upd =
      db.prepare("UPDATE register_import SET records = ?1, content_sha256 = ?2 WHERE id = ?3");
  if (!upd) return tl::unexpected(std::move(upd.error()));
  upd->bind(1, walk.records).bind(2, walk.content_sha256).bind(3, import.id);
  if (auto r = upd->step(); !r) return tl::unexpected(std::move(r.error()));

  Digester d;
  const auto first_key = walk.first ? std::optional<RecordKey>(walk.first->key()) : std::nullopt;
  const Digest seal = d.seal({import.id, walk.records, walk.content_sha256, import.file,
                              import.sha256, import.format, import.imported_at},
                             first_key ? &*first_key : nullptr);
  auto put = db.prepare(
      "INSERT INTO register_state (id, import_id, records, content_sha256, seal) "
      "VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET import_id = excluded.import_id, "
      "records = excluded.records, content_sha256 = excluded.content_sha256, "
      "seal = excluded.seal");
  if (!put) return tl::unexpected(std::move(put.error()));
  put->bind(1, import.id).bind(2, walk.records).bind(3, walk.content_sha256);
  put->bind_blob(4, as_bytes(seal));
  if (auto r = put->step(); !r) return tl::unexpected(std::move(r.error()));
  return {};
}

std::string check_neighbourhood(Digester& digester, const SealedState& state,
                                const std::optional<OwnedRecord>& before,
                                const std::vector<OwnedRecord>& records,
                                const std::optional<OwnedRecord>& after) {
  // The chain as this lookup sees it: before, the records, after (whose own digest needs the
  // record after it, so only its key is checked, through its predecessor's link).
  std::vector<const OwnedRecord*> chain;
  if (before) chain.push_back(&*before);
  for (const auto& r : records) chain.push_back(&r);
  const OwnedRecord* tail = after ? &*after : nullptr;
  if (!before) {
    // Nothing before: the first record this lookup saw must be the register's first.
    const OwnedRecord* seen = !records.empty() ? &records.front() : tail;
    const bool same_first = (seen == nullptr && !state.first) ||
                            (seen != nullptr && state.first && seen->key() == state.first->key());
    if (!same_first)
      return "the first record of the register is not the one its sealed state names";
  }
  for (std::size_t i = 0; i < chain.size(); ++i) {
    const OwnedRecord* next = i + 1 < chain.size() ? chain[i + 1] : tail;
    const auto next_key = next ? std::optional<RecordKey>(next->key()) : std::nullopt;
    const Digest d = digester.record(chain[i]->stored(), next_key ? &*next_key : nullptr);
    if (!same(d, chain[i]->digest))
      return "the record " + describe(chain[i]->key()) +
             " does not match its digest (changed, or a record next to it was added or removed)";
  }
  return {};
}

}  // namespace dfx::register_store::detail
