// Migration 15: dorm assignment periods — which room a person slept in from
// which night to which (students move; people.dorm_id keeps only the roster's
// current room). docs/schema.md describes the table.
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* dorms_migration_sql() {
  return R"sql(
CREATE TABLE dorm_assignments (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  place_id INTEGER NOT NULL REFERENCES places(id),
  date_from TEXT NOT NULL,
  date_to TEXT CHECK (date_to IS NULL OR date_to >= date_from),
  import_id INTEGER NOT NULL REFERENCES imports(id)
);
CREATE INDEX dorm_assignments_person ON dorm_assignments(person_id, date_from);
CREATE INDEX dorm_assignments_place ON dorm_assignments(place_id);
)sql";
}

}  // namespace fx::store::sqlite
