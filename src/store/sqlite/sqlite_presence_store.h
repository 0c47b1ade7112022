// PresenceStore on the SQLite store's shared connections.
#pragma once

#include "store/presence_store.h"
#include "store/sqlite/sqlite_handles.h"

namespace fx::store::sqlite {

class SqlitePresenceStore final : public PresenceStore {
 public:
  explicit SqlitePresenceStore(SqliteHandles& db) : db_(db) {}

  Result<int64_t> write_batch(const PresenceBatch& batch) override;
  Result<std::vector<TimetableEntry>> list_timetable() override;
  Status for_each_swipe(const std::function<void(const SwipeRecord&)>& fn) override;
  Result<std::vector<PairContactRecord>> list_contacts() override;
  Result<std::vector<DormAssignment>> list_dorm_assignments() override;
  Result<std::vector<PresencePerson>> presence_people() override;
  Result<int64_t> count_swipes() override;

 private:
  SqliteHandles& db_;
};

}  // namespace fx::store::sqlite
