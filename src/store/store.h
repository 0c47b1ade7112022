// Store: the one interface to the database, the source of truth.
//
// Implementations: sqlite/ (embedded, the default) and postgres/ (several
// nodes). Callers never see SQL. Every write happens inside a WriteTx, which
// is one database transaction: either everything in it is stored or nothing.
// Sensitive values (ID numbers, phones) are sealed with the Vault before they
// reach the database and looked up by keyed hash.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/vault.h"
#include "domain/roster.h"
#include "store/account_store.h"
#include "store/directive_store.h"
#include "store/inspection_store.h"
#include "store/org_store.h"
#include "store/people_query.h"
#include "store/presence_store.h"
#include "store/records.h"
#include "store/round_store.h"
#include "store/screening_store.h"
#include "store/sealed_person.h"
#include "store/teaching_store.h"
#include "store/tracking_store.h"
#include "store/volunteer_store.h"

namespace fx::store {

// A transaction for writes. Destroying it without commit() rolls it back.
class WriteTx {
 public:
  virtual ~WriteTx() = default;

  // Inserts and returns the new id. A taken unique key (code, name, path,
  // person code, ID number) is AlreadyExists.
  virtual Result<int64_t> insert_institution(const domain::Institution& inst) = 0;
  virtual Status update_institution(const domain::Institution& inst) = 0;  // by id
  virtual Result<int64_t> insert_unit(const domain::Unit& unit) = 0;
  virtual Result<int64_t> insert_place(const domain::Place& place) = 0;
  // `sealed` is seal_person(vault, p), made by the caller so that sealing can
  // run on another thread; `row_hash` fingerprints the person's imported
  // fields (see PersonDigest). The sensitive fields of `p` are not read.
  virtual Result<int64_t> insert_person(const domain::Person& p, const SealedPerson& sealed,
                                        const Vault::Hash& row_hash) = 0;
  virtual Status update_person(const domain::Person& p, const SealedPerson& sealed,
                               const Vault::Hash& row_hash) = 0;  // by id

  // A hint before inserting many people (more than are stored): the backend
  // may defer index maintenance to commit(). Uniqueness is still enforced:
  // a duplicate makes commit() fail with AlreadyExists and nothing is stored.
  virtual Status prepare_bulk_people_load() = 0;

  // Records an import with its rejected rows; returns its id. An import of
  // the same kind and sha256 already committed is AlreadyExists (so two
  // nodes importing one file at once: exactly one wins).
  virtual Result<int64_t> insert_import(const ImportRecord& record) = 0;
  // Appends to the change feed; returns the sequence number.
  virtual Result<int64_t> append_change(const Change& change) = 0;

  virtual Status commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<std::unique_ptr<WriteTx>> begin() = 0;

  // The schema version the database is at after open (migrations applied).
  virtual int schema_version() const = 0;

  virtual Result<std::vector<domain::Institution>> list_institutions() = 0;
  // Units of one institution, or of all when institution_id is 0.
  virtual Result<std::vector<domain::Unit>> list_units(int64_t institution_id) = 0;
  virtual Result<std::vector<domain::Place>> list_places(int64_t institution_id) = 0;
  // Calls `fn` for every stored person, in id order.
  virtual Status for_each_person_digest(const std::function<void(const PersonDigest&)>& fn) = 0;
  virtual Result<std::optional<ImportRecord>> find_import(const std::string& kind,
                                                          const std::string& sha256) = 0;
  // An import with its rejected rows (cells opened with the vault).
  virtual Result<ImportRecord> get_import(int64_t id) = 0;
  virtual Result<std::vector<ImportRecord>> list_imports(int limit) = 0;  // newest first, no rows

  // A person in the clear (opened with the vault); NotFound when absent.
  virtual Result<domain::Person> get_person(int64_t id) = 0;
  // Ids of people whose ID number (normalised) or phone equals `value`.
  virtual Result<std::vector<int64_t>> find_people_by_id_number(domain::IdKind kind,
                                                                const std::string& number) = 0;

  virtual Result<std::vector<RosterCount>> roster_counts() = 0;

  // One page of people matching `query`, masked, with the total matching.
  virtual Result<PeoplePage> list_people(const PeopleQuery& query) = 0;

  // Accounts, sessions, API tokens and the audit log (store/account_store.h).
  virtual AccountStore& accounts() = 0;
  // Test rounds, tubes, samples and lab results (store/round_store.h).
  virtual RoundStore& rounds() = 0;
  // Timetables, card swipes and pairwise contacts (store/presence_store.h).
  virtual PresenceStore& presence() = 0;
  // Cases, key people, quarantine sites (store/tracking_store.h).
  virtual TrackingStore& tracking() = 0;
  // Directives, their recipients and history (store/directive_store.h).
  virtual DirectiveStore& directives() = 0;
  // Inspections, findings, reminder letters, supervisors (store/inspection_store.h).
  virtual InspectionStore& inspections() = 0;
  // Online teaching, care lists, spot checks, activities (store/teaching_store.h).
  virtual TeachingStore& teaching() = 0;
  // Front-line volunteer sites and shifts (store/volunteer_store.h).
  virtual VolunteerStore& volunteers() = 0;
  // Home-bound people and their daily reports (store/screening_store.h).
  virtual ScreeningStore& screening() = 0;
  // Task groups, their members and the colleges' liaisons (store/org_store.h).
  virtual OrgStore& org() = 0;

  // Changes with seq > after, oldest first, at most `limit`.
  virtual Result<std::vector<Change>> changes_after(int64_t after, int limit) = 0;
  virtual Result<int64_t> last_change_seq() = 0;
};

// Opens the store at `location`: a file path (SQLite) or, once the PostgreSQL
// store exists, a postgresql:// URL. Creates and migrates the schema.
Result<std::unique_ptr<Store>> open_store(const std::string& location, const Vault& vault);

// The UTC instant now as ISO 8601 with milliseconds ("2022-03-08T01:02:03.456Z").
std::string utc_now_iso();

}  // namespace fx::store
