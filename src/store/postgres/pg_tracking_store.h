// TrackingStore on PostgreSQL: not built yet. Every call answers the named
// error below, so a node on PostgreSQL says plainly that case tracking
// (cases, key people, quarantine sites; SQLite migration 6) needs SQLite
// for now, instead of failing in some other way.
#pragma once

#include "store/tracking_store.h"

namespace fx::store::postgres {

// "not implemented on the PostgreSQL store yet: case tracking (…)"; code
// unavailable, so the API answers 503 with this message rather than a bare 500.
Status tracking_not_in_postgres_yet();

class PgTrackingStore final : public TrackingStore {
 public:
  Result<int64_t> add_site(const QuarantineSite&) override {
    return tracking_not_in_postgres_yet();
  }
  Result<std::vector<QuarantineSite>> list_sites() override {
    return tracking_not_in_postgres_yet();
  }
  Result<int64_t> record_case(const CaseRecord&, const std::vector<KeyPersonRecord>&) override {
    return tracking_not_in_postgres_yet();
  }
  Result<std::vector<CaseRecord>> list_cases() override { return tracking_not_in_postgres_yet(); }
  Result<std::optional<CaseRecord>> find_case_by_person(int64_t) override {
    return tracking_not_in_postgres_yet();
  }
  Result<CaseRecord> get_case(int64_t) override { return tracking_not_in_postgres_yet(); }
  Result<std::vector<KeyPersonRecord>> list_key_people(const KeyPersonFilter&) override {
    return tracking_not_in_postgres_yet();
  }
  Status set_transfer(int64_t, const std::string&, const std::string&) override {
    return tracking_not_in_postgres_yet();
  }
  Status release(int64_t, int64_t, const std::string&) override {
    return tracking_not_in_postgres_yet();
  }
  Status assign_site(int64_t, int64_t, const std::string&, const std::string&) override {
    return tracking_not_in_postgres_yet();
  }
};

}  // namespace fx::store::postgres
