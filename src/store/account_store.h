// AccountStore: accounts, sessions, API tokens and the audit log.
//
// Reached through Store::accounts(). Secrets are never stored: sessions and
// tokens are kept as keyed hashes (Vault::hash) of the value the client holds,
// passwords as argon2id strings. The audit log is append-only: there is no
// method to change or remove an entry, and the SQLite schema refuses it.
// Every write method is one transaction of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/vault.h"

namespace fx::store {

struct UserRecord {
  int64_t id = 0;
  std::string username;           // unique; [a-z0-9._-], 2–64 characters
  std::string display_name;       // shown in the dashboard
  std::string role;               // "command", "group", "institution", "liaison", "viewer"
  std::string task_group;         // for role "group": one of the six task groups
  int64_t institution_id = 0;     // for role "institution"
  std::vector<int64_t> colleges;  // for role "liaison": institution ids
  std::string password_hash;      // crypto_pwhash_str output (argon2id)
  bool disabled = false;
  std::string created_at, updated_at;  // UTC, ISO 8601
};

struct SessionRecord {
  Vault::Hash token_hash{};  // keyed hash of the cookie value
  int64_t user_id = 0;
  std::string created_at, expires_at;  // UTC, ISO 8601
};

struct TokenRecord {
  int64_t id = 0;
  std::string name;  // what the token is for ("实验室 A 结果上传")
  int64_t user_id = 0;
  std::string username;             // filled by reads
  std::vector<std::string> scopes;  // permission names the token is limited to
  Vault::Hash token_hash{};
  std::string created_at, expires_at, revoked_at;  // empty: never / not revoked
};

struct AuditEntry {
  int64_t id = 0;
  std::string at;            // UTC, ISO 8601 (set by the store when empty)
  std::string actor;         // user name, "token:<id>", or "cli"
  std::string action;        // "person.read", "login.failed", "user.add", …
  std::string route;         // "GET /api/v1/people/{id}", or "cli user add"
  std::string subject_kind;  // "person", "user", "token", "import", …
  int64_t subject_id = 0;
  int64_t institution_id = 0;  // of the subject, 0 when none
  std::string detail;          // short text, never an ID number or phone
  std::string remote;          // client address, empty from the CLI
};

struct AuditQuery {
  int64_t before_id = 0;  // 0: newest first from the end
  int limit = 100;
  std::string actor;  // filters; empty: any
  std::string action;
  std::string subject_kind;
  int64_t subject_id = 0;
};

// What an import through the server knew about its file, so that its
// rejected rows can be scoped to institutions and written back as a file.
struct ImportFileInfo {
  int64_t import_id = 0;
  std::vector<std::string> header;
  int format = 0;    // ingest::FileFormat
  int encoding = 0;  // ingest::TextEncoding
  std::vector<std::pair<long, int64_t>>
      row_institution;  // rejected row → institution id (0: unknown)
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Users. insert_user fails with AlreadyExists when the user name is taken.
  virtual Result<int64_t> insert_user(const UserRecord& user) = 0;
  // Replaces every field of the user with this id; NotFound when absent.
  virtual Status update_user(const UserRecord& user) = 0;
  virtual Result<std::optional<UserRecord>> find_user(const std::string& username) = 0;
  virtual Result<std::optional<UserRecord>> get_user(int64_t id) = 0;
  virtual Result<std::vector<UserRecord>> list_users() = 0;  // by user name

  // Sessions.
  virtual Status insert_session(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> find_session(const Vault::Hash& token_hash) = 0;
  virtual Status delete_session(const Vault::Hash& token_hash) = 0;
  virtual Status delete_sessions_of(int64_t user_id) = 0;
  // Sessions whose expiry is after `now` (ISO 8601); expired ones are purged.
  virtual Result<long> count_active_sessions(const std::string& now) = 0;

  // API tokens.
  virtual Result<int64_t> insert_token(const TokenRecord& token) = 0;
  virtual Result<std::optional<TokenRecord>> find_token(const Vault::Hash& token_hash) = 0;
  virtual Result<std::vector<TokenRecord>> list_tokens() = 0;  // by id
  // Marks a token revoked at `at`; NotFound when there is no such token.
  virtual Status revoke_token(int64_t id, const std::string& at) = 0;

  // The audit log: append and read, nothing else.
  virtual Result<int64_t> append_audit(const AuditEntry& entry) = 0;
  virtual Result<std::vector<AuditEntry>> list_audit(const AuditQuery& query) = 0;  // newest first

  // Import file information (see ImportFileInfo); get is NotFound when none was kept.
  virtual Status put_import_file_info(const ImportFileInfo& info) = 0;
  virtual Result<ImportFileInfo> get_import_file_info(int64_t import_id) = 0;
};

}  // namespace fx::store
