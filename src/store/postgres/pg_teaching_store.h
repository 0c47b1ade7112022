// TeachingStore and VolunteerStore on the PostgreSQL store's shared
// connections. Several nodes write at once: a shift locks its person's row
// (SELECT … FOR UPDATE) before the overlap check, so two nodes cannot both
// add overlapping shifts of one person.
#pragma once

#include "store/postgres/pg_handles.h"
#include "store/teaching_store.h"
#include "store/volunteer_store.h"

namespace fx::store::postgres {

class PgTeachingStore final : public TeachingStore {
 public:
  explicit PgTeachingStore(PgHandles& db) : db_(db) {}

  Result<std::vector<int64_t>> save(const TeachingWrite& write, const std::string& actor) override;
  Result<std::vector<ClassDayRecord>> class_days(int64_t institution_id) override;
  Result<std::vector<AccessIssueRecord>> access_issues(int64_t institution_id) override;
  Result<std::vector<CareRecord>> care(int64_t institution_id) override;
  Result<std::vector<SpotCheckRecord>> spot_checks(int64_t institution_id) override;
  Result<std::vector<ActivityRecord>> activities(int64_t institution_id) override;
  Result<std::vector<TeachingRevision>> revisions(const std::string& kind,
                                                  int64_t record_id) override;
  Result<std::vector<PersonRef>> people_of(int64_t institution_id) override;

 private:
  Result<PgResult> read(const std::string& sql, const Params& params = {});
  PgHandles& db_;
};

class PgVolunteerStore final : public VolunteerStore {
 public:
  explicit PgVolunteerStore(PgHandles& db) : db_(db) {}

  Result<int64_t> add_site(const VolunteerSite& site) override;
  Result<std::vector<VolunteerSite>> sites() override;
  Result<std::vector<int64_t>> save_shifts(const std::vector<ShiftRecord>& shifts,
                                           const std::string& actor) override;
  Result<std::vector<ShiftRecord>> shifts(int64_t institution_id) override;
  Result<std::vector<ShiftRevision>> revisions(int64_t shift_id) override;

 private:
  Result<PgResult> read(const std::string& sql, const Params& params = {});
  PgHandles& db_;
};

}  // namespace fx::store::postgres
