#include "sqlite/sqlite.hpp"

#include <sqlite3.h>

#include <system_error>
#include <utility>

namespace dfx::sqlite {
namespace {

// "<what>: <SQLite's message for the last failure> (<database file>)".
Error error_of(sqlite3* db, std::string_view what, const std::string& path) {
  const char* msg = db ? sqlite3_errmsg(db) : "out of memory";
  return Error{std::string(what) + ": " + msg + " (" + path + ")"};
}

std::string file_of(sqlite3* db) {
  const char* f = db ? sqlite3_db_filename(db, "main") : nullptr;
  return f ? f : "?";
}

// A file: URI for `path` with immutable=1. Every byte outside the unreserved set is
// percent-encoded, so that '?', '#' or '%' in a folder name cannot be read as URI syntax.
std::string immutable_uri(const std::filesystem::path& path) {
  const std::string absolute = std::filesystem::absolute(path).string();
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file:";
  for (const unsigned char c : absolute) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '/' || c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xF];
    }
  }
  return uri + "?immutable=1";
}

}  // namespace

// ---- Statement -------------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::string_view text) {
  const int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  const int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Result<bool> Statement::step() {
  if (bind_error_ != 0)
    return fail("binding a parameter of \"" + std::string(sqlite3_sql(stmt_)) +
                "\": " + sqlite3_errstr(bind_error_));
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  auto e = tl::unexpected<Error>(
      error_of(db, "running \"" + std::string(sqlite3_sql(stmt_)) + "\"", file_of(db)));
  sqlite3_reset(stmt_);  // leave the statement reusable after a constraint or busy error
  return e;
}

std::string_view Statement::text(int index) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  if (!p) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))};
}

std::int64_t Statement::integer(int index) const {
  return sqlite3_column_int64(stmt_, index);
}

std::string_view Statement::blob(int index) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, index));
  if (!p) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
}

// ---- Database ----------------------------------------------------------------------------------

Result<Database> Database::open(const std::filesystem::path& path, Access access,
                                std::chrono::milliseconds busy_timeout) {
  int flags = SQLITE_OPEN_NOMUTEX;  // one connection per thread; no need for SQLite's mutexes
  std::string name = path.string();
  if (access == Access::ReadOnly || access == Access::ReadOnlyImmutable) {
    // SQLite would report "unable to open database file" for a missing file, and would open a
    // FIFO or a device and block or misread it; say it plainly and never touch such a path.
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) return fail("no database at " + path.string());
    if (!std::filesystem::is_regular_file(status))
      return fail(path.string() + " is not a regular file");
    flags |= SQLITE_OPEN_READONLY;
    if (access == Access::ReadOnlyImmutable) {
      flags |= SQLITE_OPEN_URI;
      name = immutable_uri(path);
    }
  } else {
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (path.has_parent_path()) {
      std::error_code ec;
      std::filesystem::create_directories(path.parent_path(), ec);
      if (ec) return fail("creating folder " + path.parent_path().string() + ": " + ec.message());
    }
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  Database db(raw, path);  // owns the handle even when opening failed (SQLite allocates one)
  if (rc != SQLITE_OK) return tl::unexpected<Error>(db.error("opening database"));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, static_cast<int>(busy_timeout.count()));
  return db;
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Database::~Database() {
  sqlite3_close_v2(db_);
}

Result<void> Database::exec(std::string_view sql) {
  const std::string s(sql);  // sqlite3_exec wants a NUL-terminated string
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    return tl::unexpected<Error>(error("running \"" + s + "\""));
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK)
    return tl::unexpected<Error>(error("preparing \"" + std::string(sql) + "\""));
  return Statement(stmt);
}

Result<void> Database::keep_wal_files() {
  int keep = 1;
  if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_PERSIST_WAL, &keep) != SQLITE_OK)
    return tl::unexpected<Error>(error("keeping the -wal file"));
  return {};
}

Error Database::error(std::string_view what) const {
  return error_of(db_, what, path_.string());
}

// ---- Transaction -----------------------------------------------------------------------------

Result<Transaction> Transaction::begin(Database& db) {
  if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return tl::unexpected(std::move(r.error()));
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
  if (!db_) return fail("commit: no transaction in progress");
  auto r = db_->exec("COMMIT");
  if (r) db_ = nullptr;  // on failure the destructor rolls back
  return r;
}

}  // namespace dfx::sqlite
