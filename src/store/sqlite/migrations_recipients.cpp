// Migration 14: a directive goes to institutions, task groups or liaisons.
// Each recipient row gets a kind and exactly one of institution_id, group_id
// (org_groups) or user_id (the liaison's account); existing rows become kind
// institution. SQLite cannot drop a NOT NULL, so directive_recipients and
// the three tables that reference it are rebuilt under new names and renamed
// back, as migration 13 did (renaming rewrites the children's REFERENCES).
// The new columns go last so both backends list the same columns in order.
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* recipients_migration_sql() {
  return R"sql(
CREATE TABLE directive_recipients_v14 (
  id INTEGER PRIMARY KEY,
  directive_id INTEGER NOT NULL REFERENCES directives(id),
  institution_id INTEGER REFERENCES institutions(id),
  state TEXT NOT NULL
    CHECK (state IN ('delivered', 'read', 'acknowledged', 'done', 'accepted')),
  delivered_at TEXT NOT NULL,
  read_at TEXT NOT NULL DEFAULT '',
  acknowledged_at TEXT NOT NULL DEFAULT '',
  done_at TEXT NOT NULL DEFAULT '',
  accepted_at TEXT NOT NULL DEFAULT '',
  feedback TEXT NOT NULL DEFAULT '',
  return_reason TEXT NOT NULL DEFAULT '',
  returns INTEGER NOT NULL DEFAULT 0,
  escalated_at TEXT NOT NULL DEFAULT '',
  escalated_to TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'institution' CHECK (kind IN ('institution', 'group', 'liaison')),
  group_id INTEGER REFERENCES org_groups(id),
  user_id INTEGER REFERENCES users(id),
  UNIQUE (directive_id, institution_id),
  CHECK ((kind = 'institution') = (institution_id IS NOT NULL) AND
         (kind = 'group') = (group_id IS NOT NULL) AND
         (kind = 'liaison') = (user_id IS NOT NULL))
);
INSERT INTO directive_recipients_v14 SELECT id, directive_id, institution_id, state,
  delivered_at, read_at, acknowledged_at, done_at, accepted_at, feedback, return_reason, returns,
  escalated_at, escalated_to, updated_at, 'institution', NULL, NULL FROM directive_recipients;
CREATE TABLE directive_people_v14 (
  recipient_id INTEGER NOT NULL REFERENCES directive_recipients_v14(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  PRIMARY KEY (recipient_id, person_id)
) WITHOUT ROWID;
INSERT INTO directive_people_v14 SELECT * FROM directive_people;
CREATE TABLE directive_events_v14 (
  id INTEGER PRIMARY KEY,
  recipient_id INTEGER NOT NULL REFERENCES directive_recipients_v14(id),
  action TEXT NOT NULL,
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
INSERT INTO directive_events_v14 SELECT * FROM directive_events;
CREATE TABLE directive_files_v14 (
  id INTEGER PRIMARY KEY,
  directive_id INTEGER NOT NULL REFERENCES directives(id),
  recipient_id INTEGER REFERENCES directive_recipients_v14(id),
  name TEXT NOT NULL CHECK (name <> ''),
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  sha256 TEXT NOT NULL,
  data BLOB NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
INSERT INTO directive_files_v14 SELECT * FROM directive_files;
DROP TABLE directive_files;
DROP TABLE directive_events;
DROP TABLE directive_people;
DROP TABLE directive_recipients;
ALTER TABLE directive_recipients_v14 RENAME TO directive_recipients;
ALTER TABLE directive_people_v14 RENAME TO directive_people;
ALTER TABLE directive_events_v14 RENAME TO directive_events;
ALTER TABLE directive_files_v14 RENAME TO directive_files;
CREATE INDEX directive_recipients_inst ON directive_recipients(institution_id, state);
CREATE UNIQUE INDEX directive_recipients_group ON directive_recipients(group_id, directive_id);
CREATE UNIQUE INDEX directive_recipients_liaison ON directive_recipients(user_id, directive_id);
CREATE INDEX directive_events_recipient ON directive_events(recipient_id, id);
CREATE TRIGGER directive_events_append_only BEFORE UPDATE ON directive_events
BEGIN SELECT RAISE(ABORT, 'directive_events is append-only'); END;
CREATE TRIGGER directive_events_no_delete BEFORE DELETE ON directive_events
BEGIN SELECT RAISE(ABORT, 'directive_events is append-only'); END;
CREATE INDEX directive_files_directive ON directive_files(directive_id, id);
CREATE TRIGGER directive_files_append_only BEFORE UPDATE ON directive_files
BEGIN SELECT RAISE(ABORT, 'directive_files is append-only'); END;
CREATE TRIGGER directive_files_no_delete BEFORE DELETE ON directive_files
BEGIN SELECT RAISE(ABORT, 'directive_files is append-only'); END;
)sql";
}

}  // namespace fx::store::sqlite
