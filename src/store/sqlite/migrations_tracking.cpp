// Migration 6: cases, key people (重点人员) and quarantine sites. (Version 4
// holds the co-presence records; 5 is reserved for command.)
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* tracking_migration_sql() {
  return R"sql(
CREATE TABLE quarantine_sites (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  address TEXT NOT NULL DEFAULT '',
  capacity INTEGER NOT NULL CHECK (capacity >= 0)
);
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL UNIQUE REFERENCES people(id),
  sample_time INTEGER NOT NULL,
  onset_date TEXT NOT NULL DEFAULT '',
  confirmed_at INTEGER NOT NULL,
  isolated_at INTEGER NOT NULL,
  window_from INTEGER NOT NULL,
  policy_id TEXT NOT NULL,
  symptoms TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  from_key_person INTEGER,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE key_people (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL UNIQUE REFERENCES people(id),
  category TEXT NOT NULL CHECK (category IN ('close', 'secondary')),
  status TEXT NOT NULL CHECK (status IN ('quarantined', 'released', 'became_case')),
  policy_id TEXT NOT NULL,
  first_exposure INTEGER NOT NULL,
  last_exposure INTEGER NOT NULL,
  exposure_seconds INTEGER NOT NULL,
  quarantine_kind TEXT NOT NULL,
  site_id INTEGER REFERENCES quarantine_sites(id),
  start_at INTEGER NOT NULL,
  planned_end INTEGER NOT NULL,
  released_at INTEGER,
  plan TEXT NOT NULL,
  transfer TEXT NOT NULL DEFAULT '',
  case_id INTEGER NOT NULL REFERENCES cases(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX key_people_site ON key_people(site_id, status);
CREATE TABLE key_person_sources (
  key_person_id INTEGER NOT NULL REFERENCES key_people(id),
  source_person_id INTEGER NOT NULL REFERENCES people(id),
  seconds INTEGER NOT NULL,
  first INTEGER NOT NULL,
  last INTEGER NOT NULL,
  exposures TEXT NOT NULL,
  PRIMARY KEY (key_person_id, source_person_id)
) WITHOUT ROWID;
CREATE TABLE key_person_tests (
  key_person_id INTEGER NOT NULL REFERENCES key_people(id),
  day INTEGER NOT NULL,
  due_date TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (key_person_id, day)
) WITHOUT ROWID;
)sql";
}

}  // namespace fx::store::sqlite
