// DirectiveStore on the SQLite store's shared connections.
#pragma once

#include "store/directive_store.h"
#include "store/sqlite/sqlite_handles.h"

namespace fx::store::sqlite {

class SqliteDirectiveStore final : public DirectiveStore {
 public:
  explicit SqliteDirectiveStore(SqliteHandles& db) : db_(db) {}

  Result<std::vector<int64_t>> send(const std::vector<NewDirective>& directives,
                                    const std::string& actor) override;
  Result<DirectiveRecord> get(int64_t id) override;
  Result<std::vector<DirectiveRecord>> list(const std::vector<int64_t>& ids) override;
  Result<std::vector<DirectiveRecord>> list_all(int64_t institution_id) override;
  Result<std::vector<RecipientRecord>> recipients(const RecipientFilter& filter) override;
  Result<std::vector<DirectiveEvent>> events(int64_t directive_id) override;
  Status move(const RecipientMove& move) override;
  Result<bool> escalate(int64_t recipient_id, const std::string& to, const std::string& at,
                        const std::string& actor) override;
  Result<int64_t> add_file(const DirectiveFile& file) override;
  Result<std::vector<DirectiveFile>> files(int64_t directive_id) override;
  Result<DirectiveFile> get_file(int64_t id) override;

 private:
  SqliteHandles& db_;
};

}  // namespace fx::store::sqlite
