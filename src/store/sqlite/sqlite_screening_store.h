// ScreeningStore on the SQLite store's shared connections.
#pragma once

#include <optional>

#include "store/screening_store.h"
#include "store/sqlite/sqlite_handles.h"

namespace fx::store::sqlite {

class SqliteScreeningStore final : public ScreeningStore {
 public:
  explicit SqliteScreeningStore(SqliteHandles& db) : db_(db) {}

  Result<std::vector<int64_t>> add_home_bound(const std::vector<HomeBoundRecord>& records,
                                              const std::string& actor) override;
  Result<std::vector<HomeBoundRecord>> home_bound_on(const std::string& day,
                                                     int64_t institution_id) override;
  Result<int> sync_home_key_people(const std::string& actor) override;
  Result<std::vector<ScreeningCheck>> check(const std::string& day,
                                            const std::vector<int64_t>& person_ids) override;
  Result<long> add_reports(const std::vector<ScreeningReport>& reports) override;
  Result<ScreeningReport> correct_report(const ScreeningReport& report,
                                         int expected_version) override;
  Result<std::vector<ScreeningReport>> report_history(int64_t person_id,
                                                      const std::string& day) override;
  Result<std::vector<ScreeningCount>> day_counts(const std::string& day) override;
  Result<std::vector<ScreeningPerson>> not_reported(const std::string& day,
                                                    int64_t institution_id) override;
  Result<std::vector<ScreeningPerson>> reports_on(const std::string& day, int64_t institution_id,
                                                  bool abnormal_only) override;
  Result<ScreeningTotals> totals(const std::vector<int64_t>& institutions) override;

 private:
  SqliteHandles& db_;
  // Prepared once on the reader (under db_.read_mutex) and reset after each use:
  // every report request runs both, and parsing them cost a third of a request.
  std::optional<Statement> key_people_st_, check_st_;
};

}  // namespace fx::store::sqlite
