// Migration 2: accounts, sessions, API tokens, the audit log, and what an
// import through the server knew about its file.
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* accounts_migration_sql() {
  return R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('command', 'group', 'institution', 'liaison', 'viewer')),
  task_group TEXT NOT NULL DEFAULT '',
  institution_id INTEGER NOT NULL DEFAULT 0,
  colleges TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- Sessions and tokens: keyed hashes of what the client holds, never the value.
CREATE TABLE sessions (
  token_hash BLOB PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  scopes TEXT NOT NULL,
  token_hash BLOB NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL DEFAULT '',
  revoked_at TEXT NOT NULL DEFAULT ''
);
-- Append-only: the triggers refuse any change or removal.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  route TEXT NOT NULL DEFAULT '',
  subject_kind TEXT NOT NULL DEFAULT '',
  subject_id INTEGER NOT NULL DEFAULT 0,
  institution_id INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL DEFAULT '',
  remote TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_subject ON audit_log(subject_kind, subject_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE import_files (
  import_id INTEGER PRIMARY KEY REFERENCES imports(id),
  header TEXT NOT NULL,
  format INTEGER NOT NULL,
  encoding INTEGER NOT NULL
);
CREATE TABLE import_rejection_owners (
  import_id INTEGER NOT NULL REFERENCES imports(id),
  row INTEGER NOT NULL,
  institution_id INTEGER NOT NULL,
  PRIMARY KEY (import_id, row)
) WITHOUT ROWID;
)sql";
}

}  // namespace fx::store::sqlite
