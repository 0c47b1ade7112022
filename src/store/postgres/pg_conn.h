// Thin RAII over libpq: a connection, a result, and query parameters.
//
// Results come back as text (ints and doubles parsed here, bytea decoded from
// hex); bytea parameters go as binary so sealed values are never escaped.
// Errors map to Status: a unique or other constraint violation is
// AlreadyExists (as in the SQLite store), a lost connection is Unavailable.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace fx::store::postgres {

// Parameters of one statement, numbered $1, $2, … in the order added.
class Params {
 public:
  Params& add(int64_t v);
  Params& add(double v);
  Params& add(std::string_view text);
  Params& add(const char* text) { return add(std::string_view(text)); }
  Params& add_bytes(const void* data, size_t n);  // bytea, sent as binary
  Params& add_null();
  Params& add_or_null(int64_t v) { return v ? add(v) : add_null(); }
  Params& add_bool(bool v) { return add(std::string_view(v ? "true" : "false")); }

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> pointers() const;
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<int> lengths_, formats_;
};

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* r) : r_(r, &PQclear) {}

  int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
  bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col); }
  std::string text(int row, int col) const;
  int64_t int64(int row, int col) const;  // 0 when NULL
  double real(int row, int col) const;
  bool boolean(int row, int col) const;       // 't' / 'f'
  std::string bytes(int row, int col) const;  // bytea decoded
  // Rows changed by an INSERT/UPDATE/DELETE.
  long affected() const;

 private:
  std::shared_ptr<PGresult> r_;
};

class PgConnection {
 public:
  // Connects; when the server cannot be reached, retries with backoff
  // (attempts from FX_PG_CONNECT_ATTEMPTS, default 5: 0.5 s, 1 s, 2 s, 4 s
  // apart), printing each failure to stderr without the password.
  static Result<PgConnection> connect(const std::string& url);
  PgConnection() = default;

  PGconn* get() const { return conn_.get(); }
  // A SQL script of one or more statements, no parameters.
  Status exec(std::string_view sql);
  // One statement with parameters; rows (if any) as text. Each distinct
  // statement text is prepared once on this connection (PQprepare, named
  // fx1, fx2, …) and then only executed, so the server parses and plans it
  // once; FX_PG_PREPARE=0 turns that off (for before/after measurements).
  Result<PgResult> query(const std::string& sql, const Params& params = {});
  // How many statements are prepared on this connection.
  size_t prepared_count() const { return prepared_ ? prepared_->names.size() : 0; }
  // Reconnects when the connection was lost (a restarted server, a network
  // blip); Unavailable when the server is still unreachable.
  Status ensure_open();
  bool broken() const { return !conn_ || PQstatus(conn_.get()) != CONNECTION_OK; }

  // COPY … FROM STDIN: start, send lines, finish (the COPY's own status).
  Status copy_start(const std::string& sql);
  Status copy_send(std::string_view data);
  Status copy_end();

  // Called with the highest change seq of each transaction committed on
  // this connection (PgWriteTx), so the node knows its own writes at once.
  std::function<void(int64_t)> on_commit_seq;

  // Where this connection goes, without the password: "host:port/db".
  static std::string describe(const std::string& url);

 private:
  explicit PgConnection(PGconn* c) : conn_(c, &PQfinish), prepared_(std::make_shared<Prepared>()) {}
  Status error_of(PGresult* r, std::string_view what) const;
  // The name `sql` is prepared under, preparing it first; empty when it
  // should run unprepared (turned off, or the cache is full).
  Result<std::string> prepared_name(const std::string& sql, int n_params);

  struct Prepared {
    std::unordered_map<std::string, std::string> names;  // statement text → name
    long next = 0;                                       // names never repeat
  };
  std::shared_ptr<PGconn> conn_;
  std::shared_ptr<Prepared> prepared_;  // gone with the session: cleared on reconnect
};

// How long connect() keeps retrying an unreachable server, instead of its
// attempt count: `fangxian serve --db-wait SECONDS` (0: the attempt count).
void set_connect_wait(std::chrono::seconds wait);

// Appends `text` escaped for COPY's text format (backslash, tab, newlines).
void copy_escape(std::string& out, std::string_view text);
// Appends bytes as a COPY text-format bytea literal (\\x hex).
void copy_bytea(std::string& out, std::string_view bytes);

}  // namespace fx::store::postgres
