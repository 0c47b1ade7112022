// TrackingStore on the SQLite store's shared connections.
#pragma once

#include "store/sqlite/sqlite_handles.h"
#include "store/tracking_store.h"

namespace fx::store::sqlite {

class SqliteTrackingStore final : public TrackingStore {
 public:
  explicit SqliteTrackingStore(SqliteHandles& db) : db_(db) {}

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
  SqliteHandles& db_;
};

}  // namespace fx::store::sqlite
