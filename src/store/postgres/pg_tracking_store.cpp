#include "store/postgres/pg_tracking_store.h"

namespace fx::store::postgres {

Status tracking_not_in_postgres_yet() {
  return Status::Unavailable(
      "not implemented on the PostgreSQL store yet: case tracking (cases, key people, quarantine "
      "sites; schema version 6) is kept by the SQLite store only for now");
}

}  // namespace fx::store::postgres
