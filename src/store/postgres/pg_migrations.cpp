#include "store/postgres/pg_migrations.h"

namespace fx::store::postgres {
namespace {

const Migration kMigrations[] = {
    {1, roster_migration_sql()},      {2, accounts_migration_sql()},
    {3, rounds_migration_sql()},      {4, tracing_migration_sql()},
    {5, command_migration_sql()},     {6, tracking_migration_sql()},
    {7, org_migration_sql()},         {8, inspections_migration_sql()},
    {9, screening_migration_sql()},   {10, teaching_migration_sql()},
    {11, volunteers_migration_sql()}, {13, key_categories_migration_sql()},
    {14, recipients_migration_sql()}, {15, dorms_migration_sql()},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace fx::store::postgres
