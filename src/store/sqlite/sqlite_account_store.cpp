#include "store/sqlite/sqlite_account_store.h"

#include <cstring>

#include "store/sqlite/sqlite_write_tx.h"
#include "store/store.h"

namespace fx::store::sqlite {
namespace {

std::string join_ids(const std::vector<int64_t>& ids) {
  std::string out;
  for (auto id : ids) {
    if (!out.empty()) out.push_back(',');
    out += std::to_string(id);
  }
  return out;
}

std::vector<int64_t> split_ids(const std::string& text) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(std::stoll(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

void copy_hash(std::string_view blob, Vault::Hash& out) {
  out.fill(0);
  std::memcpy(out.data(), blob.data(), std::min(blob.size(), out.size()));
}

constexpr const char* kUserColumns =
    "SELECT id, username, display_name, role, task_group, institution_id, colleges, "
    "password_hash, disabled, created_at, updated_at FROM users ";

UserRecord read_user(const Statement& st) {
  UserRecord u;
  u.id = st.int64(0);
  u.username = st.text(1);
  u.display_name = st.text(2);
  u.role = st.text(3);
  u.task_group = st.text(4);
  u.institution_id = st.int64(5);
  u.colleges = split_ids(st.text(6));
  u.password_hash = st.text(7);
  u.disabled = st.int64(8) != 0;
  u.created_at = st.text(9);
  u.updated_at = st.text(10);
  return u;
}

constexpr const char* kTokenColumns =
    "SELECT t.id, t.name, t.user_id, u.username, t.scopes, t.token_hash, t.created_at, "
    "t.expires_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id ";

TokenRecord read_token(const Statement& st) {
  TokenRecord t;
  t.id = st.int64(0);
  t.name = st.text(1);
  t.user_id = st.int64(2);
  t.username = st.text(3);
  t.scopes = split_words(st.text(4));
  copy_hash(st.blob(5), t.token_hash);
  t.created_at = st.text(6);
  t.expires_at = st.text(7);
  t.revoked_at = st.text(8);
  return t;
}

}  // namespace

template <typename Fn>
Status SqliteAccountStore::write(const char* what, Fn&& fn) {
  std::lock_guard lock(db_.write_mutex);
  FX_RETURN_IF_ERROR(db_.writer.exec("BEGIN IMMEDIATE"));
  Status s = fn(db_.writer);
  if (s.ok()) s = db_.writer.exec("COMMIT");
  if (!s.ok()) {
    (void)db_.writer.exec("ROLLBACK");
    return Status(s.code(), std::string(what) + ": " + s.message());
  }
  return s;
}

Result<int64_t> SqliteAccountStore::insert_user(const UserRecord& u) {
  int64_t id = 0;
  Status s = write("add user", [&](Connection& c) {
    auto st = c.prepare(
        "INSERT INTO users (username, display_name, role, task_group, institution_id, colleges, "
        "password_hash, disabled, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?9)");
    st.bind(1, u.username).bind(2, u.display_name).bind(3, u.role).bind(4, u.task_group);
    st.bind(5, u.institution_id).bind(6, join_ids(u.colleges)).bind(7, u.password_hash);
    st.bind(8, int64_t{u.disabled}).bind(9, utc_now_iso());
    st.step();
    if (st.rc() != SQLITE_DONE) {
      Status e = c.error("insert user");
      if (e.code() == Status::Code::already_exists)
        return Status::AlreadyExists("user name " + u.username + " is taken");
      return e;
    }
    id = sqlite3_last_insert_rowid(c.get());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return id;
}

Status SqliteAccountStore::update_user(const UserRecord& u) {
  return write("update user", [&](Connection& c) {
    auto st = c.prepare(
        "UPDATE users SET display_name=?2, role=?3, task_group=?4, institution_id=?5, "
        "colleges=?6, password_hash=?7, disabled=?8, updated_at=?9 WHERE id=?1");
    st.bind(1, u.id).bind(2, u.display_name).bind(3, u.role).bind(4, u.task_group);
    st.bind(5, u.institution_id).bind(6, join_ids(u.colleges)).bind(7, u.password_hash);
    st.bind(8, int64_t{u.disabled}).bind(9, utc_now_iso());
    st.step();
    if (st.rc() != SQLITE_DONE) return c.error("update user");
    if (sqlite3_changes(c.get()) == 0) return Status::NotFound("no user " + u.username);
    return Status::Ok();
  });
}

Result<std::optional<UserRecord>> SqliteAccountStore::find_user(const std::string& username) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kUserColumns) + "WHERE username = ?1");
  st.bind(1, username);
  if (st.step()) return std::optional<UserRecord>(read_user(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("find user");
  return std::optional<UserRecord>();
}

Result<std::optional<UserRecord>> SqliteAccountStore::get_user(int64_t id) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kUserColumns) + "WHERE id = ?1");
  st.bind(1, id);
  if (st.step()) return std::optional<UserRecord>(read_user(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("get user");
  return std::optional<UserRecord>();
}

Result<std::vector<UserRecord>> SqliteAccountStore::list_users() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kUserColumns) + "ORDER BY username");
  std::vector<UserRecord> out;
  while (st.step()) out.push_back(read_user(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list users");
  return out;
}

Status SqliteAccountStore::insert_session(const SessionRecord& s) {
  return write("add session", [&](Connection& c) {
    auto st = c.prepare(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1,?2,?3,?4)");
    st.bind_blob(1, s.token_hash.data(), s.token_hash.size()).bind(2, s.user_id);
    st.bind(3, s.created_at).bind(4, s.expires_at);
    st.step();
    return st.rc() == SQLITE_DONE ? Status::Ok() : c.error("insert session");
  });
}

Result<std::optional<SessionRecord>> SqliteAccountStore::find_session(const Vault::Hash& h) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT user_id, created_at, expires_at FROM sessions WHERE token_hash = ?1");
  st.bind_blob(1, h.data(), h.size());
  if (st.step()) {
    SessionRecord s;
    s.token_hash = h;
    s.user_id = st.int64(0);
    s.created_at = st.text(1);
    s.expires_at = st.text(2);
    return std::optional<SessionRecord>(std::move(s));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("find session");
  return std::optional<SessionRecord>();
}

Status SqliteAccountStore::delete_session(const Vault::Hash& h) {
  return write("end session", [&](Connection& c) {
    auto st = c.prepare("DELETE FROM sessions WHERE token_hash = ?1");
    st.bind_blob(1, h.data(), h.size());
    st.step();
    return st.rc() == SQLITE_DONE ? Status::Ok() : c.error("delete session");
  });
}

Status SqliteAccountStore::delete_sessions_of(int64_t user_id) {
  return write("end sessions", [&](Connection& c) {
    auto st = c.prepare("DELETE FROM sessions WHERE user_id = ?1");
    st.bind(1, user_id);
    st.step();
    return st.rc() == SQLITE_DONE ? Status::Ok() : c.error("delete sessions");
  });
}

Result<long> SqliteAccountStore::count_active_sessions(const std::string& now) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare("SELECT COUNT(*) FROM sessions WHERE expires_at > ?1");
  st.bind(1, now);
  if (!st.step()) return db_.reader.error("count sessions");
  return static_cast<long>(st.int64(0));
}

Result<int64_t> SqliteAccountStore::insert_token(const TokenRecord& t) {
  int64_t id = 0;
  Status s = write("add token", [&](Connection& c) {
    auto st = c.prepare(
        "INSERT INTO api_tokens (name, user_id, scopes, token_hash, created_at, expires_at) "
        "VALUES (?1,?2,?3,?4,?5,?6)");
    st.bind(1, t.name).bind(2, t.user_id).bind(3, join_words(t.scopes));
    st.bind_blob(4, t.token_hash.data(), t.token_hash.size());
    st.bind(5, t.created_at.empty() ? utc_now_iso() : t.created_at).bind(6, t.expires_at);
    st.step();
    if (st.rc() != SQLITE_DONE) return c.error("insert token");
    id = sqlite3_last_insert_rowid(c.get());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return id;
}

Result<std::optional<TokenRecord>> SqliteAccountStore::find_token(const Vault::Hash& h) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kTokenColumns) + "WHERE t.token_hash = ?1");
  st.bind_blob(1, h.data(), h.size());
  if (st.step()) return std::optional<TokenRecord>(read_token(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("find token");
  return std::optional<TokenRecord>();
}

Result<std::vector<TokenRecord>> SqliteAccountStore::list_tokens() {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(std::string(kTokenColumns) + "ORDER BY t.id");
  std::vector<TokenRecord> out;
  while (st.step()) out.push_back(read_token(st));
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list tokens");
  return out;
}

Status SqliteAccountStore::revoke_token(int64_t id, const std::string& at) {
  return write("revoke token", [&](Connection& c) {
    auto st = c.prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = ''");
    st.bind(1, id).bind(2, at);
    st.step();
    if (st.rc() != SQLITE_DONE) return c.error("revoke token");
    if (sqlite3_changes(c.get()) == 0) {
      auto q = c.prepare("SELECT 1 FROM api_tokens WHERE id = ?1");
      q.bind(1, id);
      if (!q.step()) return Status::NotFound("no token " + std::to_string(id));
    }
    return Status::Ok();
  });
}

Result<int64_t> SqliteAccountStore::append_audit(const AuditEntry& e) {
  int64_t id = 0;
  Status s = write("audit", [&](Connection& c) {
    auto st = c.prepare(
        "INSERT INTO audit_log (at, actor, action, route, subject_kind, subject_id, "
        "institution_id, detail, remote) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    st.bind(1, e.at.empty() ? utc_now_iso() : e.at).bind(2, e.actor).bind(3, e.action);
    st.bind(4, e.route).bind(5, e.subject_kind).bind(6, e.subject_id).bind(7, e.institution_id);
    st.bind(8, e.detail).bind(9, e.remote);
    st.step();
    if (st.rc() != SQLITE_DONE) return c.error("append audit");
    id = sqlite3_last_insert_rowid(c.get());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return id;
}

Result<std::vector<AuditEntry>> SqliteAccountStore::list_audit(const AuditQuery& q) {
  std::lock_guard lock(db_.read_mutex);
  auto st = db_.reader.prepare(
      "SELECT id, at, actor, action, route, subject_kind, subject_id, institution_id, detail, "
      "remote FROM audit_log WHERE (?1 = 0 OR id < ?1) AND (?2 = '' OR actor = ?2) "
      "AND (?3 = '' OR action = ?3) AND (?4 = '' OR subject_kind = ?4) "
      "AND (?5 = 0 OR subject_id = ?5) ORDER BY id DESC LIMIT ?6");
  st.bind(1, q.before_id).bind(2, q.actor).bind(3, q.action).bind(4, q.subject_kind);
  st.bind(5, q.subject_id).bind(6, int64_t{q.limit});
  std::vector<AuditEntry> out;
  while (st.step()) {
    AuditEntry e;
    e.id = st.int64(0);
    e.at = st.text(1);
    e.actor = st.text(2);
    e.action = st.text(3);
    e.route = st.text(4);
    e.subject_kind = st.text(5);
    e.subject_id = st.int64(6);
    e.institution_id = st.int64(7);
    e.detail = st.text(8);
    e.remote = st.text(9);
    out.push_back(std::move(e));
  }
  if (st.rc() != SQLITE_DONE) return db_.reader.error("list audit");
  return out;
}

Status SqliteAccountStore::put_import_file_info(const ImportFileInfo& info) {
  std::string header_text = join_cells(info.header);
  return write("import file info", [&](Connection& c) {
    auto st = c.prepare(
        "INSERT OR REPLACE INTO import_files (import_id, header, format, encoding) "
        "VALUES (?1,?2,?3,?4)");
    st.bind(1, info.import_id).bind(2, header_text);
    st.bind(3, int64_t{info.format}).bind(4, int64_t{info.encoding});
    st.step();
    if (st.rc() != SQLITE_DONE) return c.error("insert import file");
    auto row = c.prepare(
        "INSERT OR REPLACE INTO import_rejection_owners (import_id, row, institution_id) "
        "VALUES (?1,?2,?3)");
    for (const auto& [r, inst] : info.row_institution) {
      row.bind(1, info.import_id).bind(2, int64_t{r}).bind(3, inst);
      row.step();
      if (row.rc() != SQLITE_DONE) return c.error("insert rejection owner");
      row.reset();
    }
    return Status::Ok();
  });
}

Result<ImportFileInfo> SqliteAccountStore::get_import_file_info(int64_t import_id) {
  std::lock_guard lock(db_.read_mutex);
  auto st =
      db_.reader.prepare("SELECT header, format, encoding FROM import_files WHERE import_id = ?1");
  st.bind(1, import_id);
  if (!st.step()) {
    if (st.rc() != SQLITE_DONE) return db_.reader.error("get import file");
    return Status::NotFound("no file information for import " + std::to_string(import_id));
  }
  ImportFileInfo info;
  info.import_id = import_id;
  info.header = split_cells(st.text(0));
  info.format = static_cast<int>(st.int64(1));
  info.encoding = static_cast<int>(st.int64(2));
  auto rows = db_.reader.prepare(
      "SELECT row, institution_id FROM import_rejection_owners WHERE import_id = ?1 ORDER BY row");
  rows.bind(1, import_id);
  while (rows.step()) info.row_institution.emplace_back(rows.int64(0), rows.int64(1));
  if (rows.rc() != SQLITE_DONE) return db_.reader.error("get rejection owners");
  return info;
}

}  // namespace fx::store::sqlite
