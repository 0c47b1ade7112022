// PresenceStore on the PostgreSQL store's shared connections.
#pragma once

#include "store/postgres/pg_handles.h"
#include "store/presence_store.h"

namespace fx::store::postgres {

class PgPresenceStore final : public PresenceStore {
 public:
  explicit PgPresenceStore(PgHandles& db) : db_(db) {}

  Result<int64_t> write_batch(const PresenceBatch& batch) override;
  Result<std::vector<TimetableEntry>> list_timetable() override;
  Status for_each_swipe(const std::function<void(const SwipeRecord&)>& fn) override;
  Result<std::vector<PairContactRecord>> list_contacts() override;
  Result<std::vector<DormAssignment>> list_dorm_assignments() override;
  Result<std::vector<PresencePerson>> presence_people() override;
  Result<int64_t> count_swipes() override;

 private:
  Result<PgResult> read(const std::string& sql, const Params& params = {});

  PgHandles& db_;
};

}  // namespace fx::store::postgres
