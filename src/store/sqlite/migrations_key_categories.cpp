// Migration 13: the key-person categories no trace finds — risk-area
// returnees and symptomatic people — which have no case (case_id NULL) and a
// free-text area (the risk area, or the symptoms). SQLite cannot alter a
// CHECK or NOT NULL, so key_people and its two child tables are rebuilt under
// new names and renamed back (renaming rewrites the children's REFERENCES).
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* key_categories_migration_sql() {
  return R"sql(
CREATE TABLE key_people_v13 (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL UNIQUE REFERENCES people(id),
  category TEXT NOT NULL CHECK (category IN ('close', 'secondary', 'returnee', 'symptomatic')),
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
  case_id INTEGER REFERENCES cases(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  area TEXT NOT NULL DEFAULT ''
);
INSERT INTO key_people_v13 SELECT id, person_id, category, status, policy_id, first_exposure,
  last_exposure, exposure_seconds, quarantine_kind, site_id, start_at, planned_end, released_at,
  plan, transfer, case_id, created_at, updated_at, '' FROM key_people;
CREATE TABLE key_person_sources_v13 (
  key_person_id INTEGER NOT NULL REFERENCES key_people_v13(id),
  source_person_id INTEGER NOT NULL REFERENCES people(id),
  seconds INTEGER NOT NULL,
  first INTEGER NOT NULL,
  last INTEGER NOT NULL,
  exposures TEXT NOT NULL,
  PRIMARY KEY (key_person_id, source_person_id)
) WITHOUT ROWID;
INSERT INTO key_person_sources_v13 SELECT * FROM key_person_sources;
CREATE TABLE key_person_tests_v13 (
  key_person_id INTEGER NOT NULL REFERENCES key_people_v13(id),
  day INTEGER NOT NULL,
  due_date TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (key_person_id, day)
) WITHOUT ROWID;
INSERT INTO key_person_tests_v13 SELECT * FROM key_person_tests;
DROP TABLE key_person_sources;
DROP TABLE key_person_tests;
DROP TABLE key_people;
ALTER TABLE key_people_v13 RENAME TO key_people;
ALTER TABLE key_person_sources_v13 RENAME TO key_person_sources;
ALTER TABLE key_person_tests_v13 RENAME TO key_person_tests;
CREATE INDEX key_people_site ON key_people(site_id, status);
CREATE INDEX key_people_case ON key_people(case_id);
)sql";
}

}  // namespace fx::store::sqlite
