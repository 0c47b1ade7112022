// Migration 8 (reserved for inspections): supervision rounds, inspections
// and their checklists, findings with an append-only history and evidence
// files, numbered reminder letters, and on-site supervisors.
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* inspections_migration_sql() {
  return R"sql(
CREATE TABLE inspection_rounds (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (name <> ''),
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (end_date >= start_date)
);
CREATE TABLE inspections (
  id INTEGER PRIMARY KEY,
  round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  inspector TEXT NOT NULL CHECK (inspector <> ''),
  inspected_on TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (round_id, institution_id)
);
CREATE INDEX inspections_institution ON inspections(institution_id);
CREATE TABLE inspection_items (
  inspection_id INTEGER NOT NULL REFERENCES inspections(id),
  position INTEGER NOT NULL,
  item TEXT NOT NULL,
  passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (inspection_id, position)
) WITHOUT ROWID;
CREATE TABLE inspection_findings (
  id INTEGER PRIMARY KEY,
  inspection_id INTEGER NOT NULL REFERENCES inspections(id),
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  category TEXT NOT NULL CHECK (category <> ''),
  severity TEXT NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
  description TEXT NOT NULL CHECK (description <> ''),
  deadline TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'submitted', 'closed')),
  directive_id INTEGER NOT NULL DEFAULT 0,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  closed_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspection_findings_institution ON inspection_findings(institution_id, status);
CREATE INDEX inspection_findings_inspection ON inspection_findings(inspection_id);
CREATE TABLE finding_events (
  id INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL REFERENCES inspection_findings(id),
  action TEXT NOT NULL CHECK (action IN ('opened', 'evidence', 'verified', 'returned')),
  from_status TEXT NOT NULL DEFAULT '',
  to_status TEXT NOT NULL,
  text TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX finding_events_finding ON finding_events(finding_id, id);
CREATE TRIGGER finding_events_append_only BEFORE UPDATE ON finding_events
BEGIN SELECT RAISE(ABORT, 'finding_events is append-only'); END;
CREATE TRIGGER finding_events_no_delete BEFORE DELETE ON finding_events
BEGIN SELECT RAISE(ABORT, 'finding_events is append-only'); END;
CREATE TABLE finding_files (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES finding_events(id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX finding_files_event ON finding_files(event_id);
CREATE TABLE letter_numbers (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
);
CREATE TABLE reminder_letters (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL,
  number INTEGER NOT NULL,
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  title TEXT NOT NULL CHECK (title <> ''),
  body TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (year, number)
);
CREATE TRIGGER reminder_letters_no_delete BEFORE DELETE ON reminder_letters
BEGIN SELECT RAISE(ABORT, 'reminder letters are never deleted'); END;
CREATE TABLE reminder_letter_findings (
  letter_id INTEGER NOT NULL REFERENCES reminder_letters(id),
  finding_id INTEGER NOT NULL REFERENCES inspection_findings(id),
  PRIMARY KEY (letter_id, finding_id)
) WITHOUT ROWID;
CREATE TABLE onsite_supervisors (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (name <> ''),
  organisation TEXT NOT NULL DEFAULT '',
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (end_date = '' OR end_date >= start_date)
);
CREATE INDEX onsite_supervisors_institution ON onsite_supervisors(institution_id);
)sql";
}

}  // namespace fx::store::sqlite
