// RoundStore on the PostgreSQL store's shared connections.
#pragma once

#include "store/postgres/pg_handles.h"
#include "store/round_store.h"

namespace fx::store::postgres {

class PgRoundStore final : public RoundStore {
 public:
  explicit PgRoundStore(PgHandles& db) : db_(db) {}

  Result<int64_t> create_round(const domain::Round& round, const std::vector<int64_t>& due,
                               const Change& change) override;
  Result<domain::Round> get_round(int64_t id) override;
  Result<std::vector<domain::Round>> list_rounds() override;
  Status close_round(int64_t id, const std::string& actor, const std::string& at) override;
  Status add_exemption(int64_t round_id, const ExemptionRecord& exemption) override;
  Result<RoundFacts> load_round(int64_t id) override;
  Result<std::vector<int64_t>> rounds_of_tubes(const std::vector<std::string>& codes) override;
  Result<int64_t> write_batch(const RoundBatch& batch) override;
  Status correct_result(int64_t round_id, const std::string& tube_code, const ResultRecord& result,
                        const std::string& actor, const std::string& reason) override;
  Result<std::vector<ConflictRecord>> list_conflicts(int64_t round_id) override;
  Result<std::vector<CorrectionRecord>> list_corrections(int64_t round_id) override;
  Result<std::vector<PersonPlacement>> people_placements() override;
  Result<std::vector<PersonBrief>> people_briefs(const std::vector<int64_t>& ids) override;

 private:
  Result<PgResult> read(const std::string& sql, const Params& params = {});

  PgHandles& db_;
};

}  // namespace fx::store::postgres
