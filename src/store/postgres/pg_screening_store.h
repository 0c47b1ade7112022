// ScreeningStore on the PostgreSQL store's shared connections. Reports go in
// as multi-row INSERTs of up to 1000 rows, so a batch costs few round trips.
#pragma once

#include "store/postgres/pg_handles.h"
#include "store/screening_store.h"

namespace fx::store::postgres {

class PgScreeningStore final : public ScreeningStore {
 public:
  explicit PgScreeningStore(PgHandles& db) : db_(db) {}

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
  Result<PgResult> read(const std::string& sql, const Params& params = {});

  PgHandles& db_;
};

}  // namespace fx::store::postgres
