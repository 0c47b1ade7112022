// The outbreak's figures by institution for the battle map and the overview:
// cases, close and secondary contacts, people in quarantine, and the latest
// round's coverage. Counts only, no personal data (Permission::figures_read),
// within the caller's institutions.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "app/caller.h"
#include "app/round_views.h"
#include "store/store.h"

namespace fx::app {

struct InstitutionFigures {
  long cases = 0, close = 0, secondary = 0, quarantined = 0;
  long due = 0, sampled = 0, missed = 0;
  long directives_open = 0, directives_overdue = 0;  // recipient rows not yet done
  std::optional<double> coverage;                    // % of the latest round, when there is one
};

// New cases and key people by local day (the overview's trend).
struct DayFigures {
  long cases = 0, close = 0, secondary = 0;
};

struct OutbreakFigures {
  std::map<int64_t, InstitutionFigures> by_institution;  // in the caller's scope
  std::map<std::string, DayFigures> daily;               // YYYY-MM-DD, Asia/Shanghai
  InstitutionFigures total;
  int64_t latest_round = 0;
};

Result<OutbreakFigures> outbreak_figures(store::Store& store, const Caller& caller,
                                         RoundViews& rounds);

}  // namespace fx::app
