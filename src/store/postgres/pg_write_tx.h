// A write transaction on the PostgreSQL store: BEGIN … COMMIT on the writer
// connection under the store's writer lock; rolled back when destroyed
// uncommitted, and by the server when the connection or the process dies.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/store.h"

namespace fx::store::postgres {

class PgWriteTx final : public WriteTx {
 public:
  PgWriteTx(std::unique_lock<std::mutex> lock, PgConnection& db, const Vault& vault);
  ~PgWriteTx() override;
  // BEGIN; Unavailable when the server cannot be reached.
  Status start();

  Result<int64_t> insert_institution(const domain::Institution& inst) override;
  Status update_institution(const domain::Institution& inst) override;
  Result<int64_t> insert_unit(const domain::Unit& unit) override;
  Result<int64_t> insert_place(const domain::Place& place) override;
  Result<int64_t> insert_person(const domain::Person& p, const SealedPerson& sealed,
                                const Vault::Hash& row_hash) override;
  Status update_person(const domain::Person& p, const SealedPerson& sealed,
                       const Vault::Hash& row_hash) override;
  // People (and new units and dorm rooms) from here on go through COPY in
  // chunks, with ids drawn ahead; people's secondary indexes and foreign and
  // unique keys are dropped in this transaction and built once at commit.
  Status prepare_bulk_people_load() override;
  Result<int64_t> insert_import(const ImportRecord& record) override;
  Result<int64_t> append_change(const Change& change) override;
  Status commit() override;

  // For the other parts of the store writing in this transaction.
  Result<PgResult> query(const std::string& sql, const Params& params = {});
  // One COPY … FROM STDIN of `data` (COPY text format) in this transaction.
  Status copy_in(const std::string& copy_sql, std::string_view data);

 private:
  Status flush_people();  // sends the COPY buffers: units, places, then people
  Result<int64_t> next_person_id();
  // An id drawn ahead from `table`'s id sequence (bulk loads).
  Result<int64_t> next_id(const char* table, std::vector<int64_t>& reserved, int at_once);

  std::unique_lock<std::mutex> lock_;
  PgConnection& db_;
  const Vault& vault_;
  bool open_ = false;
  bool bulk_ = false;
  std::string copy_buffer_;
  // In a bulk load, new units and dorm rooms go through COPY too (ahead of
  // the people who refer to them), not one round trip each.
  std::string unit_buffer_, place_buffer_;
  std::vector<int64_t> reserved_unit_ids_, reserved_place_ids_;
  // People's secondary indexes and keys set aside for a bulk load, to build
  // once at commit: the statements that put them back.
  std::vector<std::string> restore_;
  std::vector<int64_t> reserved_ids_;
  int64_t last_seq_ = 0;  // the last change appended, told to the node at commit  // drawn from the
                          // people id sequence, used from the back
};

}  // namespace fx::store::postgres
