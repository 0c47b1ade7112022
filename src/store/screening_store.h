// ScreeningStore: home-bound screening (居家排查). Who is home-bound on which
// days (home_bound: one range of dates per person at a time; an overlapping
// range widens the one there), the one daily report per person per day
// (screening_reports), and every replaced version of a corrected report
// (screening_report_history, append-only).
//
// Reached through Store::screening(). Days are YYYY-MM-DD in Asia/Shanghai
// and compare as text; temperatures are tenths of a degree. Every write is
// one transaction that appends one change ("screening.home_bound",
// "screening.reported", "screening.corrected"): all of it or nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace fx::store {

struct HomeBoundRecord {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t institution_id = 0;      // the person's (read only: the store fills it)
  std::string from_date, to_date;  // inclusive
  std::string reason;
  std::string source = "api";  // api, file, generator, tracking
  int64_t key_person_id = 0;   // for source "tracking"
  std::string actor, created_at;
};

struct ScreeningReport {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t institution_id = 0;  // the person's (read only)
  std::string day;
  int temperature_tenths = 0;  // 365 = 36.5 °C
  std::string symptoms;        // codes joined by ',' (domain/screening.h), "" when none
  std::string symptom_note;    // the text of 其他
  std::string location;
  bool at_home = true;
  std::string reporter;  // self, parent, teacher
  bool abnormal = false;
  int version = 1;  // 1, then +1 per correction
  std::string actor, reported_at;
  // For history rows: when and by whom this version was replaced.
  std::string replaced_at, replaced_by;
};

// What the store knows of one person on one day, for checking a report.
struct ScreeningCheck {
  int64_t person_id = 0;
  bool exists = false;
  int64_t institution_id = 0;
  bool home_bound = false;  // a range covers the day
  int64_t report_id = 0;    // the day's report, 0 when none
  int report_version = 0;
};

// One institution's line of the day's table.
struct ScreeningCount {
  int64_t institution_id = 0;
  long due = 0, reported = 0, abnormal = 0;
};

// A person on a list (not reported, abnormal), masked as in every list.
struct ScreeningPerson {
  int64_t person_id = 0;
  int64_t institution_id = 0;
  std::string name, person_code, unit, phone_masked;
  ScreeningReport report;  // empty (id 0) on the not-reported list
};

struct ScreeningTotals {
  long reports = 0;      // person-times (人次)
  long people = 0;       // distinct people who reported
  long days = 0;         // distinct days with reports
  long abnormal = 0;     // abnormal reports
  long corrections = 0;  // replaced versions kept in the history
  long home_bound = 0;   // ranges on record
};

class ScreeningStore {
 public:
  virtual ~ScreeningStore() = default;

  // Marks people home-bound (ranges with from_date <= to_date, checked by the
  // caller). A range overlapping or touching the person's existing one widens
  // it. Invalid (naming "person" and the index) for an unknown person;
  // nothing is stored then. Returns the range id of each record.
  virtual Result<std::vector<int64_t>> add_home_bound(const std::vector<HomeBoundRecord>& records,
                                                      const std::string& actor) = 0;
  // Home-bound ranges covering `day`, of one institution or all (0), by person.
  virtual Result<std::vector<HomeBoundRecord>> home_bound_on(const std::string& day,
                                                             int64_t institution_id) = 0;
  // Adds ranges for key people in home quarantine or home monitoring (the
  // tracking table; Shanghai dates of start and planned end) who have none
  // from "tracking" yet. Returns how many were added (0: nothing written).
  virtual Result<int> sync_home_key_people(const std::string& actor) = 0;

  // One check per person id, in order, for reports on `day`.
  virtual Result<std::vector<ScreeningCheck>> check(const std::string& day,
                                                    const std::vector<int64_t>& person_ids) = 0;
  // Stores new reports (checked by the caller). A report for a person and
  // day that already has one is AlreadyExists and nothing is stored.
  virtual Result<long> add_reports(const std::vector<ScreeningReport>& reports) = 0;
  // Replaces the day's report of report.person_id, keeping the old version in
  // the history. NotFound when there is none; Conflict when its version is
  // no longer `expected_version` (0: any).
  virtual Result<ScreeningReport> correct_report(const ScreeningReport& report,
                                                 int expected_version) = 0;
  // The current report and its earlier versions (newest first); NotFound when none.
  virtual Result<std::vector<ScreeningReport>> report_history(int64_t person_id,
                                                              const std::string& day) = 0;

  // Per institution with anyone due or reported on `day`, by institution id.
  virtual Result<std::vector<ScreeningCount>> day_counts(const std::string& day) = 0;
  // Due on `day` without a report, by unit then person code.
  virtual Result<std::vector<ScreeningPerson>> not_reported(const std::string& day,
                                                            int64_t institution_id) = 0;
  // The day's reports (only abnormal ones when `abnormal_only`), same order.
  virtual Result<std::vector<ScreeningPerson>> reports_on(const std::string& day,
                                                          int64_t institution_id,
                                                          bool abnormal_only) = 0;
  // Over the given institutions, or all when the list is empty.
  virtual Result<ScreeningTotals> totals(const std::vector<int64_t>& institutions) = 0;
};

}  // namespace fx::store
