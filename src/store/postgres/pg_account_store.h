// AccountStore on the PostgreSQL store's shared connections.
#pragma once

#include "store/account_store.h"
#include "store/postgres/pg_handles.h"

namespace fx::store::postgres {

class PgAccountStore final : public AccountStore {
 public:
  explicit PgAccountStore(PgHandles& db) : db_(db) {}

  Result<int64_t> insert_user(const UserRecord& user) override;
  Status update_user(const UserRecord& user) override;
  Result<std::optional<UserRecord>> find_user(const std::string& username) override;
  Result<std::optional<UserRecord>> get_user(int64_t id) override;
  Result<std::vector<UserRecord>> list_users() override;
  Status insert_session(const SessionRecord& session) override;
  Result<std::optional<SessionRecord>> find_session(const Vault::Hash& token_hash) override;
  Status delete_session(const Vault::Hash& token_hash) override;
  Status delete_sessions_of(int64_t user_id) override;
  Result<long> count_active_sessions(const std::string& now) override;
  Result<int64_t> insert_token(const TokenRecord& token) override;
  Result<std::optional<TokenRecord>> find_token(const Vault::Hash& token_hash) override;
  Result<std::vector<TokenRecord>> list_tokens() override;
  Status revoke_token(int64_t id, const std::string& at) override;
  Result<int64_t> append_audit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> list_audit(const AuditQuery& query) override;
  Status put_import_file_info(const ImportFileInfo& info) override;
  Result<ImportFileInfo> get_import_file_info(int64_t import_id) override;

 private:
  // One statement as its own transaction on the writer (autocommit).
  Result<PgResult> write(const std::string& sql, const Params& params);
  Result<PgResult> read(const std::string& sql, const Params& params);

  PgHandles& db_;
};

}  // namespace fx::store::postgres
