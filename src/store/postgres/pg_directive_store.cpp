#include "store/postgres/pg_directive_store.h"

namespace fx::store::postgres {

Status directives_not_in_postgres_yet() {
  return Status::Internal(
      "not implemented on the PostgreSQL store yet: directives (指令: recipients, history, "
      "escalation; SQLite schema version 5) are kept by the SQLite store only for now");
}

}  // namespace fx::store::postgres
