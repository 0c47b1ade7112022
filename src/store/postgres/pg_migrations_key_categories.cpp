// Migration 13: risk-area returnees and symptomatic people in key_people —
// no case (case_id NULL) and a free-text area (the risk area, or the
// symptoms). As SQLite's migration 13.
#include "store/postgres/pg_migrations.h"

namespace fx::store::postgres {

const char* key_categories_migration_sql() {
  return R"sql(
ALTER TABLE key_people DROP CONSTRAINT key_people_category_check;
ALTER TABLE key_people ADD CONSTRAINT key_people_category_check
  CHECK (category IN ('close', 'secondary', 'returnee', 'symptomatic'));
ALTER TABLE key_people ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE key_people ADD COLUMN area TEXT NOT NULL DEFAULT '';
)sql";
}

}  // namespace fx::store::postgres
