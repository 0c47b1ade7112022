// The embedded store: one SQLite file in WAL mode.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/sqlite/sqlite_account_store.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_directive_store.h"
#include "store/sqlite/sqlite_handles.h"
#include "store/sqlite/sqlite_inspection_store.h"
#include "store/sqlite/sqlite_org_store.h"
#include "store/sqlite/sqlite_presence_store.h"
#include "store/sqlite/sqlite_round_store.h"
#include "store/sqlite/sqlite_screening_store.h"
#include "store/sqlite/sqlite_teaching_store.h"
#include "store/sqlite/sqlite_tracking_store.h"
#include "store/store.h"

namespace fx::store::sqlite {

class SqliteStore final : public Store {
 public:
  // Opens or creates the file at `path` and applies pending migrations.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, const Vault& vault);

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
  Result<PeoplePage> list_people(const PeopleQuery& query) override;  // sqlite_people_query.cpp
  AccountStore& accounts() override { return *accounts_; }
  RoundStore& rounds() override { return *rounds_; }
  PresenceStore& presence() override { return *presence_; }
  TrackingStore& tracking() override { return *tracking_; }
  DirectiveStore& directives() override { return *directives_; }
  InspectionStore& inspections() override { return *inspections_; }
  TeachingStore& teaching() override { return *teaching_; }
  VolunteerStore& volunteers() override { return *volunteers_; }
  ScreeningStore& screening() override { return *screening_; }
  OrgStore& org() override { return *org_; }
  Result<std::vector<Change>> changes_after(int64_t after, int limit) override;
  Result<int64_t> last_change_seq() override;

 private:
  explicit SqliteStore(const Vault& vault)
      : db_(std::make_unique<SqliteHandles>(vault)),
        accounts_(std::make_unique<SqliteAccountStore>(*db_)) {}
  Status migrate();

  std::unique_ptr<SqliteHandles> db_;
  std::unique_ptr<SqliteAccountStore> accounts_;
  struct {  // people totals by query, valid for one data_version (sqlite_people_query.cpp)
    int64_t version = -1;
    std::unordered_map<std::string, long> totals;
  } count_cache_;
  std::unique_ptr<SqliteRoundStore> rounds_ = std::make_unique<SqliteRoundStore>(*db_);
  std::unique_ptr<SqlitePresenceStore> presence_ = std::make_unique<SqlitePresenceStore>(*db_);
  std::unique_ptr<SqliteTrackingStore> tracking_ = std::make_unique<SqliteTrackingStore>(*db_);
  std::unique_ptr<SqliteDirectiveStore> directives_ = std::make_unique<SqliteDirectiveStore>(*db_);
  std::unique_ptr<SqliteInspectionStore> inspections_ =
      std::make_unique<SqliteInspectionStore>(*db_);
  std::unique_ptr<SqliteTeachingStore> teaching_ = std::make_unique<SqliteTeachingStore>(*db_);
  std::unique_ptr<SqliteVolunteerStore> volunteers_ = std::make_unique<SqliteVolunteerStore>(*db_);
  std::unique_ptr<SqliteScreeningStore> screening_ = std::make_unique<SqliteScreeningStore>(*db_);
  std::unique_ptr<SqliteOrgStore> org_ = std::make_unique<SqliteOrgStore>(*db_);
  std::string path_;
  int schema_version_ = 0;
};

}  // namespace fx::store::sqlite
