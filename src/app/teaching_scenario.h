// A scenario shaped like the source (净月, spring 2022) on a district already
// in the store: one day of online attendance for every class, students
// without a device or network (all helped), care lists with a teacher each,
// exactly 468 phone spot checks (all satisfied), the teaching-research
// activities the source counts, and 200+ staff on front-line shifts.
// Deterministic from the seed; written through the same validated app
// functions as a school's own reports. `fangxian sim teaching` runs it.
#pragma once

#include <cstdint>
#include <string>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

struct TeachingScenarioOptions {
  uint64_t seed = 20220309;
  std::string first_day = "2022-03-09";  // 3月9日: every school online
  long spot_checks = 468;                // 电话随机督导468人次
  long volunteers = 212;                 // 200余名党员干部及教师
  int shifts_each = 3;                   // 8-hour shifts on consecutive days
};

struct TeachingScenarioSummary {
  long classes = 0, expected = 0, attending = 0, access_issues = 0, care = 0;
  long spot_checks = 0, activities = 0, volunteers = 0, shifts = 0, sites = 0;
};

// Invalid when the district has no classes, too few students for the spot
// checks, or fewer staff than `volunteers`; nothing stored then.
Result<TeachingScenarioSummary> generate_teaching_scenario(store::Store& store,
                                                           const TeachingScenarioOptions& options);

}  // namespace fx::app
