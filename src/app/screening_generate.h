// Generated home-bound people and daily reports for demos and benchmarks.
#pragma once

#include <string>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

struct ScreeningPlan {
  long people = 40000;   // spread evenly over the roster
  std::string from;      // first home-bound day, YYYY-MM-DD
  int days = 14;         // length of the range
  bool reports = false;  // also fill in reports for days up to `today`
  std::string today;     // YYYY-MM-DD
  double report_rate = 0.97;
  double abnormal_rate = 0.005;
  unsigned seed = 6;
};

struct GeneratedScreening {
  long home_bound = 0, reports = 0, abnormal = 0;
};

Result<GeneratedScreening> generate_screening(store::Store& store, const Caller& caller,
                                              const ScreeningPlan& plan);

}  // namespace fx::app
