// TeachingStore and VolunteerStore on the SQLite store's shared connections.
#pragma once

#include "store/sqlite/sqlite_handles.h"
#include "store/teaching_store.h"
#include "store/volunteer_store.h"

namespace fx::store::sqlite {

class SqliteTeachingStore final : public TeachingStore {
 public:
  explicit SqliteTeachingStore(SqliteHandles& db) : db_(db) {}

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
  SqliteHandles& db_;
};

class SqliteVolunteerStore final : public VolunteerStore {
 public:
  explicit SqliteVolunteerStore(SqliteHandles& db) : db_(db) {}

  Result<int64_t> add_site(const VolunteerSite& site) override;
  Result<std::vector<VolunteerSite>> sites() override;
  Result<std::vector<int64_t>> save_shifts(const std::vector<ShiftRecord>& shifts,
                                           const std::string& actor) override;
  Result<std::vector<ShiftRecord>> shifts(int64_t institution_id) override;
  Result<std::vector<ShiftRevision>> revisions(int64_t shift_id) override;

 private:
  SqliteHandles& db_;
};

}  // namespace fx::store::sqlite
