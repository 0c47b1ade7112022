// Migration 3: test rounds (核酸检测轮次), tubes, samples, lab results, the
// conflicts imports flag for review and the corrections made to results.
#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {

const char* rounds_migration_sql() {
  return R"sql(
CREATE TABLE rounds (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  date TEXT NOT NULL,
  pool_size INTEGER NOT NULL CHECK (pool_size IN (1, 5, 10, 20)),
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('all', 'institutions', 'units', 'people')),
  scope_ids TEXT NOT NULL DEFAULT '',
  deadline TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  closed_at TEXT NOT NULL DEFAULT '',
  closed_by TEXT NOT NULL DEFAULT '',
  due_count INTEGER NOT NULL,
  -- The people in scope at the round's start: sorted people ids, each stored
  -- as the varint of its difference from the previous one.
  due_people BLOB NOT NULL
);
CREATE TABLE round_exemptions (
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  reason TEXT NOT NULL CHECK (reason IN ('in_hospital', 'already_case', 'left')),
  note TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  PRIMARY KEY (round_id, person_id)
) WITHOUT ROWID;
CREATE TABLE round_tubes (
  id INTEGER PRIMARY KEY,
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  code TEXT NOT NULL UNIQUE
);
CREATE INDEX round_tubes_round ON round_tubes(round_id);
CREATE TABLE round_samples (
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  tube_id INTEGER NOT NULL REFERENCES round_tubes(id),
  sampled_at TEXT NOT NULL,
  site TEXT NOT NULL DEFAULT '',
  import_id INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL,
  PRIMARY KEY (round_id, person_id, tube_id)
) WITHOUT ROWID;
CREATE TABLE round_results (
  tube_id INTEGER PRIMARY KEY REFERENCES round_tubes(id),
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  result TEXT NOT NULL CHECK (result IN ('negative', 'positive', 'invalid')),
  lab TEXT NOT NULL DEFAULT '',
  reported_at TEXT NOT NULL,
  ct TEXT NOT NULL DEFAULT '',
  late INTEGER NOT NULL DEFAULT 0,
  import_id INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX round_results_round ON round_results(round_id);
CREATE TABLE round_conflicts (
  id INTEGER PRIMARY KEY,
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  kind TEXT NOT NULL,
  tube_code TEXT NOT NULL,
  row INTEGER NOT NULL DEFAULT 0,
  import_id INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL,
  at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolved_by TEXT NOT NULL DEFAULT '',
  resolution TEXT NOT NULL DEFAULT ''
);
CREATE INDEX round_conflicts_round ON round_conflicts(round_id, tube_code);
CREATE TABLE round_corrections (
  id INTEGER PRIMARY KEY,
  round_id INTEGER NOT NULL REFERENCES rounds(id),
  tube_id INTEGER NOT NULL REFERENCES round_tubes(id),
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason <> ''),
  at TEXT NOT NULL
);
-- Corrections are the audit trail of results: never changed or removed.
CREATE TRIGGER round_corrections_no_update BEFORE UPDATE ON round_corrections
BEGIN SELECT RAISE(ABORT, 'round_corrections is append-only'); END;
CREATE TRIGGER round_corrections_no_delete BEFORE DELETE ON round_corrections
BEGIN SELECT RAISE(ABORT, 'round_corrections is append-only'); END;
)sql";
}

}  // namespace fx::store::sqlite
