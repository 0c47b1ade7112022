#include "store/postgres/pg_account_store.h"

#include "store/sqlite/sqlite_write_tx.h"  // join_cells / split_cells, shared encoding
#include "store/store.h"

namespace fx::store::postgres {
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

constexpr const char* kUserColumns =
    "SELECT id, username, display_name, role, task_group, institution_id, colleges, "
    "password_hash, disabled, created_at, updated_at FROM users ";

UserRecord read_user(const PgResult& r, int i) {
  UserRecord u;
  u.id = r.int64(i, 0);
  u.username = r.text(i, 1);
  u.display_name = r.text(i, 2);
  u.role = r.text(i, 3);
  u.task_group = r.text(i, 4);
  u.institution_id = r.int64(i, 5);
  u.colleges = split_ids(r.text(i, 6));
  u.password_hash = r.text(i, 7);
  u.disabled = r.boolean(i, 8);
  u.created_at = r.text(i, 9);
  u.updated_at = r.text(i, 10);
  return u;
}

constexpr const char* kTokenColumns =
    "SELECT t.id, t.name, t.user_id, u.username, t.scopes, t.token_hash, t.created_at, "
    "t.expires_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id ";

TokenRecord read_token(const PgResult& r, int i) {
  TokenRecord t;
  t.id = r.int64(i, 0);
  t.name = r.text(i, 1);
  t.user_id = r.int64(i, 2);
  t.username = r.text(i, 3);
  t.scopes = split_words(r.text(i, 4));
  copy_hash(r.bytes(i, 5), t.token_hash);
  t.created_at = r.text(i, 6);
  t.expires_at = r.text(i, 7);
  t.revoked_at = r.text(i, 8);
  return t;
}

Result<std::optional<UserRecord>> one_user(const Result<PgResult>& r) {
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<UserRecord>();
  return std::optional<UserRecord>(read_user(*r, 0));
}

}  // namespace

Result<PgResult> PgAccountStore::write(const std::string& sql, const Params& params) {
  std::lock_guard lock(db_.write_mutex);
  FX_RETURN_IF_ERROR(db_.writer.ensure_open());
  return db_.writer.query(sql, params);
}

Result<PgResult> PgAccountStore::read(const std::string& sql, const Params& params) {
  std::lock_guard lock(db_.read_mutex);
  FX_RETURN_IF_ERROR(db_.reader.ensure_open());
  return db_.reader.query(sql, params);
}

Result<int64_t> PgAccountStore::insert_user(const UserRecord& u) {
  Params v;
  v.add(u.username).add(u.display_name).add(u.role).add(u.task_group).add(u.institution_id);
  v.add(join_ids(u.colleges)).add(u.password_hash).add_bool(u.disabled).add(utc_now_iso());
  auto r = write(
      "INSERT INTO users (username, display_name, role, task_group, institution_id, colleges, "
      "password_hash, disabled, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) "
      "RETURNING id",
      v);
  if (!r.ok()) {
    if (r.status().code() == Status::Code::already_exists)
      return Status::AlreadyExists("add user: user name " + u.username + " is taken");
    return Status(r.status().code(), "add user: " + r.status().message());
  }
  return r->int64(0, 0);
}

Status PgAccountStore::update_user(const UserRecord& u) {
  Params v;
  v.add(u.id).add(u.display_name).add(u.role).add(u.task_group).add(u.institution_id);
  v.add(join_ids(u.colleges)).add(u.password_hash).add_bool(u.disabled).add(utc_now_iso());
  auto r = write(
      "UPDATE users SET display_name=$2, role=$3, task_group=$4, institution_id=$5, "
      "colleges=$6, password_hash=$7, disabled=$8, updated_at=$9 WHERE id=$1",
      v);
  if (!r.ok()) return r.status();
  if (r->affected() == 0) return Status::NotFound("update user: no user " + u.username);
  return Status::Ok();
}

Result<std::optional<UserRecord>> PgAccountStore::find_user(const std::string& username) {
  return one_user(read(std::string(kUserColumns) + "WHERE username = $1", Params().add(username)));
}

Result<std::optional<UserRecord>> PgAccountStore::get_user(int64_t id) {
  return one_user(read(std::string(kUserColumns) + "WHERE id = $1", Params().add(id)));
}

Result<std::vector<UserRecord>> PgAccountStore::list_users() {
  auto r = read(std::string(kUserColumns) + "ORDER BY username COLLATE \"C\"", {});
  if (!r.ok()) return r.status();
  std::vector<UserRecord> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(read_user(*r, i));
  return out;
}

Status PgAccountStore::insert_session(const SessionRecord& s) {
  Params v;
  v.add_bytes(s.token_hash.data(), s.token_hash.size()).add(s.user_id).add(s.created_at);
  v.add(s.expires_at);
  auto r = write(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1,$2,$3,$4)", v);
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::optional<SessionRecord>> PgAccountStore::find_session(const Vault::Hash& h) {
  auto r = read("SELECT user_id, created_at, expires_at FROM sessions WHERE token_hash = $1",
                Params().add_bytes(h.data(), h.size()));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<SessionRecord>();
  SessionRecord s;
  s.token_hash = h;
  s.user_id = r->int64(0, 0);
  s.created_at = r->text(0, 1);
  s.expires_at = r->text(0, 2);
  return std::optional<SessionRecord>(std::move(s));
}

Status PgAccountStore::delete_session(const Vault::Hash& h) {
  auto r =
      write("DELETE FROM sessions WHERE token_hash = $1", Params().add_bytes(h.data(), h.size()));
  return r.ok() ? Status::Ok() : r.status();
}

Status PgAccountStore::delete_sessions_of(int64_t user_id) {
  auto r = write("DELETE FROM sessions WHERE user_id = $1", Params().add(user_id));
  return r.ok() ? Status::Ok() : r.status();
}

Result<long> PgAccountStore::count_active_sessions(const std::string& now) {
  auto r = read("SELECT COUNT(*) FROM sessions WHERE expires_at > $1", Params().add(now));
  if (!r.ok()) return r.status();
  return static_cast<long>(r->int64(0, 0));
}

Result<int64_t> PgAccountStore::insert_token(const TokenRecord& t) {
  Params v;
  v.add(t.name).add(t.user_id).add(join_words(t.scopes));
  v.add_bytes(t.token_hash.data(), t.token_hash.size());
  v.add(t.created_at.empty() ? utc_now_iso() : t.created_at).add(t.expires_at);
  auto r = write(
      "INSERT INTO api_tokens (name, user_id, scopes, token_hash, created_at, expires_at) "
      "VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
      v);
  if (!r.ok()) return r.status();
  return r->int64(0, 0);
}

Result<std::optional<TokenRecord>> PgAccountStore::find_token(const Vault::Hash& h) {
  auto r = read(std::string(kTokenColumns) + "WHERE t.token_hash = $1",
                Params().add_bytes(h.data(), h.size()));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<TokenRecord>();
  return std::optional<TokenRecord>(read_token(*r, 0));
}

Result<std::vector<TokenRecord>> PgAccountStore::list_tokens() {
  auto r = read(std::string(kTokenColumns) + "ORDER BY t.id", {});
  if (!r.ok()) return r.status();
  std::vector<TokenRecord> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back(read_token(*r, i));
  return out;
}

Status PgAccountStore::revoke_token(int64_t id, const std::string& at) {
  auto r = write(
      "UPDATE api_tokens SET revoked_at = CASE WHEN revoked_at = '' THEN $2 ELSE revoked_at END "
      "WHERE id = $1",
      Params().add(id).add(at));
  if (!r.ok()) return r.status();
  if (r->affected() == 0) return Status::NotFound("revoke token: no token " + std::to_string(id));
  return Status::Ok();
}

Result<int64_t> PgAccountStore::append_audit(const AuditEntry& e) {
  Params v;
  v.add(e.at.empty() ? utc_now_iso() : e.at).add(e.actor).add(e.action).add(e.route);
  v.add(e.subject_kind).add(e.subject_id).add(e.institution_id).add(e.detail).add(e.remote);
  auto r = write(
      "INSERT INTO audit_log (at, actor, action, route, subject_kind, subject_id, "
      "institution_id, detail, remote) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
      v);
  if (!r.ok()) return r.status();
  return r->int64(0, 0);
}

Result<std::vector<AuditEntry>> PgAccountStore::list_audit(const AuditQuery& q) {
  Params v;
  v.add(q.before_id).add(q.actor).add(q.action).add(q.subject_kind).add(q.subject_id);
  v.add(int64_t{q.limit});
  auto r = read(
      "SELECT id, at, actor, action, route, subject_kind, subject_id, institution_id, detail, "
      "remote FROM audit_log WHERE ($1::bigint = 0 OR id < $1) AND ($2::text = '' OR actor = $2) "
      "AND ($3::text = '' OR action = $3) AND ($4::text = '' OR subject_kind = $4) "
      "AND ($5::bigint = 0 OR subject_id = $5) ORDER BY id DESC LIMIT $6",
      v);
  if (!r.ok()) return r.status();
  std::vector<AuditEntry> out;
  for (int i = 0; i < r->rows(); ++i) {
    AuditEntry e;
    e.id = r->int64(i, 0);
    e.at = r->text(i, 1);
    e.actor = r->text(i, 2);
    e.action = r->text(i, 3);
    e.route = r->text(i, 4);
    e.subject_kind = r->text(i, 5);
    e.subject_id = r->int64(i, 6);
    e.institution_id = r->int64(i, 7);
    e.detail = r->text(i, 8);
    e.remote = r->text(i, 9);
    out.push_back(std::move(e));
  }
  return out;
}

Status PgAccountStore::put_import_file_info(const ImportFileInfo& info) {
  std::lock_guard lock(db_.write_mutex);
  PgConnection& c = db_.writer;
  FX_RETURN_IF_ERROR(c.ensure_open());
  FX_RETURN_IF_ERROR(c.exec("BEGIN"));
  auto body = [&]() -> Status {
    auto r = c.query(
        "INSERT INTO import_files (import_id, header, format, encoding) VALUES ($1,$2,$3,$4) "
        "ON CONFLICT (import_id) DO UPDATE SET header = EXCLUDED.header, "
        "format = EXCLUDED.format, encoding = EXCLUDED.encoding",
        Params()
            .add(info.import_id)
            .add(sqlite::join_cells(info.header))
            .add(int64_t{info.format})
            .add(int64_t{info.encoding}));
    if (!r.ok()) return r.status();
    for (const auto& [row, inst] : info.row_institution) {
      auto o = c.query(
          "INSERT INTO import_rejection_owners (import_id, \"row\", institution_id) "
          "VALUES ($1,$2,$3) ON CONFLICT (import_id, \"row\") DO UPDATE SET "
          "institution_id = EXCLUDED.institution_id",
          Params().add(info.import_id).add(int64_t{row}).add(inst));
      if (!o.ok()) return o.status();
    }
    return c.exec("COMMIT");
  };
  Status s = body();
  if (!s.ok() && !c.broken()) (void)c.exec("ROLLBACK");
  return s;
}

Result<ImportFileInfo> PgAccountStore::get_import_file_info(int64_t import_id) {
  auto r = read("SELECT header, format, encoding FROM import_files WHERE import_id = $1",
                Params().add(import_id));
  if (!r.ok()) return r.status();
  if (r->rows() == 0)
    return Status::NotFound("no file information for import " + std::to_string(import_id));
  ImportFileInfo info;
  info.import_id = import_id;
  info.header = sqlite::split_cells(r->text(0, 0));
  info.format = static_cast<int>(r->int64(0, 1));
  info.encoding = static_cast<int>(r->int64(0, 2));
  auto rows = read(
      "SELECT \"row\", institution_id FROM import_rejection_owners WHERE import_id = $1 "
      "ORDER BY \"row\"",
      Params().add(import_id));
  if (!rows.ok()) return rows.status();
  for (int i = 0; i < rows->rows(); ++i)
    info.row_institution.emplace_back(rows->int64(i, 0), rows->int64(i, 1));
  return info;
}

}  // namespace fx::store::postgres
