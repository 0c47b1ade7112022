// The connections of one SQLite store, shared by the parts that implement
// its interfaces (roster, accounts, test rounds, …). In WAL mode one writer
// and one reader connection let reads go on while an import writes.
#pragma once

#include <mutex>

#include "core/vault.h"
#include "store/sqlite/sqlite_db.h"

namespace fx::store::sqlite {

struct SqliteHandles {
  explicit SqliteHandles(const Vault& v) : vault(v) {}
  const Vault& vault;
  std::mutex write_mutex;  // held for the whole of a write transaction
  Connection writer;
  std::mutex read_mutex;
  Connection reader;
};

}  // namespace fx::store::sqlite
