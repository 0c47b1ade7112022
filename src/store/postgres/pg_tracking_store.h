// TrackingStore on the PostgreSQL store's shared connections. Several nodes
// write at once, so capacity checks lock the site rows (SELECT … FOR UPDATE)
// inside the write transaction: two nodes cannot both take a last place.
#pragma once

#include "store/postgres/pg_handles.h"
#include "store/tracking_store.h"

namespace fx::store::postgres {

class PgTrackingStore final : public TrackingStore {
 public:
  explicit PgTrackingStore(PgHandles& db) : db_(db) {}

  Result<int64_t> add_site(const QuarantineSite& site) override;
  Result<std::vector<QuarantineSite>> list_sites() override;
  Result<int64_t> record_case(const CaseRecord& c,
                              const std::vector<KeyPersonRecord>& people) override;
  Result<std::vector<CaseRecord>> list_cases() override;
  Result<std::optional<CaseRecord>> find_case_by_person(int64_t person_id) override;
  Result<CaseRecord> get_case(int64_t case_id) override;
  Result<std::vector<KeyPersonRecord>> list_key_people(const KeyPersonFilter& filter) override;
  Status set_transfer(int64_t key_person_id, const std::string& state,
                      const std::string& actor) override;
  Status release(int64_t key_person_id, int64_t at, const std::string& actor) override;
  Result<int64_t> add_symptomatic(const KeyPersonRecord& k, const std::string& actor) override;
  Status assign_site(int64_t key_person_id, int64_t site_id, const std::string& state,
                     const std::string& actor) override;

 private:
  Result<PgResult> read(const std::string& sql, const Params& params = {});

  PgHandles& db_;
};

}  // namespace fx::store::postgres
