// A write transaction on the SQLite store: BEGIN IMMEDIATE … COMMIT under the
// store's writer lock; rolled back when destroyed uncommitted.
#pragma once

#include <mutex>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace fx::store::sqlite {

class SqliteWriteTx final : public WriteTx {
 public:
  SqliteWriteTx(std::unique_lock<std::mutex> lock, Connection& db, const Vault& vault);
  ~SqliteWriteTx() override;

  Result<int64_t> insert_institution(const domain::Institution& inst) override;
  Status update_institution(const domain::Institution& inst) override;
  Result<int64_t> insert_unit(const domain::Unit& unit) override;
  Result<int64_t> insert_place(const domain::Place& place) override;
  Result<int64_t> insert_person(const domain::Person& p, const SealedPerson& sealed,
                                const Vault::Hash& row_hash) override;
  Status update_person(const domain::Person& p, const SealedPerson& sealed,
                       const Vault::Hash& row_hash) override;
  Status prepare_bulk_people_load() override;
  Result<int64_t> insert_import(const ImportRecord& record) override;
  Result<int64_t> append_change(const Change& change) override;
  Status commit() override;

 private:
  void bind_person(Statement& st, const domain::Person& p, const SealedPerson& s,
                   const Vault::Hash& row_hash);
  Result<int64_t> run_insert(Statement& st, const char* what);

  std::unique_lock<std::mutex> lock_;
  Connection& db_;
  const Vault& vault_;
  bool open_ = false;
  bool people_indexes_dropped_ = false;
  // Prepared once per transaction: an import inserts thousands of each.
  Statement insert_person_, update_person_, insert_unit_, insert_place_;
};

// Cells of a rejected row, joined for sealing: unit separator between cells.
std::string join_cells(const std::vector<std::string>& cells);
std::vector<std::string> split_cells(std::string_view joined);

}  // namespace fx::store::sqlite
