// A synthetic test round for a district: the sampling and lab-result files
// sites and labs would upload, from the district's roster file.
//
// People are pooled in roster order, institution by institution (a site per
// institution), with realistic lateness: most are sampled in the morning,
// some in the afternoon, a few after the deadline; some are missed. A few
// pools are positive and a few tubes invalid; their members get single-tube
// re-tests (retest-sampling.csv, retest-results.csv): one member of the first
// positive pool is positive, every other re-test negative.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace fx::sim {

struct TestRoundOptions {
  uint64_t seed = 20220310;
  int pool = 10;
  std::string date = "2022-03-10";  // the round's day (local)
  std::string tube_prefix = "T";    // tube codes: prefix + date digits + serial
  double missed_rate = 0.004;       // share of people never sampled
  double late_rate = 0.01;          // share sampled after 18:00 (the deadline)
  int positive_pools = 3;
  int invalid_tubes = 2;
};

struct TestRoundSummary {
  long people = 0, sampled = 0, missed = 0, tubes = 0;
  long positive_pools = 0, invalid_tubes = 0, retest_tubes = 0, retest_positive = 0;
};

// Reads `roster_csv` (the district's roster.csv: 学校代码, 证件号码, 姓名, …) and
// writes sampling.csv, results.csv, retest-sampling.csv and retest-results.csv
// into `out_dir` (UTF-8 with BOM).
Result<TestRoundSummary> write_test_round(const std::string& roster_csv, const std::string& out_dir,
                                          const TestRoundOptions& options = {});

}  // namespace fx::sim
