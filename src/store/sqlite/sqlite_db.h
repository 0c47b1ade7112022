// Thin RAII over the SQLite C API: a connection and prepared statements.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace fx::store::sqlite {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);  // aborts on a bad SQL text: a bug
  ~Statement();
  Statement(Statement&& o) noexcept : stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Statement& operator=(Statement&& o) noexcept;

  Statement& bind(int i, int64_t v);
  Statement& bind(int i, double v);
  Statement& bind(int i, std::string_view text);
  Statement& bind_blob(int i, const void* data, size_t n);
  Statement& bind_null(int i);
  // Without copying: the caller keeps the bytes alive until the next step or reset.
  Statement& bind_static(int i, std::string_view text);
  Statement& bind_static_blob(int i, const void* data, size_t n);
  // Binds NULL when the text is empty.
  Statement& bind_or_null(int i, std::string_view text);

  // Steps once: true with a row, false when done; errors come back through rc().
  bool step();
  int rc() const { return rc_; }
  void reset();

  int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const;
  std::string_view blob(int col) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

class Connection {
 public:
  // Opens (creating) the database file with WAL, foreign keys and a busy timeout.
  static Result<Connection> open(const std::string& path);
  Connection() = default;
  ~Connection();
  Connection(Connection&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Connection& operator=(Connection&& o) noexcept;

  sqlite3* get() const { return db_; }
  Status exec(std::string_view sql);
  // The error of the last failed call, mapped to a Status (constraint → AlreadyExists).
  Status error(std::string_view what) const;
  Statement prepare(std::string_view sql) const { return Statement(db_, sql); }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace fx::store::sqlite
