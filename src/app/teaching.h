// Teaching continuity (线上教学): schools report each class's online
// attendance per day, students without a device or network and what was
// done, care lists (关爱名单) with a named teacher each, phone spot checks
// (电话抽查) of families and teaching-research activities (教研活动); the
// figures are computed from those tables as the source reports them.
//
// Scope: teaching.report in the caller's institutions (an institution admin
// its own, command and 教学保障 all); another institution's class or student
// is an error naming the row, never stored. Lists are masked and their reads
// audited; figures need only figures.read. docs/teaching.md describes it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/caller.h"
#include "app/row_input.h"
#include "store/store.h"

namespace fx::app {

enum class TeachingKind { attendance, access, care, spot_checks, activities };
// "attendance", "access", "care", "spot-checks", "activities".
bool parse_teaching_kind(const std::string& text, TeachingKind& kind);
const char* teaching_kind_code(TeachingKind kind);
const char* teaching_kind_name(TeachingKind kind);  // Chinese
const std::vector<FieldSpec>& teaching_fields(TeachingKind kind);

// Validates every row (all errors at once, each naming its row and field)
// and stores them in one transaction; returns the ids in row order. A row
// with an id, or whose class day / student problem / student category is
// stored, corrects that record and keeps the old version.
Result<std::vector<int64_t>> save_teaching(store::Store& store, const Caller& caller,
                                           TeachingKind kind, const std::vector<InputRow>& rows);

struct TeachingQuery {
  std::string institution;  // 学校代码; empty: every institution in scope
  std::string day;          // YYYY-MM-DD for attendance and access; empty: all days
};

// The records of the caller's scope (teaching.report), audited ("teaching.read").
struct TeachingLists {
  std::vector<store::ClassDayRecord> attendance;
  std::vector<store::AccessIssueRecord> access;
  std::vector<store::CareRecord> care;
  std::vector<store::SpotCheckRecord> spot_checks;
  std::vector<store::ActivityRecord> activities;
  std::map<int64_t, std::pair<std::string, std::string>> institutions;  // id → code, name
};
Result<TeachingLists> load_teaching(store::Store& store, const Caller& caller, TeachingKind kind,
                                    const TeachingQuery& query);
std::string teaching_list_json(const TeachingLists& lists, TeachingKind kind);
// FILE.xlsx (title, frozen header) or FILE.csv of one kind's list.
Status export_teaching_list(const TeachingLists& lists, TeachingKind kind, const std::string& path);

struct TeachingInstitutionRow {
  std::string code, name;
  long classes = 0, classes_reported = 0, expected = 0, attending = 0;
};

// The figures as the source reports them, over the caller's scope.
struct TeachingFigures {
  std::string first_day, day;  // the first day with attendance; the day of the coverage
  long classes = 0;            // classes (units of kind class) in scope
  long classes_online_first_day = 0;
  long expected = 0, attending = 0;  // on `day`
  long access_issues = 0, access_resolved = 0;
  long spot_checks = 0, satisfied = 0;  // satisfied: 4 or 5
  double satisfaction_mean = 0;
  long care = 0, care_with_teacher = 0;
  std::map<std::string, long> care_by_category;
  std::map<std::string, long> activities;  // "district/research" → total count
  std::vector<TeachingInstitutionRow> institutions;
};
Result<TeachingFigures> teaching_figures(store::Store& store, const Caller& caller,
                                         const TeachingQuery& query);
std::string teaching_figures_json(const TeachingFigures& f);
std::string teaching_figures_text(const TeachingFigures& f);

// The earlier versions of one record (oldest first); NotFound when the
// record is not in the caller's scope.
Result<std::vector<store::TeachingRevision>> teaching_history(store::Store& store,
                                                              const Caller& caller,
                                                              TeachingKind kind, int64_t id);
std::string teaching_history_json(const std::vector<store::TeachingRevision>& revisions);

// The care categories, activity kinds and problems: code ↔ Chinese.
const char* care_category_name(const std::string& code);
const char* activity_kind_name(const std::string& code);

}  // namespace fx::app
