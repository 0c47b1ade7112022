// Migrations 10 (teaching continuity, 线上教学) and 11 (front-line volunteers,
// 支援一线), reserved for the teaching area. docs/schema.md describes them.
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* teaching_migration_sql() {
  return R"sql(
CREATE TABLE class_days (
  id INTEGER PRIMARY KEY,
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  day TEXT NOT NULL,
  expected INTEGER NOT NULL CHECK (expected >= 0),
  attending INTEGER NOT NULL CHECK (attending >= 0 AND attending <= expected),
  note TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (unit_id, day)
);
CREATE INDEX class_days_inst ON class_days(institution_id, day);
CREATE TABLE access_issues (
  id INTEGER PRIMARY KEY,
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  day TEXT NOT NULL,
  problem TEXT NOT NULL CHECK (problem IN ('device', 'network')),
  action TEXT NOT NULL DEFAULT '',
  resolved INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1)),
  actor TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (person_id, problem)
);
CREATE INDEX access_issues_inst ON access_issues(institution_id);
CREATE TABLE care_list (
  id INTEGER PRIMARY KEY,
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  category TEXT NOT NULL
    CHECK (category IN ('frontline_child', 'hardship', 'left_behind', 'struggling')),
  teacher_id INTEGER REFERENCES people(id),
  note TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (person_id, category)
);
CREATE INDEX care_list_inst ON care_list(institution_id);
CREATE TABLE spot_checks (
  id INTEGER PRIMARY KEY,
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  caller TEXT NOT NULL CHECK (caller <> ''),
  called_at TEXT NOT NULL,
  satisfaction INTEGER NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
  notes TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX spot_checks_inst ON spot_checks(institution_id);
CREATE TABLE research_activities (
  id INTEGER PRIMARY KEY,
  level TEXT NOT NULL CHECK (level IN ('district', 'school')),
  institution_id INTEGER REFERENCES institutions(id),
  kind TEXT NOT NULL CHECK (kind IN ('research', 'observation', 'preparation', 'training')),
  subject TEXT NOT NULL DEFAULT '',
  day TEXT NOT NULL,
  count INTEGER NOT NULL CHECK (count >= 1),
  title TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((level = 'district') = (institution_id IS NULL))
);
CREATE TABLE teaching_revisions (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  previous TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX teaching_revisions_record ON teaching_revisions(kind, record_id, id);
CREATE TRIGGER teaching_revisions_append_only BEFORE UPDATE ON teaching_revisions
BEGIN SELECT RAISE(ABORT, 'teaching_revisions is append-only'); END;
CREATE TRIGGER teaching_revisions_no_delete BEFORE DELETE ON teaching_revisions
BEGIN SELECT RAISE(ABORT, 'teaching_revisions is append-only'); END;
)sql";
}

const char* volunteers_migration_sql() {
  return R"sql(
CREATE TABLE volunteer_sites (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (name <> ''),
  kind TEXT NOT NULL CHECK (kind IN ('hotel', 'community', 'test_site')),
  address TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE volunteer_shifts (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  site_id INTEGER NOT NULL REFERENCES volunteer_sites(id),
  role TEXT NOT NULL DEFAULT '',
  start_at TEXT NOT NULL,
  end_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (end_at > start_at)
);
CREATE INDEX volunteer_shifts_person ON volunteer_shifts(person_id, start_at);
CREATE INDEX volunteer_shifts_inst ON volunteer_shifts(institution_id, start_at);
CREATE TABLE volunteer_revisions (
  id INTEGER PRIMARY KEY,
  shift_id INTEGER NOT NULL REFERENCES volunteer_shifts(id),
  previous TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX volunteer_revisions_shift ON volunteer_revisions(shift_id, id);
CREATE TRIGGER volunteer_revisions_append_only BEFORE UPDATE ON volunteer_revisions
BEGIN SELECT RAISE(ABORT, 'volunteer_revisions is append-only'); END;
CREATE TRIGGER volunteer_revisions_no_delete BEFORE DELETE ON volunteer_revisions
BEGIN SELECT RAISE(ABORT, 'volunteer_revisions is append-only'); END;
)sql";
}

}  // namespace fx::store::sqlite
