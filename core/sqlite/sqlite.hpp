// The one place dfx talks to the SQLite C API: RAII over the connection and its prepared
// statements, errors as dfx::Result naming the database file, and the settings every dfx
// connection needs (busy timeout, so that several dfx processes can share one file).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace dfx::sqlite {

/// A prepared statement. Bind parameters (1-based), step through rows, reset to run it again.
/// Binding errors are kept and reported by the next step(), so that call sites stay short.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  /// Binds text (copied by SQLite) to parameter `index`.
  Statement& bind(int index, std::string_view text);
  /// Binds an integer to parameter `index`.
  Statement& bind(int index, std::int64_t value);
  /// Binds bytes as a BLOB (copied by SQLite) to parameter `index`.
  Statement& bind_blob(int index, std::string_view bytes);
  /// Runs to the next row: true when a row is available, false when the statement is done.
  Result<bool> step();
  /// Text of column `index` of the current row ("" for NULL); valid until the next step/reset.
  [[nodiscard]] std::string_view text(int index) const;
  /// Integer value of column `index` of the current row (0 for NULL).
  [[nodiscard]] std::int64_t integer(int index) const;
  /// Bytes of column `index` of the current row as a BLOB ("" for NULL); valid until the next
  /// step/reset.
  [[nodiscard]] std::string_view blob(int index) const;
  /// Makes the statement runnable again (bindings are kept).
  void reset();

 private:
  friend class Database;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

  sqlite3_stmt* stmt_ = nullptr;  ///< knows its connection, so a moved Database is no problem
  int bind_error_ = 0;            ///< first failed sqlite3_bind_* code, reported by step()
};

/// An open database connection.
class Database {
 public:
  enum class Access {
    ReadOnly,  ///< the file must exist and be a regular file; nothing is written to it (SQLite
               ///< may create its -wal/-shm companions to read a WAL file alongside a writer)
    /// As ReadOnly, and nothing can change the file while it is open (SQLite's `immutable`):
    /// no lock, no -wal/-shm. For a file on read-only media or in a folder we cannot write.
    ReadOnlyImmutable,
    ReadWriteCreate,  ///< created (with its parent folders) when missing
  };

  /// Opens `path`. The busy timeout makes statements wait for another process's write lock
  /// instead of failing at once with "database is locked".
  static Result<Database> open(const std::filesystem::path& path, Access access,
                               std::chrono::milliseconds busy_timeout = std::chrono::seconds(10));

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  /// Runs SQL that returns no rows (one or several statements separated by ';').
  Result<void> exec(std::string_view sql);
  /// Compiles one statement.
  Result<Statement> prepare(std::string_view sql);
  /// Keeps the -wal and -shm files when the last connection closes (SQLITE_FCNTL_PERSIST_WAL),
  /// so that read-only connections opened later need not create them.
  Result<void> keep_wal_files();
  /// The file this connection was opened on.
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  /// An Error with SQLite's message for the last failure on this connection and the file name:
  /// "<what>: <sqlite message> (<path>)".
  [[nodiscard]] Error error(std::string_view what) const;

 private:
  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

/// BEGIN IMMEDIATE on construction (takes the write lock up front, so that a concurrent writer
/// makes us wait at the start rather than fail half-way); ROLLBACK on destruction unless
/// commit() succeeded.
class Transaction {
 public:
  /// Starts the transaction; check ok() (or use begin()) before writing.
  static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  /// Makes the changes durable and visible to other connections.
  Result<void> commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  ///< null once committed or moved from
};

}  // namespace dfx::sqlite
