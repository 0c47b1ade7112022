// What a trace asks and what it answers: the index cases with their windows,
// and the close and secondary contacts, each with the reasons it is listed.
#pragma once

#include <cstdint>
#include <vector>

#include "trace/presence.h"

namespace fx::trace {

inline constexpr PlaceIx kNoPlace = UINT32_MAX;  // a pairwise record has no place

// A case and the window in which it could infect: from (onset, or else the
// first positive sample) minus the policy's days, to its isolation.
struct IndexCase {
  PersonIx person = 0;
  Time from = 0, to = 0;
};

struct TraceQuery {
  std::vector<IndexCase> cases;
  // When close contacts are put in quarantine (default: the moment of the
  // trace); each close contact's own window ends here.
  Time quarantine_start = 0;
  Thresholds thresholds;
};

// Where a contact met one source: one place (or the pairwise records).
struct Exposure {
  PlaceIx place = kNoPlace;
  ContactKind kind = ContactKind::other_place;
  Time first = 0, last = 0;  // start of the first overlap, end of the last
  int64_t seconds = 0;       // cumulative overlap at this place
  uint32_t times = 0;        // overlapping presences counted
  bool operator==(const Exposure&) const = default;
};

// One source (a case, or a close contact for a secondary) and everything
// shared with it, exposures ordered by first, then place.
struct SourceLink {
  PersonIx source = 0;
  int64_t seconds = 0;
  Time first = 0, last = 0;
  std::vector<Exposure> exposures;
  bool operator==(const SourceLink&) const = default;
};

struct Contact {
  PersonIx person = 0;
  int64_t seconds = 0;              // over all sources
  Time first = 0, last = 0;         // first and last moment of contact with any source
  std::vector<SourceLink> sources;  // by source
  bool operator==(const Contact&) const = default;
};

// Both lists ordered by person. A person appears once, in the highest
// category: cases are in neither list, close contacts not among secondaries.
struct TraceResult {
  std::vector<Contact> close, secondary;
  bool operator==(const TraceResult&) const = default;
};

}  // namespace fx::trace
