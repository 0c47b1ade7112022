// Confirming a case (确诊): the case card's record, the trace, and the
// tracking table (重点人员防控跟踪表) filled from the policy — in one
// transaction. A close contact who is confirmed becomes a case and is traced
// in turn; a person already listed keeps the highest category and gains the
// new sources.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/tracing.h"
#include "domain/policy.h"
#include "store/store.h"

namespace fx::app {

struct ConfirmCase {
  int64_t person_id = 0;
  int64_t sample_time = 0;   // the first positive sample
  std::string onset_date;    // YYYY-MM-DD, empty without symptoms
  int64_t confirmed_at = 0;  // default: now
  std::string symptoms, note, actor;
};

struct CaseOutcome {
  int64_t case_id = 0;
  trace::TraceResult lists;
  long close = 0, secondary = 0;  // key people listed or upgraded by this case
  long without_site = 0;          // centralised quarantine with no free place
  // People this case put on the table or moved up to close (not those only
  // gaining a source): what their institutions are told (contact_directives.h).
  std::vector<int64_t> listed;
};

Result<CaseOutcome> confirm_case(store::Store& store, const TraceIndex& index,
                                 const domain::Policy& policy, const ConfirmCase& request);

// The key people's exposures as stored with them (JSON of trace_report).
std::string exposures_text(const TraceIndex& index, const trace::SourceLink& link);

}  // namespace fx::app
