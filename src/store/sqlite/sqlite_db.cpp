#include "store/sqlite/sqlite_db.h"

#include <cstdio>
#include <cstdlib>

namespace fx::store::sqlite {

Statement::Statement(sqlite3* db, std::string_view sql) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "SQL bug: %s\n  in: %.*s\n", sqlite3_errmsg(db),
                 static_cast<int>(sql.size()), sql.data());
    std::abort();
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Statement& Statement::bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, double v) {
  sqlite3_bind_double(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, std::string_view t) {
  sqlite3_bind_text(stmt_, i, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_blob(int i, const void* data, size_t n) {
  sqlite3_bind_blob(stmt_, i, data, static_cast<int>(n), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_static(int i, std::string_view t) {
  sqlite3_bind_text(stmt_, i, t.data(), static_cast<int>(t.size()), SQLITE_STATIC);
  return *this;
}
Statement& Statement::bind_static_blob(int i, const void* data, size_t n) {
  sqlite3_bind_blob(stmt_, i, data, static_cast<int>(n), SQLITE_STATIC);
  return *this;
}
Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}
Statement& Statement::bind_or_null(int i, std::string_view t) {
  return t.empty() ? bind_null(i) : bind(i, t);
}

bool Statement::step() {
  rc_ = sqlite3_step(stmt_);
  return rc_ == SQLITE_ROW;
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  rc_ = SQLITE_OK;
}

std::string Statement::text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
}

std::string_view Statement::blob(int col) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p ? std::string_view(p, sqlite3_column_bytes(stmt_, col)) : std::string_view();
}

Result<Connection> Connection::open(const std::string& path) {
  // Memory statistics take a global mutex on every allocation; we never read them.
  static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK || true;
  (void)configured;
  Connection c;
  int rc =
      sqlite3_open_v2(path.c_str(), &c.db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK)
    return Status::IoError("cannot open database " + path + ": " +
                           (c.db_ ? sqlite3_errmsg(c.db_) : "out of memory"));
  sqlite3_busy_timeout(c.db_, 10000);
  // WAL lets readers go on while an import writes; NORMAL sync is durable at
  // each checkpoint and never corrupts: a crash loses at most the last commit.
  FX_RETURN_IF_ERROR(
      c.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
             "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;"));
  return c;
}

Connection::~Connection() { sqlite3_close_v2(db_); }

Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    sqlite3_close_v2(db_);
    db_ = o.db_;
    o.db_ = nullptr;
  }
  return *this;
}

Status Connection::exec(std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    if (msg.find("not a database") != std::string::npos)
      return Status::Invalid("the database file is not a Fangxian database: " + msg);
    return Status::Internal("SQLite: " + msg);
  }
  return Status::Ok();
}

Status Connection::error(std::string_view what) const {
  int code = sqlite3_extended_errcode(db_);
  std::string msg = std::string(what) + ": " + sqlite3_errmsg(db_);
  if ((code & 0xff) == SQLITE_CONSTRAINT) return Status::AlreadyExists(msg);
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    return Status::Unavailable(msg);
  if ((code & 0xff) == SQLITE_FULL || (code & 0xff) == SQLITE_IOERR) return Status::IoError(msg);
  return Status::Internal(msg);
}

}  // namespace fx::store::sqlite
