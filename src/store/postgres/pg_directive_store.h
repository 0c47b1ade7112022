// DirectiveStore on PostgreSQL: not built yet. Every call answers the named
// error below, so a node on PostgreSQL says plainly that directives (SQLite
// migration 5) need SQLite for now.
#pragma once

#include "store/directive_store.h"

namespace fx::store::postgres {

// "not implemented on the PostgreSQL store yet: directives (…)"; code internal.
Status directives_not_in_postgres_yet();

class PgDirectiveStore final : public DirectiveStore {
 public:
  Result<std::vector<int64_t>> send(const std::vector<NewDirective>&, const std::string&) override {
    return directives_not_in_postgres_yet();
  }
  Result<DirectiveRecord> get(int64_t) override { return directives_not_in_postgres_yet(); }
  Result<std::vector<DirectiveRecord>> list(const std::vector<int64_t>&) override {
    return directives_not_in_postgres_yet();
  }
  Result<std::vector<DirectiveRecord>> list_all(int64_t) override {
    return directives_not_in_postgres_yet();
  }
  Result<std::vector<RecipientRecord>> recipients(const RecipientFilter&) override {
    return directives_not_in_postgres_yet();
  }
  Result<std::vector<DirectiveEvent>> events(int64_t) override {
    return directives_not_in_postgres_yet();
  }
  Status move(const RecipientMove&) override { return directives_not_in_postgres_yet(); }
  Result<bool> escalate(int64_t, const std::string&, const std::string&,
                        const std::string&) override {
    return directives_not_in_postgres_yet();
  }
};

}  // namespace fx::store::postgres
