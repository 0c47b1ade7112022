#include "trace/tracer.h"

#include <algorithm>
#include <thread>

namespace fx::trace {

namespace {

inline uint32_t kind_slot(PersonIx person, ContactKind kind) {
  return person * kContactKinds + static_cast<uint32_t>(kind);
}

}  // namespace

Tracer::Tracer(const PresenceIndex& index)
    : ix_(index),
      seconds_(static_cast<size_t>(index.people) * kContactKinds, 0),
      excluded_(index.people, 0),
      listed_(index.people, 0),
      bucket_(index.people, 0) {}

void Tracer::hit(PersonIx y, PlaceIx place, ContactKind kind, Tick s, Tick e) {
  // Cases and close contacts can never be listed at this level; in a batch
  // they are most of whom a close contact meets (its classmates are the
  // case's), so dropping them here spares summing, storing and sorting.
  if (excluded_[y]) return;
  uint32_t* sums = &seconds_[kind_slot(y, ContactKind::dorm_room)];
  if (!listed_[y]) {
    listed_[y] = 1;
    touched_.push_back(y);
  }
  sums[static_cast<int>(kind)] += static_cast<uint32_t>(e - s);
  hits_.push_back({y, place, s, e});
}

void Tracer::scan_place(PlaceIx place, Tick s, Tick e, PersonIx x) {
  const ContactKind kind = ix_.place_kinds[place];
  const SlotLists& stays = ix_.stays_by_place;
  for (const Slot* it = stays.first_running_at(place, s); it != stays.end(place); ++it) {
    if (it->start >= e) break;
    if (it->end <= s || it->who == x) continue;
    hit(it->who, place, kind, std::max(s, it->start), std::min(e, it->end));
  }
  const SlotLists& sessions = ix_.sessions_by_place;
  const SlotLists& members = ix_.members_of_group;
  for (const Slot* it = sessions.first_running_at(place, s); it != sessions.end(place); ++it) {
    if (it->start >= e) break;
    if (it->end <= s) continue;
    const Tick a = std::max(s, it->start), b = std::min(e, it->end);
    for (const Slot* m = members.begin(it->who); m != members.end(it->who); ++m) {
      const Tick ma = std::max(a, m->start), mb = std::min(b, m->end);
      if (ma < mb && m->who != x) hit(m->who, place, kind, ma, mb);
    }
  }
}

void Tracer::scan(PersonIx x, Tick from, Tick to) {
  if (from >= to) return;
  const SlotLists& stays = ix_.stays_by_person;
  for (const Slot* it = stays.first_running_at(x, from); it != stays.end(x); ++it) {
    if (it->start >= to) break;
    if (it->end <= from) continue;
    scan_place(it->who, std::max(from, it->start), std::min(to, it->end), x);
  }
  const SlotLists& groups = ix_.groups_of_person;
  const SlotLists& sessions = ix_.sessions_by_group;
  for (const Slot* g = groups.begin(x); g != groups.end(x); ++g) {
    const Tick lo = std::max(from, g->start), hi = std::min(to, g->end);
    if (lo >= hi) continue;
    for (const Slot* it = sessions.first_running_at(g->who, lo); it != sessions.end(g->who); ++it) {
      if (it->start >= hi) break;
      if (it->end <= lo) continue;
      scan_place(it->who, std::max(lo, it->start), std::min(hi, it->end), x);
    }
  }
  const SlotLists& pairs = ix_.pairs_by_person;
  for (const Slot* it = pairs.first_running_at(x, from); it != pairs.end(x); ++it) {
    if (it->start >= to) break;
    if (it->end <= from) continue;
    hit(it->who, kNoPlace, ContactKind::pairwise, std::max(from, it->start), std::min(to, it->end));
  }
}

void Tracer::collect(PersonIx source, const Thresholds* thresholds, std::vector<Found>& out) {
  // Mark who qualifies (reusing listed_: 2 = qualifies), then clear the sums.
  for (PersonIx y : touched_) {
    uint32_t* sums = &seconds_[kind_slot(y, ContactKind::dorm_room)];
    bool reached = thresholds == nullptr;
    for (int k = 0; k < kContactKinds && !reached; ++k)
      reached = thresholds->reached(static_cast<ContactKind>(k), sums[k]);
    listed_[y] = reached && !excluded_[y] ? 2 : 0;
    std::fill(sums, sums + kContactKinds, 0);
  }
  // Bucket the qualifying hits by person (a counting pass, not a sort of
  // them all: a close contact's scan touches whole classes and dorms), then
  // group each person's few hits by place. Within a place the order does not
  // matter: an exposure is a sum, a count, a first and a last.
  std::vector<std::pair<PersonIx, uint32_t>>& ranges = ranges_;
  ranges.clear();
  for (const Hit& h : hits_)
    if (listed_[h.person] == 2) ++bucket_[h.person];
  uint32_t total = 0;
  for (PersonIx y : touched_) {
    if (listed_[y] != 2) continue;
    ranges.emplace_back(y, total);
    const uint32_t n = bucket_[y];
    bucket_[y] = total;
    total += n;
  }
  grouped_.resize(total);
  for (const Hit& h : hits_)
    if (listed_[h.person] == 2) grouped_[bucket_[h.person]++] = h;
  for (size_t r = 0; r < ranges.size(); ++r) {
    const PersonIx person = ranges[r].first;
    const auto begin = grouped_.begin() + ranges[r].second;
    const auto end = grouped_.begin() + bucket_[person];
    bucket_[person] = 0;
    std::sort(begin, end, [](const Hit& a, const Hit& b) { return a.place < b.place; });
    Found found{person, {source, 0, 0, 0, {}}};
    SourceLink& link = found.link;
    for (auto it = begin; it != end;) {
      Exposure e;
      e.place = it->place;
      e.kind = it->place == kNoPlace ? ContactKind::pairwise : ix_.place_kinds[it->place];
      Tick first = it->start, last = it->end;
      for (; it != end && it->place == e.place; ++it) {
        first = std::min(first, it->start);
        last = std::max(last, it->end);
        e.seconds += it->end - it->start;
        ++e.times;
      }
      e.first = from_tick(first);
      e.last = from_tick(last);
      link.seconds += e.seconds;
      link.first = link.exposures.empty() ? e.first : std::min(link.first, e.first);
      link.last = std::max(link.last, e.last);
      link.exposures.push_back(e);
    }
    std::sort(link.exposures.begin(), link.exposures.end(),
              [](const Exposure& a, const Exposure& b) {
                return a.first != b.first ? a.first < b.first : a.place < b.place;
              });
    out.push_back(std::move(found));
  }
  for (PersonIx y : touched_) listed_[y] = 0;
  touched_.clear();
  hits_.clear();
}

std::vector<Contact> Tracer::merge(std::vector<Found>& found) {
  // Groups by person with a counting pass over bucket_ rather than sorting
  // every link (a batch's second level has hundreds of thousands); only each
  // person's few links are sorted, by source. (person, source) is unique, so
  // the order is the same as sorting the links themselves.
  std::vector<PersonIx> people;
  for (const Found& f : found)
    if (bucket_[f.person]++ == 0) people.push_back(f.person);
  std::sort(people.begin(), people.end());
  uint32_t total = 0;
  for (PersonIx p : people) {
    const uint32_t n = bucket_[p];
    bucket_[p] = total;
    total += n;
  }
  std::vector<uint32_t> order(found.size());
  for (uint32_t i = 0; i < found.size(); ++i) order[bucket_[found[i].person]++] = i;
  std::vector<Contact> contacts;
  contacts.reserve(people.size());
  uint32_t begin = 0;
  for (PersonIx p : people) {
    const uint32_t end = bucket_[p];
    bucket_[p] = 0;
    std::sort(order.begin() + begin, order.begin() + end,
              [&](uint32_t a, uint32_t b) { return found[a].link.source < found[b].link.source; });
    Contact c{p, 0, found[order[begin]].link.first, found[order[begin]].link.last, {}};
    c.sources.reserve(end - begin);
    for (uint32_t k = begin; k < end; ++k) {
      SourceLink& link = found[order[k]].link;
      c.seconds += link.seconds;
      c.first = std::min(c.first, link.first);
      c.last = std::max(c.last, link.last);
      c.sources.push_back(std::move(link));
    }
    contacts.push_back(std::move(c));
    begin = end;
  }
  return contacts;
}

void Tracer::level(const std::vector<IndexCase>& windows, const std::vector<PersonIx>& excluded,
                   const Thresholds& thresholds, std::vector<Found>& out) {
  for (PersonIx p : excluded) excluded_[p] = 1;
  for (const IndexCase& w : windows) {
    scan(w.person, to_tick(w.from), to_tick(w.to));
    collect(w.person, &thresholds, out);
  }
  for (PersonIx p : excluded) excluded_[p] = 0;
}

// Splits the windows over `threads` tracers (this one and helpers with their
// own scratch); the merge sorts, so the result does not depend on the split.
void Tracer::level_parallel(const std::vector<IndexCase>& windows,
                            const std::vector<PersonIx>& excluded, const Thresholds& thresholds,
                            int threads, std::vector<Found>& out) {
  const size_t n = std::min<size_t>(std::max(threads, 1), windows.size());
  if (n <= 1) return level(windows, excluded, thresholds, out);
  std::vector<std::vector<Found>> parts(n);
  std::vector<std::thread> workers;
  const size_t chunk = (windows.size() + n - 1) / n;
  for (size_t t = 1; t < n; ++t)
    workers.emplace_back([&, t] {
      Tracer helper(ix_);
      const size_t from = std::min(windows.size(), t * chunk);
      const size_t to = std::min(windows.size(), from + chunk);
      helper.level({windows.begin() + from, windows.begin() + to}, excluded, thresholds, parts[t]);
    });
  level({windows.begin(), windows.begin() + std::min(windows.size(), chunk)}, excluded, thresholds,
        parts[0]);
  for (std::thread& w : workers) w.join();
  for (auto& part : parts)
    for (Found& f : part) out.push_back(std::move(f));
}

TraceResult Tracer::trace(const TraceQuery& query, int threads) {
  TraceResult result;
  // A person listed twice is traced once, with its first window.
  std::vector<IndexCase> windows;
  std::vector<PersonIx> excluded;
  for (const IndexCase& c : query.cases) {
    if (c.person >= ix_.people || listed_[c.person]) continue;
    listed_[c.person] = 1;
    windows.push_back(c);
    excluded.push_back(c.person);
  }
  for (PersonIx p : excluded) listed_[p] = 0;
  std::vector<Found> found;
  level_parallel(windows, excluded, query.thresholds, threads, found);
  result.close = merge(found);
  windows.clear();
  for (const Contact& c : result.close) {
    excluded.push_back(c.person);
    windows.push_back({c.person, c.first, query.quarantine_start});
  }
  found.clear();
  level_parallel(windows, excluded, query.thresholds, threads, found);
  result.secondary = merge(found);
  return result;
}

std::vector<Contact> Tracer::exposed_to(PersonIx person, Time from, Time to) {
  std::vector<Found> found;
  if (person < ix_.people) {
    excluded_[person] = 1;
    scan(person, to_tick(from), to_tick(to));
    collect(person, nullptr, found);
    excluded_[person] = 0;
  }
  std::vector<Contact> contacts = merge(found);
  std::stable_sort(contacts.begin(), contacts.end(),
                   [](const Contact& a, const Contact& b) { return a.seconds > b.seconds; });
  return contacts;
}

}  // namespace fx::trace
