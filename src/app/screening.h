// Home-bound screening (居家排查): marking people home-bound, their daily
// reports (single, batch, file, correction), the day's table per
// institution, the not-reported and abnormal lists, the figures, and putting
// an abnormal person on the tracking table (category "symptomatic").
//
// Writes need Permission::screening_report (the tracking step: cases_manage)
// and are all or nothing: any bad item and nothing is stored, every problem
// listed with its row and field. A person outside the caller's institutions
// is "unknown", as anywhere. Lists with health details are audited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/caller.h"
#include "app/health_access.h"
#include "store/store.h"

namespace fx::app {

// One problem of a write: where ("reports[3]", "第5行 (row 5)"), the field, why.
struct ScreeningProblem {
  std::string where, field, reason;
};

// What a write did: stored nothing when `problems` is not empty.
struct ScreeningWrite {
  long stored = 0;
  long abnormal = 0;
  std::vector<ScreeningProblem> problems;
};
std::string screening_write_json(const ScreeningWrite& w);

struct HomeBoundInput {
  std::string where;
  int64_t person_id = 0;
  std::string from, to, reason;  // dates as written
};
// `source`: api, file, generator.
Result<ScreeningWrite> mark_home_bound(store::Store& store, const Caller& caller,
                                       const std::vector<HomeBoundInput>& items,
                                       const std::string& source);

// One report as received: texts not yet checked (a JSON number temperature
// goes in temperature_number).
struct ReportInput {
  std::string where;
  int64_t person_id = 0;
  std::string day, temperature;
  std::optional<double> temperature_number;
  std::string symptoms, symptom_note, location, at_home, reporter;
};
// New reports; a person already reported that day is a problem (correct it
// with correct_report). `today` (YYYY-MM-DD, empty: today in Shanghai)
// bounds the day: no reports for the future.
Result<ScreeningWrite> submit_reports(store::Store& store, const Caller& caller,
                                      const std::vector<ReportInput>& items,
                                      const std::string& today = "");
// Replaces the day's report, keeping the earlier version; `expected_version`
// (0: any) guards against overwriting someone else's correction (Conflict).
Result<store::ScreeningReport> correct_report(store::Store& store, const Caller& caller,
                                              const ReportInput& item, int expected_version,
                                              const std::string& today = "");

// A file from a class teacher: kind "reports" or "home_bound" (columns in
// docs/screening.md). People by 学号/工号 (with 学校代码, or the caller's one
// institution) or ID number.
Result<ScreeningWrite> import_screening_file(store::Store& store, const Vault& vault,
                                             const Caller& caller, const std::string& kind,
                                             const std::string& path,
                                             const std::string& display_name);

struct ScreeningRow {
  int64_t institution_id = 0;
  std::string code, name;
  long due = 0, reported = 0, abnormal = 0;
  long not_reported() const { return due > reported ? due - reported : 0; }
  double rate() const { return due ? 100.0 * reported / due : 0; }
};
struct ScreeningDay {
  std::string day;
  std::vector<ScreeningRow> rows;  // institutions in scope with anyone due or reported
  ScreeningRow total;
};
// The day's table (每日居家排查统计表) in the caller's scope; needs figures.read.
Result<ScreeningDay> screening_day(store::Store& store, const Caller& caller,
                                   const std::string& day);
std::string screening_day_json(const ScreeningDay& d);
Status export_screening_day(const ScreeningDay& d, const std::string& path);

// kind: not_reported, abnormal, reports. `institution`: 学校代码 or "" for
// all in scope. Needs people.list; audited ("screening.read").
struct ScreeningList {
  std::string day, kind;
  std::vector<store::ScreeningPerson> people;
  std::vector<std::string> institution_names;  // by people index
  std::vector<int64_t> key_people;             // persons already on the tracking table
};
Result<ScreeningList> screening_list(store::Store& store, const Caller& caller,
                                     const std::string& day, const std::string& kind,
                                     const std::string& institution);
std::string screening_list_json(const ScreeningList& l);
Status export_screening_list(const ScreeningList& l, const std::string& path);

// The report of a person on a day with its earlier versions; audited.
Result<std::vector<store::ScreeningReport>> screening_history(store::Store& store,
                                                              const Caller& caller,
                                                              int64_t person_id,
                                                              const std::string& day);
std::string report_json(const store::ScreeningReport& r);

// Puts a person with an abnormal report on `day` on the tracking table as
// "symptomatic" in home monitoring for `days` (default 7). Needs
// cases_manage; Invalid when the day's report is not abnormal; AlreadyExists
// when the person is a key person already. Returns the key-person row id.
Result<int64_t> track_abnormal(store::Store& store, const Caller& caller, int64_t person_id,
                               const std::string& day, int days = 7);

struct ScreeningFigures {
  store::ScreeningTotals totals;  // in the caller's scope
  ScreeningDay today;
};
Result<ScreeningFigures> screening_figures(store::Store& store, const Caller& caller,
                                           const std::string& day);
std::string screening_figures_json(const ScreeningFigures& f);

// Today in Asia/Shanghai as YYYY-MM-DD.
std::string shanghai_today();

}  // namespace fx::app
