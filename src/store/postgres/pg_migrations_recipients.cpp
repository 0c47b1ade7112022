// Migration 14: a directive goes to institutions, task groups or liaisons.
// Each recipient row gets a kind and exactly one of institution_id, group_id
// (org_groups) or user_id (the liaison's account); existing rows become kind
// institution. The UNIQUE (directive_id, institution_id) of migration 5 still
// holds for institution rows (NULLs are distinct); groups and liaisons get
// their own.
#include "store/postgres/pg_migrations.h"

namespace fx::store::postgres {

const char* recipients_migration_sql() {
  return R"sql(
ALTER TABLE directive_recipients ALTER COLUMN institution_id DROP NOT NULL;
ALTER TABLE directive_recipients
  ADD COLUMN kind TEXT NOT NULL DEFAULT 'institution'
    CHECK (kind IN ('institution', 'group', 'liaison')),
  ADD COLUMN group_id BIGINT REFERENCES org_groups(id),
  ADD COLUMN user_id BIGINT REFERENCES users(id),
  ADD CONSTRAINT directive_recipients_one_target CHECK (
    (kind = 'institution') = (institution_id IS NOT NULL) AND
    (kind = 'group') = (group_id IS NOT NULL) AND
    (kind = 'liaison') = (user_id IS NOT NULL));
CREATE UNIQUE INDEX directive_recipients_group ON directive_recipients(group_id, directive_id);
CREATE UNIQUE INDEX directive_recipients_liaison ON directive_recipients(user_id, directive_id);
)sql";
}

}  // namespace fx::store::postgres
