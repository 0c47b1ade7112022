// Migration 5 (reserved for command): directives (指令), their recipients,
// the people an automatic directive lists, and the append-only history.
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* command_migration_sql() {
  return R"sql(
CREATE TABLE directives (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL CHECK (title <> ''),
  body TEXT NOT NULL DEFAULT '',
  priority TEXT NOT NULL CHECK (priority IN ('normal', 'urgent', 'critical')),
  deadline TEXT NOT NULL DEFAULT '',
  sender TEXT NOT NULL,
  sender_group TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT 'manual',
  source_id INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE directive_recipients (
  id INTEGER PRIMARY KEY,
  directive_id INTEGER NOT NULL REFERENCES directives(id),
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
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
  UNIQUE (directive_id, institution_id)
);
CREATE INDEX directive_recipients_inst ON directive_recipients(institution_id, state);
CREATE TABLE directive_people (
  recipient_id INTEGER NOT NULL REFERENCES directive_recipients(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  PRIMARY KEY (recipient_id, person_id)
) WITHOUT ROWID;
CREATE TABLE directive_events (
  id INTEGER PRIMARY KEY,
  recipient_id INTEGER NOT NULL REFERENCES directive_recipients(id),
  action TEXT NOT NULL,
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX directive_events_recipient ON directive_events(recipient_id, id);
CREATE TRIGGER directive_events_append_only BEFORE UPDATE ON directive_events
BEGIN SELECT RAISE(ABORT, 'directive_events is append-only'); END;
CREATE TRIGGER directive_events_no_delete BEFORE DELETE ON directive_events
BEGIN SELECT RAISE(ABORT, 'directive_events is append-only'); END;
)sql";
}

}  // namespace fx::store::sqlite
