// TeachingStore: teaching continuity (线上教学): each class's online attendance
// per day, students without a device or network and what was done, care
// lists (关爱名单), phone spot checks (电话抽查) and teaching-research
// activities (教研活动), with an append-only history of every correction
// (teaching_revisions: the replaced version as JSON, never updated).
//
// Reached through Store::teaching(). Days are local dates (YYYY-MM-DD);
// times are UTC ISO 8601 text with whole seconds. The app layer validates
// and scopes (app/teaching.h); the store keeps the constraints that must
// hold whatever the caller (attending <= expected, satisfaction 1–5, …).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace fx::store {

// One class on one day; unique by (unit_id, day).
struct ClassDayRecord {
  int64_t id = 0;
  int64_t institution_id = 0;
  int64_t unit_id = 0;  // a unit of kind class
  std::string day;
  long expected = 0, attending = 0;
  std::string note, actor, updated_at;
  std::string unit_path;  // read only
};

// A student without a device or network (problem: device, network); unique
// by (person_id, problem).
struct AccessIssueRecord {
  int64_t id = 0;
  int64_t institution_id = 0;
  int64_t person_id = 0;
  std::string day, problem, action;
  bool resolved = false;
  std::string actor, updated_at;
  std::string person_name, person_code, id_masked, unit_path;  // read only
};

// A student on a care list (category: frontline_child, hardship,
// left_behind, struggling) with the teacher who looks after them (0: none
// named yet); unique by (person_id, category).
struct CareRecord {
  int64_t id = 0;
  int64_t institution_id = 0;
  int64_t person_id = 0;
  std::string category;
  int64_t teacher_id = 0;
  std::string note, actor, updated_at;
  std::string person_name, person_code, id_masked, unit_path, teacher_name;  // read only
};

// A phone call to a student's family: who called, when, how satisfied (1–5).
struct SpotCheckRecord {
  int64_t id = 0;
  int64_t institution_id = 0;
  int64_t person_id = 0;
  std::string caller, called_at;
  int satisfaction = 0;
  std::string notes, actor, updated_at;
  std::string person_name, person_code, unit_path;  // read only
};

// A teaching-research activity (level: district, school; kind: research,
// observation, preparation, training); institution 0 for the district level.
struct ActivityRecord {
  int64_t id = 0;
  std::string level;
  int64_t institution_id = 0;
  std::string kind, subject, day;
  long count = 1;
  std::string title, actor, updated_at;
};

// A replaced version: kind is class_day, access_issue, care, spot_check or
// activity; previous is that row's fields as a JSON object.
struct TeachingRevision {
  int64_t id = 0;
  std::string kind;
  int64_t record_id = 0;
  std::string previous, actor, at;
};

struct TeachingWrite {
  std::vector<ClassDayRecord> class_days;
  std::vector<AccessIssueRecord> access_issues;
  std::vector<CareRecord> care;
  std::vector<SpotCheckRecord> spot_checks;
  std::vector<ActivityRecord> activities;
  size_t size() const {
    return class_days.size() + access_issues.size() + care.size() + spot_checks.size() +
           activities.size();
  }
};

// Who a row names, to resolve 学号/工号 without opening sealed values.
struct PersonRef {
  int64_t id = 0;
  int64_t institution_id = 0;
  int64_t unit_id = 0;
  std::string person_code, name, role;  // role: student, teacher, staff
};

class TeachingStore {
 public:
  virtual ~TeachingStore() = default;

  // All in one transaction. A record with its id set replaces that record
  // (NotFound when there is none in the same institution); a class day, an
  // access issue or a care entry whose unique key is stored replaces it too.
  // The replaced version is appended to teaching_revisions. One change per
  // institution ("teaching.saved"). Returns the ids in order: class days,
  // access issues, care, spot checks, activities.
  virtual Result<std::vector<int64_t>> save(const TeachingWrite& write,
                                            const std::string& actor) = 0;
  // Lists of one institution, or of all when institution_id is 0, by id.
  virtual Result<std::vector<ClassDayRecord>> class_days(int64_t institution_id) = 0;
  virtual Result<std::vector<AccessIssueRecord>> access_issues(int64_t institution_id) = 0;
  virtual Result<std::vector<CareRecord>> care(int64_t institution_id) = 0;
  virtual Result<std::vector<SpotCheckRecord>> spot_checks(int64_t institution_id) = 0;
  // With an institution: its school-level activities and the district's.
  virtual Result<std::vector<ActivityRecord>> activities(int64_t institution_id) = 0;
  // Oldest first.
  virtual Result<std::vector<TeachingRevision>> revisions(const std::string& kind,
                                                          int64_t record_id) = 0;
  // The people of one institution (0: all), by id.
  virtual Result<std::vector<PersonRef>> people_of(int64_t institution_id) = 0;
};

}  // namespace fx::store
