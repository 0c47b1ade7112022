// One write transaction of an area store (rounds, presence, tracking, …) on
// the shared writer connection: holds the write lock, rolls back unless
// committed, and offers the change feed through the WriteTx.
#pragma once

#include <mutex>

#include "store/sqlite/sqlite_handles.h"
#include "store/sqlite/sqlite_write_tx.h"

namespace fx::store::sqlite {

struct AreaTx {
  explicit AreaTx(SqliteHandles& db)
      : tx(std::unique_lock<std::mutex>(db.write_mutex), db.writer, db.vault), c(db.writer) {}
  // Steps a statement that returns no rows.
  Status run(Statement& st, const char* what) {
    st.step();
    return st.rc() == SQLITE_DONE ? Status::Ok() : c.error(what);
  }
  SqliteWriteTx tx;
  Connection& c;
};

}  // namespace fx::store::sqlite
