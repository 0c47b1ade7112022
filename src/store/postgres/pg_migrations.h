// The PostgreSQL schema as numbered migrations, numbered as the SQLite ones
// (1 roster, 2 accounts, 3 test rounds, 4 tracing, 5 command, 6 cases and
// key people) so that a database of either kind holding version N has the
// same tables. A version may be missing (its area landed later): migrate()
// applies every version not recorded, not only those above the highest.
#pragma once

#include <span>

namespace fx::store::postgres {

struct Migration {
  int version;
  const char* sql;
};

// In order; each is applied once, in its own transaction, and recorded in
// schema_migrations. Never edit a released migration: add the next one.
std::span<const Migration> migrations();

const char* roster_migration_sql();          // version 1
const char* accounts_migration_sql();        // version 2
const char* rounds_migration_sql();          // version 3
const char* tracing_migration_sql();         // version 4
const char* command_migration_sql();         // version 5: directives
const char* tracking_migration_sql();        // version 6: cases and key people
const char* org_migration_sql();             // version 7: task groups, members, liaisons
const char* inspections_migration_sql();     // version 8: inspections and rectification
const char* screening_migration_sql();       // version 9: home-bound screening
const char* teaching_migration_sql();        // version 10: teaching continuity
const char* volunteers_migration_sql();      // version 11: front-line volunteers
const char* key_categories_migration_sql();  // version 13: returnees, symptomatic people
const char* recipients_migration_sql();      // version 14: directives to groups, liaisons
const char* dorms_migration_sql();           // version 15: dorm assignment periods

}  // namespace fx::store::postgres
