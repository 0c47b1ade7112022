// Migration 4: the tracing area — co-presence records (timetable entries,
// card swipes, pairwise contacts) that app/trace_loader turns into the
// tracing engine's input. docs/schema.md describes the tables.
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* tracing_migration_sql() {
  return R"sql(
CREATE TABLE timetable_entries (
  id INTEGER PRIMARY KEY,
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  course TEXT NOT NULL DEFAULT '',
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440 AND end_minute > start_minute),
  place_id INTEGER NOT NULL REFERENCES places(id),
  date_from TEXT NOT NULL,
  date_to TEXT NOT NULL CHECK (date_to >= date_from),
  import_id INTEGER NOT NULL REFERENCES imports(id)
);
CREATE INDEX timetable_entries_unit ON timetable_entries(unit_id);
CREATE INDEX timetable_entries_place ON timetable_entries(place_id);
-- Card swipes: the bulk of presence (about 10 million rows for a district's
-- month). A rowid table filled in file order; the loader scans it whole.
CREATE TABLE swipes (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL,
  place_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  import_id INTEGER NOT NULL
);
CREATE INDEX swipes_person_at ON swipes(person_id, at);
CREATE TABLE pair_contacts (
  id INTEGER PRIMARY KEY,
  person_a INTEGER NOT NULL REFERENCES people(id),
  person_b INTEGER NOT NULL REFERENCES people(id),
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL CHECK (end_at > start_at),
  setting TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL CHECK (source IN ('investigator', 'sensor')),
  import_id INTEGER NOT NULL REFERENCES imports(id),
  CHECK (person_a <> person_b)
);
CREATE INDEX pair_contacts_a ON pair_contacts(person_a, start_at);
CREATE INDEX pair_contacts_b ON pair_contacts(person_b, start_at);
)sql";
}

}  // namespace fx::store::sqlite
