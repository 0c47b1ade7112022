// Copies a district from a SQLite store into an empty PostgreSQL store, table
// by table, values as they are stored: ids, times, and sealed ID numbers and
// phones byte for byte (the key file stays the same), then checks the counts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/vault.h"

namespace fx::store {

struct TableCopy {
  std::string table;
  int64_t source_rows = 0, target_rows = 0;
};

// `sqlite_path` is migrated to the current schema first. The target must be
// empty; the copy is one transaction, committed only when every table's
// count matches. `vault` must open the district's sealed values (checked on
// the first person before anything is written).
Result<std::vector<TableCopy>> copy_district(const std::string& sqlite_path,
                                             const std::string& postgres_url, const Vault& vault);

}  // namespace fx::store
