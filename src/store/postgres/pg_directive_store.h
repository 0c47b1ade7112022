// DirectiveStore on the PostgreSQL store's shared connections. Several nodes
// act on one recipient at once, so a move locks the recipient row
// (SELECT … FOR UPDATE) and checks its state inside the transaction: of two
// nodes moving it from the same state, one wins and the other gets Conflict.
#pragma once

#include "store/directive_store.h"
#include "store/postgres/pg_handles.h"

namespace fx::store::postgres {

class PgDirectiveStore final : public DirectiveStore {
 public:
  explicit PgDirectiveStore(PgHandles& db) : db_(db) {}

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
  Result<PgResult> read(const std::string& sql, const Params& params = {});

  PgHandles& db_;
};

}  // namespace fx::store::postgres
