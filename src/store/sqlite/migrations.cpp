#include "store/sqlite/migrations.h"

namespace fx::store::sqlite {
namespace {

// Times are UTC ISO 8601 text. Sensitive values are sealed blobs with a keyed
// hash for lookups and a masked copy for lists (see core/vault.h).
constexpr const char* kRoster = R"sql(
CREATE TABLE institutions (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  longitude REAL,
  latitude REAL,
  liaison TEXT NOT NULL DEFAULT ''
);
CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  parent_id INTEGER REFERENCES units(id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  UNIQUE (institution_id, path)
);
CREATE TABLE places (
  id INTEGER PRIMARY KEY,
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (institution_id, kind, name)
);
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  institution_id INTEGER NOT NULL REFERENCES institutions(id),
  unit_id INTEGER REFERENCES units(id),
  dorm_id INTEGER REFERENCES places(id),
  person_code TEXT NOT NULL,
  name TEXT NOT NULL,
  gender TEXT NOT NULL DEFAULT '',
  birth_date TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  id_kind TEXT NOT NULL,
  id_hash BLOB NOT NULL,
  id_sealed BLOB NOT NULL,
  id_masked TEXT NOT NULL,
  phone_hash BLOB,
  phone_sealed BLOB,
  phone_masked TEXT NOT NULL DEFAULT '',
  home_compound TEXT NOT NULL DEFAULT '',
  row_hash BLOB NOT NULL
);
-- Named indexes (not inline constraints) so that a bulk import can build
-- them once at the end instead of row by row; see people_indexes.h.
CREATE UNIQUE INDEX people_id_hash ON people(id_hash);
CREATE UNIQUE INDEX people_code ON people(institution_id, person_code);
CREATE INDEX people_phone ON people(phone_hash);
CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  rows INTEGER NOT NULL,
  imported INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  unchanged INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  UNIQUE (kind, sha256)
);
CREATE TABLE import_rejections (
  import_id INTEGER NOT NULL REFERENCES imports(id),
  row INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  reason TEXT NOT NULL,
  cells_sealed BLOB NOT NULL,
  PRIMARY KEY (import_id, row)
) WITHOUT ROWID;
CREATE TABLE changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  institution_id INTEGER NOT NULL DEFAULT 0,
  subject_id INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL DEFAULT '{}'
);
)sql";

// Versions are reserved by area so that parts built side by side never
// collide: 1 roster, 2 accounts and audit, 3 test rounds, 4 tracing,
// 5 command, 6 cases and key people, 7 organisation, 8 inspections, 9 screening, 10 teaching,
// 11 volunteers, 13 key-person categories. A database misses a version only
// when its area landed later: migrate() applies every version not recorded. Each area keeps its SQL
// in migrations_<area>.cpp.
// 14 directive recipient kinds.
const Migration kMigrations[] = {
    {1, kRoster},
    {2, accounts_migration_sql()},
    {3, rounds_migration_sql()},
    {4, tracing_migration_sql()},
    {5, command_migration_sql()},
    {6, tracking_migration_sql()},
    {7, org_migration_sql()},
    {8, inspections_migration_sql()},
    {9, screening_migration_sql()},
    {10, teaching_migration_sql()},
    {11, volunteers_migration_sql()},
    {13, key_categories_migration_sql()},
    {14, recipients_migration_sql()},
    {15, dorms_migration_sql()},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace fx::store::sqlite
