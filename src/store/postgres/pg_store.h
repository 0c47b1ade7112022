// The shared store: one PostgreSQL database that several Fangxian nodes use
// at once. Same behaviour as the SQLite store (src/store/sqlite/), which is
// the reference; docs/schema.md describes both schemas.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "store/feed_signal.h"
#include "store/postgres/pg_account_store.h"
#include "store/postgres/pg_directive_store.h"
#include "store/postgres/pg_feed_listener.h"
#include "store/postgres/pg_handles.h"
#include "store/postgres/pg_inspection_store.h"
#include "store/postgres/pg_org_store.h"
#include "store/postgres/pg_presence_store.h"
#include "store/postgres/pg_round_store.h"
#include "store/postgres/pg_screening_store.h"
#include "store/postgres/pg_teaching_store.h"
#include "store/postgres/pg_tracking_store.h"
#include "store/store.h"

namespace fx::store::postgres {

class PgStore final : public Store, public FeedSignal {
 public:
  // Connects (retrying while the server is unreachable) and applies pending
  // migrations under an advisory lock, so nodes starting together migrate once.
  static Result<std::unique_ptr<PgStore>> open(const std::string& url, const Vault& vault);

  Result<std::unique_ptr<WriteTx>> begin() override;
  int schema_version() const override { return schema_version_; }

  Result<std::vector<domain::Institution>> list_institutions() override;
  Result<std::vector<domain::Unit>> list_units(int64_t institution_id) override;
  Result<std::vector<domain::Place>> list_places(int64_t institution_id) override;
  Status for_each_person_digest(const std::function<void(const PersonDigest&)>& fn) override;
  Result<std::optional<ImportRecord>> find_import(const std::string& kind,
                                                  const std::string& sha256) override;
  Result<ImportRecord> get_import(int64_t id) override;
  Result<std::vector<ImportRecord>> list_imports(int limit) override;
  Result<domain::Person> get_person(int64_t id) override;
  Result<std::vector<int64_t>> find_people_by_id_number(domain::IdKind kind,
                                                        const std::string& number) override;
  Result<std::vector<RosterCount>> roster_counts() override;
  Result<PeoplePage> list_people(const PeopleQuery& query) override;  // pg_people_query.cpp
  AccountStore& accounts() override { return *accounts_; }
  RoundStore& rounds() override { return *rounds_; }
  PresenceStore& presence() override { return *presence_; }
  TrackingStore& tracking() override { return *tracking_; }
  InspectionStore& inspections() override { return *inspections_; }
  TeachingStore& teaching() override { return *teaching_; }
  VolunteerStore& volunteers() override { return *volunteers_; }
  ScreeningStore& screening() override { return *screening_; }
  DirectiveStore& directives() override { return *directives_; }
  OrgStore& org() override { return *org_; }
  Result<std::vector<Change>> changes_after(int64_t after, int limit) override;
  Result<int64_t> last_change_seq() override;
  // From the LISTEN connection (pg_feed_listener.h), started by the first call.
  std::optional<int64_t> heard_change_seq() override;
  std::optional<int64_t> wait_for_change(int64_t after, std::chrono::milliseconds timeout) override;

 private:
  explicit PgStore(const Vault& vault)
      : db_(std::make_unique<PgHandles>(vault)),
        accounts_(std::make_unique<PgAccountStore>(*db_)),
        rounds_(std::make_unique<PgRoundStore>(*db_)),
        presence_(std::make_unique<PgPresenceStore>(*db_)),
        tracking_(std::make_unique<PgTrackingStore>(*db_)),
        screening_(std::make_unique<PgScreeningStore>(*db_)),
        directives_(std::make_unique<PgDirectiveStore>(*db_)),
        org_(std::make_unique<PgOrgStore>(*db_)) {}
  Status migrate();
  // A read on the reader connection, reconnecting first when it was lost.
  Result<PgResult> read(const std::string& sql, const Params& params = {});

  std::unique_ptr<PgHandles> db_;
  std::unique_ptr<PgAccountStore> accounts_;
  std::unique_ptr<PgRoundStore> rounds_;
  std::unique_ptr<PgPresenceStore> presence_;
  std::unique_ptr<PgTrackingStore> tracking_;
  std::unique_ptr<PgInspectionStore> inspections_ = std::make_unique<PgInspectionStore>(*db_);
  std::unique_ptr<PgTeachingStore> teaching_ = std::make_unique<PgTeachingStore>(*db_);
  std::unique_ptr<PgVolunteerStore> volunteers_ = std::make_unique<PgVolunteerStore>(*db_);
  std::unique_ptr<PgScreeningStore> screening_;
  std::unique_ptr<PgDirectiveStore> directives_;
  std::unique_ptr<PgOrgStore> org_;
  int schema_version_ = 0;
  std::string url_;
  std::once_flag listen_once_;
  std::unique_ptr<PgFeedListener> listener_;
  std::atomic<PgFeedListener*> feed_{nullptr};  // listener_, once started
};

}  // namespace fx::store::postgres
