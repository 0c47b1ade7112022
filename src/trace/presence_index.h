// The compact, columnar index the tracer reads (DESIGN.md: think in bytes
// touched per query). Every list is a CSR array (offsets + items) sorted by
// start time, with the longest duration per list so that a binary search finds
// the first item that can overlap a moment. Times are 32-bit seconds from
// 2000-01-01 UTC (until 2068), which halves the bytes of every item.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "trace/presence.h"

namespace fx::trace {

using Tick = int32_t;
inline constexpr Time kTickEpoch = 946684800;  // 2000-01-01T00:00:00Z
Tick to_tick(Time t);                          // clamped into Tick's range
inline Time from_tick(Tick t) { return kTickEpoch + t; }

// A presence or a membership with its interval; `who` is a person, place or
// group depending on the list.
struct Slot {
  uint32_t who;
  Tick start, end;
};

// One list per key: items[offsets[k] .. offsets[k+1]), sorted by start.
struct SlotLists {
  std::vector<uint32_t> offsets;  // keys + 1
  std::vector<Slot> items;
  std::vector<Tick> longest;  // per key: the longest end - start

  size_t keys() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  const Slot* begin(uint32_t key) const { return items.data() + offsets[key]; }
  const Slot* end(uint32_t key) const { return items.data() + offsets[key + 1]; }
  // The first item of `key` that can still be running at `t` (end > t).
  const Slot* first_running_at(uint32_t key, Tick t) const;
  size_t bytes() const;
};

struct PresenceIndex {
  uint32_t people = 0, places = 0, groups = 0;
  std::vector<ContactKind> place_kinds;
  SlotLists stays_by_person;    // who = place
  SlotLists stays_by_place;     // who = person
  SlotLists sessions_by_group;  // who = place
  SlotLists sessions_by_place;  // who = group
  SlotLists groups_of_person;   // who = group, [start, end) = membership
  SlotLists members_of_group;   // who = person, [start, end) = membership
  SlotLists pairs_by_person;    // who = the other person (both directions)

  static PresenceIndex build(const PresenceData& data);
  size_t bytes() const;
};

}  // namespace fx::trace
