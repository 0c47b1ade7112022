// The key-person tracking table (重点人员防控跟踪表): one row per key person
// with category, sources, last exposure, quarantine kind and site, planned
// end, the test schedule with results filled in from the test rounds, the
// transfer task, overdue tests and whether release is due.
#pragma once

#include <string>
#include <vector>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

struct TrackingQuery {
  std::string category, status;  // empty: any
  std::string today;             // YYYY-MM-DD; empty: today in Asia/Shanghai
  std::string institution;       // 学校代码; empty: every institution the caller sees
  int64_t id = 0;                // one key-person row; 0: all
  int64_t case_id = 0;           // the rows one case listed (last); 0: every case
};

struct TrackedTest {
  int day = 0;
  std::string date, note;
  std::string result;  // negative, positive, invalid, or empty
  std::string state;   // done, overdue, due (today), upcoming
};

struct TrackingRow {
  store::KeyPersonRecord key;
  std::string name, person_code, id_masked, institution, unit;
  std::vector<std::string> source_names;
  std::vector<TrackedTest> tests;
  int overdue = 0;
  bool release_due = false;  // planned end passed and every test done and negative
};

struct TrackingTable {
  std::string today;
  std::vector<TrackingRow> rows;
  long close = 0, secondary = 0, quarantined = 0, overdue_tests = 0, without_site = 0;
  long returnee = 0, symptomatic = 0;  // added by hand (tracking_add.h)
};

// The rows of key people in the caller's institutions (an institution
// outside them is NotFound), totals over those rows; sources of other
// institutions are shown without their names. Each read is audited
// ("tracking.read").
Result<TrackingTable> tracking_table(store::Store& store, const Caller& caller,
                                     const TrackingQuery& query);
std::string tracking_json(const TrackingTable& table);
std::string tracking_row_json(const TrackingRow& row);  // one row as in `rows`
std::string tracking_text(const TrackingTable& table);
// FILE.xlsx laid out for printing (title, frozen header) or FILE.csv.
Status export_tracking_table(const TrackingTable& table, const std::string& path);

}  // namespace fx::app
