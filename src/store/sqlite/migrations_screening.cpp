// Migration 9 (reserved for screening): home-bound people (居家人员), their
// daily reports and the reports' earlier versions. Symptomatic people go on
// the tracking table through migration 13's key-person categories.
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* screening_migration_sql() {
  return R"sql(
CREATE TABLE home_bound (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL CHECK (to_date >= from_date),
  reason TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL CHECK (source IN ('api', 'file', 'generator', 'tracking')),
  key_person_id INTEGER NOT NULL DEFAULT 0,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX home_bound_person ON home_bound(person_id, from_date);
-- Covers the day's table: per institution, the ranges and their people.
CREATE INDEX home_bound_day ON home_bound(institution_id, from_date, to_date, person_id);
CREATE INDEX home_bound_key ON home_bound(key_person_id) WHERE key_person_id <> 0;
CREATE TABLE screening_reports (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  day TEXT NOT NULL,
  temperature INTEGER NOT NULL CHECK (temperature BETWEEN 340 AND 425),
  symptoms TEXT NOT NULL DEFAULT '',
  symptom_note TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  at_home INTEGER NOT NULL CHECK (at_home IN (0, 1)),
  reporter TEXT NOT NULL CHECK (reporter IN ('self', 'parent', 'teacher')),
  abnormal INTEGER NOT NULL CHECK (abnormal IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 1,
  actor TEXT NOT NULL,
  reported_at TEXT NOT NULL,
  UNIQUE (person_id, day)
);
CREATE INDEX screening_reports_day ON screening_reports(day, institution_id, abnormal);
CREATE TABLE screening_report_history (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES screening_reports(id),
  version INTEGER NOT NULL,
  temperature INTEGER NOT NULL,
  symptoms TEXT NOT NULL,
  symptom_note TEXT NOT NULL,
  location TEXT NOT NULL,
  at_home INTEGER NOT NULL,
  reporter TEXT NOT NULL,
  abnormal INTEGER NOT NULL,
  actor TEXT NOT NULL,
  reported_at TEXT NOT NULL,
  replaced_at TEXT NOT NULL,
  replaced_by TEXT NOT NULL,
  UNIQUE (report_id, version)
);
CREATE TRIGGER screening_report_history_append_only BEFORE UPDATE ON screening_report_history
BEGIN SELECT RAISE(ABORT, 'screening_report_history is append-only'); END;
CREATE TRIGGER screening_report_history_no_delete BEFORE DELETE ON screening_report_history
BEGIN SELECT RAISE(ABORT, 'screening_report_history is append-only'); END;

)sql";
}

}  // namespace fx::store::sqlite
