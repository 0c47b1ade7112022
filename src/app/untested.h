// Who to test first (优先检测): key people in quarantine without a result
// since their last exposure, ranked by what they risk carrying: close
// contacts before secondary ones, then by minutes shared with their sources,
// then by tests overdue. Built from the (scoped, audited) tracking table.
#pragma once

#include <string>
#include <vector>

#include "app/tracking_table.h"

namespace fx::app {

struct UntestedRow {
  const TrackingRow* row = nullptr;
  long minutes = 0;       // shared with their sources
  std::string next_test;  // the first scheduled test without a result, or ""
};

// The ranking over `table`'s rows; at most `limit` (0: all).
std::vector<UntestedRow> rank_untested(const TrackingTable& table, size_t limit);
std::string untested_json(const std::vector<UntestedRow>& rows);
std::string untested_text(const std::vector<UntestedRow>& rows);

}  // namespace fx::app
