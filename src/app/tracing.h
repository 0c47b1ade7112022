// Contact tracing as the app uses it: the tracing index built from the store
// (people, places and groups numbered densely), a case's window from the
// policy, and one trace in store ids. Nothing here writes; cases.h records.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/trace_loader.h"
#include "domain/policy.h"
#include "store/store.h"
#include "trace/presence_index.h"
#include "trace/tracer.h"

namespace fx::app {

// The engine's index over everything the store holds, with the id maps.
struct TraceIndex {
  LoadedPresence presence;  // presence.data is empty unless kept (see build)
  trace::PresenceIndex index;
  double load_seconds = 0, build_seconds = 0;
  // What the index was built from (the loaded records, kept or not).
  size_t stays = 0, sessions = 0, memberships = 0, pairs = 0;

  // Swipe dwell times come from the policy. The index holds all it needs, so
  // the loaded records are freed once it is built (at a city's size they are
  // as large as the index) unless `keep_data` asks for them, e.g. to compare
  // with the naive scan.
  static Result<std::unique_ptr<TraceIndex>> build(store::Store& store,
                                                   const domain::Policy& policy,
                                                   PresenceOptions options = {},
                                                   bool keep_data = false);
  int64_t person_id(trace::PersonIx ix) const { return presence.person_ids[ix]; }
  int64_t place_id(trace::PlaceIx ix) const {
    return ix == trace::kNoPlace ? 0 : presence.place_ids[ix];
  }
};

// A case as the policy sees it.
struct CaseWindow {
  int64_t person_id = 0;
  int64_t sample_time = 0;  // the first positive sample, Unix seconds
  std::string onset_date;   // YYYY-MM-DD or empty
  int64_t isolated_at = 0;  // default: the trace's moment
};

// From (onset, or else the first positive sample) minus the policy's days.
// An onset date counts from its local midnight.
int64_t window_start(const domain::Policy& policy, const CaseWindow& c);

// Close and secondary contacts of the cases, everyone put in quarantine at
// `at`. A person missing from the index (no presence at all) has no contacts.
Result<trace::TraceResult> trace_cases(const TraceIndex& index, const domain::Policy& policy,
                                       const std::vector<CaseWindow>& cases, int64_t at);

// Resolves what a user types for a person: a resident ID or other ID number,
// or INSTITUTION_CODE:学号/工号. NotFound with the reason otherwise.
Result<int64_t> resolve_person(store::Store& store, const Vault& vault, const std::string& text);

}  // namespace fx::app
