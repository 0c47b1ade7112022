// The tracer: close and secondary contacts of index cases, with reasons, from
// the PresenceIndex. It touches only the cases' own presences and the places
// they shared, never the whole data set.
//
// The rules (issue 5, docs/tracing.md):
//  - a close contact shares, inside a case's window, co-presence of one kind
//    (dorm, classroom, canteen, …, pairwise records) adding up to at least that
//    kind's threshold; co-presence is the overlap of two presences at the same
//    place, summed over every pair of presences;
//  - a close contact's own window runs from its first moment of contact with
//    any case it qualified through to the quarantine start;
//  - a secondary contact qualifies the same way against a close contact inside
//    that close contact's window; cases and close contacts are never secondary.
// One Tracer holds scratch memory sized to the people; it is not thread-safe,
// so use one per thread (trace() makes its own helpers when asked for threads).
#pragma once

#include <cstdint>
#include <vector>

#include "trace/presence_index.h"
#include "trace/trace_result.h"

namespace fx::trace {

class Tracer {
 public:
  explicit Tracer(const PresenceIndex& index);

  // With threads > 1, large batches are split over that many threads.
  TraceResult trace(const TraceQuery& query, int threads = 1);

  // Everyone who shared any presence with `person` inside [from, to), as a
  // contact listing that one source, whether or not a threshold is reached;
  // ordered by seconds, most first. For the exposure ranking.
  std::vector<Contact> exposed_to(PersonIx person, Time from, Time to);

 private:
  struct Hit {
    PersonIx person;
    PlaceIx place;
    Tick start, end;
  };
  struct Found {
    PersonIx person;
    SourceLink link;
  };

  // Scans every window and collects who qualifies, never the excluded.
  void level(const std::vector<IndexCase>& windows, const std::vector<PersonIx>& excluded,
             const Thresholds& thresholds, std::vector<Found>& out);
  void level_parallel(const std::vector<IndexCase>& windows, const std::vector<PersonIx>& excluded,
                      const Thresholds& thresholds, int threads, std::vector<Found>& out);
  void scan(PersonIx x, Tick from, Tick to);
  void scan_place(PlaceIx place, Tick s, Tick e, PersonIx x);
  void hit(PersonIx y, PlaceIx place, ContactKind kind, Tick s, Tick e);
  // Links for every touched person who is not excluded and (when
  // `thresholds` is given) reaches one; clears the scan's scratch.
  void collect(PersonIx source, const Thresholds* thresholds, std::vector<Found>& out);
  std::vector<Contact> merge(std::vector<Found>& found);

  const PresenceIndex& ix_;
  std::vector<uint32_t> seconds_;  // people × kContactKinds, zero outside a scan
  std::vector<PersonIx> touched_;
  std::vector<uint8_t> excluded_, listed_;
  std::vector<Hit> hits_;
  // collect()'s and merge()'s scratch: hits grouped by person, each person's
  // range in it.
  std::vector<uint32_t> bucket_;  // people; zero outside collect() and merge()
  std::vector<Hit> grouped_;
  std::vector<std::pair<PersonIx, uint32_t>> ranges_;
};

}  // namespace fx::trace
