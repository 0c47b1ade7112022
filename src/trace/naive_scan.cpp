#include "trace/naive_scan.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace fx::trace {

namespace {

struct Interval {
  PlaceIx place;
  Time start, end;
};

struct Window {
  PersonIx person;
  Time from, to;
};

// Every presence of every person (stays, and group sessions clipped to the
// memberships that cover them), listed by person and by place, in no order.
struct Presences {
  std::vector<std::vector<Interval>> by_person;
  std::vector<std::vector<Interval>> by_place;  // Interval::place holds the person here
};

Presences all_presences(const PresenceData& d) {
  Presences p;
  p.by_person.resize(d.people);
  p.by_place.resize(d.place_kinds.size());
  auto add = [&](PersonIx person, PlaceIx place, Time a, Time b) {
    if (a >= b) return;
    p.by_person[person].push_back({place, a, b});
    p.by_place[place].push_back({person, a, b});
  };
  for (const Stay& s : d.stays) add(s.person, s.place, s.start, s.end);
  std::vector<std::vector<const GroupSession*>> sessions_of(d.groups);
  for (const GroupSession& s : d.sessions) sessions_of[s.group].push_back(&s);
  for (const Membership& m : d.memberships)
    for (const GroupSession* s : sessions_of[m.group])
      add(m.person, s->place, std::max(s->start, m.from), std::min(s->end, m.to));
  return p;
}

struct PlaceTally {
  Time first = 0, last = 0;
  int64_t seconds = 0;
  uint32_t times = 0;
};

struct PairTally {
  int64_t kind_seconds[kContactKinds] = {};
  std::map<PlaceIx, PlaceTally> places;
};

// source → contact → tally
using Tallies = std::map<PersonIx, std::map<PersonIx, PairTally>>;

void add(Tallies& t, PersonIx source, PersonIx other, PlaceIx place, ContactKind kind, Time a,
         Time b) {
  PairTally& pt = t[source][other];
  pt.kind_seconds[static_cast<int>(kind)] += b - a;
  PlaceTally& pl = pt.places[place];
  pl.first = pl.times == 0 ? a : std::min(pl.first, a);
  pl.last = std::max(pl.last, b);
  pl.seconds += b - a;
  ++pl.times;
}

Tallies tally(const PresenceData& d, const Presences& presences,
              const std::vector<Window>& windows) {
  Tallies t;
  for (const Window& w : windows) {
    if (w.from >= w.to) continue;
    for (const Interval& mine : presences.by_person[w.person]) {
      const Time s = std::max(mine.start, w.from), e = std::min(mine.end, w.to);
      if (s >= e) continue;
      for (const Interval& theirs : presences.by_place[mine.place]) {
        const PersonIx other = theirs.place;
        if (other == w.person) continue;
        const Time a = std::max(s, theirs.start), b = std::min(e, theirs.end);
        if (a < b) add(t, w.person, other, mine.place, d.place_kinds[mine.place], a, b);
      }
    }
    for (const PairContact& p : d.pairs) {
      if (p.a == p.b) continue;
      const Time a = std::max(w.from, p.start), b = std::min(w.to, p.end);
      if (a >= b) continue;
      if (p.a == w.person) add(t, w.person, p.b, kNoPlace, ContactKind::pairwise, a, b);
      if (p.b == w.person) add(t, w.person, p.a, kNoPlace, ContactKind::pairwise, a, b);
    }
  }
  return t;
}

bool qualifies(const PairTally& pt, const Thresholds& th) {
  for (int k = 0; k < kContactKinds; ++k)
    if (pt.kind_seconds[k] > 0 && pt.kind_seconds[k] >= th.seconds[k]) return true;
  return false;
}

std::vector<Contact> contacts_of(const PresenceData& d, const Tallies& t,
                                 const std::set<PersonIx>& excluded, const Thresholds& th) {
  std::map<PersonIx, Contact> by_person;
  for (const auto& [source, others] : t) {
    for (const auto& [other, pt] : others) {
      if (excluded.count(other) || !qualifies(pt, th)) continue;
      SourceLink link;
      link.source = source;
      for (const auto& [place, pl] : pt.places) {
        Exposure e;
        e.place = place;
        e.kind = place == kNoPlace ? ContactKind::pairwise : d.place_kinds[place];
        e.first = pl.first;
        e.last = pl.last;
        e.seconds = pl.seconds;
        e.times = pl.times;
        link.exposures.push_back(e);
      }
      std::sort(link.exposures.begin(), link.exposures.end(),
                [](const Exposure& a, const Exposure& b) {
                  return a.first != b.first ? a.first < b.first : a.place < b.place;
                });
      link.first = link.exposures.front().first;
      for (const Exposure& e : link.exposures) {
        link.seconds += e.seconds;
        link.first = std::min(link.first, e.first);
        link.last = std::max(link.last, e.last);
      }
      Contact& c = by_person[other];
      if (c.sources.empty()) {
        c.person = other;
        c.first = link.first;
        c.last = link.last;
      }
      c.seconds += link.seconds;
      c.first = std::min(c.first, link.first);
      c.last = std::max(c.last, link.last);
      c.sources.push_back(std::move(link));
    }
  }
  std::vector<Contact> out;
  for (auto& [person, c] : by_person) {
    std::sort(c.sources.begin(), c.sources.end(),
              [](const SourceLink& a, const SourceLink& b) { return a.source < b.source; });
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

TraceResult naive_trace(const PresenceData& data, const TraceQuery& query) {
  const auto presences = all_presences(data);
  std::set<PersonIx> excluded;
  std::vector<Window> windows;
  for (const IndexCase& c : query.cases) {
    if (c.person >= data.people || !excluded.insert(c.person).second) continue;
    windows.push_back({c.person, c.from, c.to});
  }
  TraceResult result;
  result.close = contacts_of(data, tally(data, presences, windows), excluded, query.thresholds);
  windows.clear();
  for (const Contact& c : result.close) {
    excluded.insert(c.person);
    windows.push_back({c.person, c.first, query.quarantine_start});
  }
  result.secondary = contacts_of(data, tally(data, presences, windows), excluded, query.thresholds);
  return result;
}

}  // namespace fx::trace
