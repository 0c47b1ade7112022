// TrackingStore: confirmed cases, the key people they put under control
// (重点人员: close and secondary contacts, with where they met their sources),
// their quarantine orders and test schedules, transfer tasks, and the
// quarantine sites (hotels) with their capacity.
//
// Reached through Store::tracking(). People are referenced by people.id and
// times are Unix seconds (UTC). record_case() is one transaction: the case,
// every key person it lists (new, or an existing one upgraded to a higher
// category), site assignments that respect capacity, and change-feed entries
// ("case.confirmed"). Every other write appends its own change too:
// "tracking.transfer", "tracking.release", "site.added".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace fx::store {

struct QuarantineSite {
  int64_t id = 0;
  std::string name, address;
  int capacity = 0;
  int occupied = 0;  // key people in centralised quarantine there now (read only)
};

struct CaseRecord {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t sample_time = 0;   // the first positive sample
  std::string onset_date;    // YYYY-MM-DD, empty when unknown (no symptoms)
  int64_t confirmed_at = 0;  // the diagnosis
  int64_t isolated_at = 0;   // the end of the case's window
  int64_t window_from = 0;   // onset (or sample) minus the policy's days
  std::string policy_id;
  std::string symptoms, outcome, note;
  int64_t from_key_person = 0;  // the key-person row it came from, when a contact became a case
  std::string actor, created_at;
};

// Where a key person met one source (a case, or a close contact).
struct KeySource {
  int64_t source_person_id = 0;
  int64_t seconds = 0;
  int64_t first = 0, last = 0;
  std::string exposures;  // JSON array: [{place, kind, first, last, seconds, times}]
};

struct KeyTest {
  int day = 0;
  std::string due_date;  // YYYY-MM-DD
  std::string note;
};

struct KeyPersonRecord {
  int64_t id = 0;
  int64_t person_id = 0;
  std::string category;  // close, secondary, symptomatic (no case: case_id 0)
  std::string status;    // quarantined, released, became_case
  std::string policy_id;
  int64_t first_exposure = 0, last_exposure = 0, exposure_seconds = 0;
  std::string quarantine_kind;  // the first stage: centralised, home, home_monitoring
  int64_t site_id = 0;          // for centralised quarantine; 0 while none is free
  std::string site_name;        // read only
  int64_t start_at = 0, planned_end = 0, released_at = 0;
  std::string plan;      // JSON: the stages as planned
  std::string transfer;  // "", requested, dispatched, arrived
  int64_t case_id = 0;   // the case whose trace listed it last
  std::vector<KeySource> sources;
  std::vector<KeyTest> tests;
  std::string created_at, updated_at;
};

struct KeyPersonFilter {
  std::string category, status, quarantine_kind;  // empty: any
  int64_t site_id = 0;                            // 0: any
  std::vector<int64_t> person_ids;                // empty: any
};

class TrackingStore {
 public:
  virtual ~TrackingStore() = default;

  virtual Result<int64_t> add_site(const QuarantineSite& site) = 0;
  virtual Result<std::vector<QuarantineSite>> list_sites() = 0;

  // Stores the case and its key people (matched to existing rows by
  // person_id: the caller has merged categories and sources). People in
  // centralised quarantine without a site get the site with the most free
  // places, or none when all are full, and a transfer task "requested". An
  // existing case for the person is AlreadyExists. Returns the case id.
  virtual Result<int64_t> record_case(const CaseRecord& c,
                                      const std::vector<KeyPersonRecord>& people) = 0;
  virtual Result<std::vector<CaseRecord>> list_cases() = 0;  // by id
  virtual Result<std::optional<CaseRecord>> find_case_by_person(int64_t person_id) = 0;
  virtual Result<CaseRecord> get_case(int64_t case_id) = 0;  // NotFound when absent

  virtual Result<std::vector<KeyPersonRecord>> list_key_people(const KeyPersonFilter& filter) = 0;
  virtual Status set_transfer(int64_t key_person_id, const std::string& state,
                              const std::string& actor) = 0;
  virtual Status release(int64_t key_person_id, int64_t at, const std::string& actor) = 0;
  // Moves a key person in quarantine to a site (centralised quarantine from
  // now on) with the transfer task in `state`. NotFound: no such key person;
  // Invalid: no such site (the message names "site"); Conflict: the person is
  // not in quarantine, or the site is full.
  // Puts a person on the table as category "symptomatic" (from home-bound
  // screening): no case, no sources, quarantine_kind and dates as given.
  // AlreadyExists when the person has a key-person row already. Appends
  // "tracking.symptomatic" with the person's institution. Returns the row id.
  virtual Result<int64_t> add_symptomatic(const KeyPersonRecord& k, const std::string& actor) = 0;
  virtual Status assign_site(int64_t key_person_id, int64_t site_id, const std::string& state,
                             const std::string& actor) = 0;
};

}  // namespace fx::store
