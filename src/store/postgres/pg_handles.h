// The connections of one PostgreSQL store, shared by the parts that
// implement its interfaces (roster, accounts, test rounds). One connection
// writes and one reads, each under its own lock, as in the SQLite store;
// several nodes share the database itself.
#pragma once

#include <mutex>
#include <string>

#include "core/vault.h"
#include "store/postgres/pg_conn.h"

namespace fx::store::postgres {

struct PgHandles {
  explicit PgHandles(const Vault& v) : vault(v) {}
  const Vault& vault;
  std::mutex write_mutex;  // held for the whole of a write transaction
  PgConnection writer;
  std::mutex read_mutex;
  PgConnection reader;
};

// Hash bytes from a bytea column (zero-padded when short).
void copy_hash(std::string_view bytes, Vault::Hash& out);

}  // namespace fx::store::postgres
