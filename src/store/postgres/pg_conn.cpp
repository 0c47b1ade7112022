#include "store/postgres/pg_conn.h"

#include <poll.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace fx::store::postgres {

Params& Params::add(int64_t v) { return add(std::string_view(std::to_string(v))); }

Params& Params::add(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return add(std::string_view(buf));
}

Params& Params::add(std::string_view text) {
  values_.emplace_back(std::string(text));
  lengths_.push_back(static_cast<int>(text.size()));
  formats_.push_back(0);
  return *this;
}

Params& Params::add_bytes(const void* data, size_t n) {
  values_.emplace_back(std::string(static_cast<const char*>(data), n));
  lengths_.push_back(static_cast<int>(n));
  formats_.push_back(1);
  return *this;
}

Params& Params::add_null() {
  values_.emplace_back(std::nullopt);
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

std::string PgResult::text(int row, int col) const {
  if (PQgetisnull(r_.get(), row, col)) return {};
  return std::string(PQgetvalue(r_.get(), row, col), PQgetlength(r_.get(), row, col));
}

int64_t PgResult::int64(int row, int col) const {
  if (PQgetisnull(r_.get(), row, col)) return 0;
  return std::strtoll(PQgetvalue(r_.get(), row, col), nullptr, 10);
}

double PgResult::real(int row, int col) const {
  return std::strtod(PQgetvalue(r_.get(), row, col), nullptr);
}

bool PgResult::boolean(int row, int col) const { return PQgetvalue(r_.get(), row, col)[0] == 't'; }

std::string PgResult::bytes(int row, int col) const {
  if (PQgetisnull(r_.get(), row, col)) return {};
  const char* v = PQgetvalue(r_.get(), row, col);
  size_t n = PQgetlength(r_.get(), row, col);
  // bytea_output is hex: "\x" then two digits a byte.
  if (n < 2 || v[0] != '\\' || v[1] != 'x') return std::string(v, n);
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string out((n - 2) / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char>(nibble(v[2 + 2 * i]) << 4 | nibble(v[3 + 2 * i]));
  return out;
}

long PgResult::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return n && *n ? std::strtol(n, nullptr, 10) : 0;
}

std::string PgConnection::describe(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    if (err) PQfreemem(err);
    return "(an unparsable PostgreSQL URL)";
  }
  std::string host = "localhost", port = "5432", db;
  for (auto* o = opts; o->keyword; ++o) {
    if (!o->val) continue;
    if (!std::strcmp(o->keyword, "host")) host = o->val;
    if (!std::strcmp(o->keyword, "port")) port = o->val;
    if (!std::strcmp(o->keyword, "dbname")) db = o->val;
  }
  PQconninfoFree(opts);
  return host + ":" + port + "/" + db;
}

namespace {
std::atomic<long> connect_wait_seconds{0};
}  // namespace

void set_connect_wait(std::chrono::seconds wait) { connect_wait_seconds = wait.count(); }

Result<PgConnection> PgConnection::connect(const std::string& url) {
  int attempts = 5;
  if (const char* env = std::getenv("FX_PG_CONNECT_ATTEMPTS"))
    attempts = std::max(1, std::atoi(env));
  // With a wait set, retry until it has passed, however many attempts that is.
  const auto wait = std::chrono::seconds(connect_wait_seconds.load());
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::string where = describe(url);
  auto delay = std::chrono::milliseconds(500);
  std::string last;
  int i = 1;
  for (;; ++i) {
    PgConnection c(PQconnectdb(url.c_str()));
    if (c.conn_ && PQstatus(c.get()) == CONNECTION_OK) {
      // Quiet notices ("relation already exists, skipping") and UTC text.
      PQsetNoticeProcessor(
          c.get(), [](void*, const char*) {}, nullptr);
      FX_RETURN_IF_ERROR(c.exec("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'"));
      return c;
    }
    last = c.conn_ ? PQerrorMessage(c.get()) : "out of memory";
    while (!last.empty() && (last.back() == '\n' || last.back() == ' ')) last.pop_back();
    auto now = std::chrono::steady_clock::now();
    if (wait.count() > 0 ? now >= deadline : i >= attempts) break;
    if (wait.count() > 0)
      delay = std::min<std::chrono::milliseconds>(
          delay, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
    std::fprintf(stderr,
                 wait.count() > 0
                     ? "fangxian: PostgreSQL at %s unreachable (attempt %d, waiting up to %lld s): "
                       "%s; retrying in %.1f s\n"
                     : "fangxian: PostgreSQL at %s unreachable (attempt %d of %lld): %s; "
                       "retrying in %.1f s\n",
                 where.c_str(), i,
                 static_cast<long long>(wait.count() > 0 ? wait.count() : attempts), last.c_str(),
                 delay.count() / 1000.0);
    std::this_thread::sleep_for(delay);
    delay = std::min<std::chrono::milliseconds>(delay * 2, std::chrono::seconds(4));
  }
  return Status::Unavailable("PostgreSQL at " + where + " unreachable after " + std::to_string(i) +
                             " attempts: " + last);
}

Status PgConnection::ensure_open() {
  if (!conn_) return Status::Unavailable("no PostgreSQL connection");
  PGconn* c = conn_.get();
  // An idle connection whose backend went away (pg_terminate_backend, a
  // restarted server) has already said so on its socket: notice that now,
  // without a round trip, and reconnect, rather than fail the next statement.
  for (int i = 0; i < 3 && PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) == PQTRANS_IDLE;
       ++i) {
    pollfd p{PQsocket(c), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) break;
    if (!PQconsumeInput(c)) break;  // end of stream: the status is now bad
  }
  if (PQstatus(c) == CONNECTION_OK) return Status::Ok();
  PQreset(conn_.get());
  prepared_->names.clear();  // a new server session has none of them
  if (PQstatus(conn_.get()) != CONNECTION_OK)
    return Status::Unavailable(
        "PostgreSQL unreachable: the connection was lost and could not be made again");
  return exec("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
}

Status PgConnection::error_of(PGresult* r, std::string_view what) const {
  std::string msg = std::string(what) + ": ";
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  msg += primary ? primary : PQerrorMessage(conn_.get());
  while (!msg.empty() && msg.back() == '\n') msg.pop_back();
  if (PQstatus(conn_.get()) != CONNECTION_OK)
    return Status::Unavailable("the database connection was lost (" + msg + ")");
  std::string_view code = state ? state : "";
  // Class 23: integrity constraints (unique, foreign key, check), as SQLite's CONSTRAINT.
  if (code.starts_with("23")) return Status::AlreadyExists(msg);
  // Connection, shutdown, serialisation and deadlock failures: retrying may help.
  if (code.starts_with("08") || code.starts_with("57P") || code == "40001" || code == "40P01" ||
      code == "53300")
    return Status::Unavailable(msg);
  return Status::Internal("PostgreSQL: " + msg);
}

Status PgConnection::exec(std::string_view sql) {
  if (!conn_) return Status::Unavailable("no PostgreSQL connection");
  std::string text(sql);
  PGresult* r = PQexec(conn_.get(), text.c_str());
  auto st = PQresultStatus(r);
  Status s = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY
                 ? Status::Ok()
                 : error_of(r, text.substr(0, 40));
  PQclear(r);
  return s;
}

namespace {

bool prepare_enabled() {
  static const bool on = [] {
    const char* v = std::getenv("FX_PG_PREPARE");
    return !(v && std::string_view(v) == "0");
  }();
  return on;
}

// Statements kept prepared on one connection; past it (a stream of
// one-off texts), the rest run unprepared.
constexpr size_t kMaxPrepared = 512;

}  // namespace

Result<std::string> PgConnection::prepared_name(const std::string& sql, int n_params) {
  if (!prepare_enabled()) return std::string();
  auto& names = prepared_->names;
  if (auto it = names.find(sql); it != names.end()) return it->second;
  if (names.size() >= kMaxPrepared) return std::string();
  std::string name = "fx" + std::to_string(++prepared_->next);
  PGresult* r = PQprepare(conn_.get(), name.c_str(), sql.c_str(), n_params, nullptr);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    Status s = error_of(r, sql.substr(0, sql.find_first_of("(\n")).c_str());
    PQclear(r);
    return s;
  }
  PQclear(r);
  names.emplace(sql, name);
  return name;
}

Result<PgResult> PgConnection::query(const std::string& sql, const Params& params) {
  if (!conn_) return Status::Unavailable("no PostgreSQL connection");
  auto values = params.pointers();
  for (int attempt = 0;; ++attempt) {
    auto name = prepared_name(sql, params.size());
    if (!name.ok()) return name.status();
    PGresult* r = name->empty()
                      ? PQexecParams(conn_.get(), sql.c_str(), params.size(), nullptr,
                                     values.data(), params.lengths(), params.formats(), 0)
                      : PQexecPrepared(conn_.get(), name->c_str(), params.size(), values.data(),
                                       params.lengths(), params.formats(), 0);
    auto st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return PgResult(r);
    // Prepared statements gone from under us (DISCARD ALL by a pooler):
    // forget them and prepare again, once.
    const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (attempt == 0 && !name->empty() && state && std::string_view(state) == "26000" &&
        PQstatus(conn_.get()) == CONNECTION_OK) {
      PQclear(r);
      prepared_->names.clear();
      continue;
    }
    Status s = error_of(r, sql.substr(0, sql.find_first_of("(\n")).c_str());
    PQclear(r);
    return s;
  }
}

Status PgConnection::copy_start(const std::string& sql) {
  PGresult* r = PQexec(conn_.get(), sql.c_str());
  if (PQresultStatus(r) == PGRES_COPY_IN) {
    PQclear(r);
    return Status::Ok();
  }
  Status s = error_of(r, "start COPY");
  PQclear(r);
  return s;
}

Status PgConnection::copy_send(std::string_view data) {
  if (PQputCopyData(conn_.get(), data.data(), static_cast<int>(data.size())) != 1)
    return error_of(nullptr, "COPY data");
  return Status::Ok();
}

Status PgConnection::copy_end() {
  if (PQputCopyEnd(conn_.get(), nullptr) != 1) return error_of(nullptr, "end COPY");
  Status s;
  while (PGresult* r = PQgetResult(conn_.get())) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK && s.ok()) s = error_of(r, "COPY");
    PQclear(r);
  }
  return s;
}

void copy_escape(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
}

void copy_bytea(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\\\x";
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
}

}  // namespace fx::store::postgres
