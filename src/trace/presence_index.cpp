#include "trace/presence_index.h"

#include <algorithm>
#include <limits>

namespace fx::trace {

Tick to_tick(Time t) {
  const Time rel = t - kTickEpoch;
  if (rel < 0) return 0;
  if (rel > std::numeric_limits<Tick>::max()) return std::numeric_limits<Tick>::max();
  return static_cast<Tick>(rel);
}

const Slot* SlotLists::first_running_at(uint32_t key, Tick t) const {
  // An item with end > t started after t - longest.
  const Tick after = t - longest[key];
  return std::upper_bound(begin(key), end(key), after,
                          [](Tick v, const Slot& s) { return v < s.start; });
}

size_t SlotLists::bytes() const {
  return offsets.capacity() * sizeof(uint32_t) + items.capacity() * sizeof(Slot) +
         longest.capacity() * sizeof(Tick);
}

namespace {

struct Keyed {
  uint32_t key;
  Slot slot;
};

// Counting sort by key, then each list sorted by start: O(n) memory beyond the
// result, no per-key allocations.
SlotLists make_lists(uint32_t keys, const std::vector<Keyed>& all) {
  SlotLists lists;
  lists.offsets.assign(keys + 1, 0);
  lists.longest.assign(keys, 0);
  for (const Keyed& k : all) ++lists.offsets[k.key + 1];
  for (uint32_t k = 0; k < keys; ++k) lists.offsets[k + 1] += lists.offsets[k];
  lists.items.resize(all.size());
  std::vector<uint32_t> fill(lists.offsets.begin(), lists.offsets.end() - 1);
  for (const Keyed& k : all) {
    lists.items[fill[k.key]++] = k.slot;
    lists.longest[k.key] = std::max(lists.longest[k.key], k.slot.end - k.slot.start);
  }
  for (uint32_t k = 0; k < keys; ++k) {
    std::sort(lists.items.begin() + lists.offsets[k], lists.items.begin() + lists.offsets[k + 1],
              [](const Slot& a, const Slot& b) {
                return a.start != b.start ? a.start < b.start
                                          : (a.end != b.end ? a.end < b.end : a.who < b.who);
              });
  }
  return lists;
}

template <typename Item, typename Fn>
SlotLists lists_of(uint32_t keys, const std::vector<Item>& items, Fn keyed_slot) {
  std::vector<Keyed> all;
  all.reserve(items.size());
  for (const Item& item : items) {
    Keyed k = keyed_slot(item);
    if (k.slot.start < k.slot.end) all.push_back(k);  // empty after clamping: never present
  }
  return make_lists(keys, all);
}

}  // namespace

PresenceIndex PresenceIndex::build(const PresenceData& data) {
  PresenceIndex ix;
  ix.people = data.people;
  ix.groups = data.groups;
  ix.places = static_cast<uint32_t>(data.place_kinds.size());
  ix.place_kinds = data.place_kinds;
  ix.stays_by_person = lists_of(ix.people, data.stays, [](const Stay& s) {
    return Keyed{s.person, {s.place, to_tick(s.start), to_tick(s.end)}};
  });
  ix.stays_by_place = lists_of(ix.places, data.stays, [](const Stay& s) {
    return Keyed{s.place, {s.person, to_tick(s.start), to_tick(s.end)}};
  });
  ix.sessions_by_group = lists_of(ix.groups, data.sessions, [](const GroupSession& s) {
    return Keyed{s.group, {s.place, to_tick(s.start), to_tick(s.end)}};
  });
  ix.sessions_by_place = lists_of(ix.places, data.sessions, [](const GroupSession& s) {
    return Keyed{s.place, {s.group, to_tick(s.start), to_tick(s.end)}};
  });
  ix.groups_of_person = lists_of(ix.people, data.memberships, [](const Membership& m) {
    return Keyed{m.person, {m.group, to_tick(m.from), to_tick(m.to)}};
  });
  ix.members_of_group = lists_of(ix.groups, data.memberships, [](const Membership& m) {
    return Keyed{m.group, {m.person, to_tick(m.from), to_tick(m.to)}};
  });
  std::vector<Keyed> pairs;
  pairs.reserve(data.pairs.size() * 2);
  for (const PairContact& p : data.pairs) {
    const Tick s = to_tick(p.start), e = to_tick(p.end);
    if (s >= e || p.a == p.b) continue;
    pairs.push_back({p.a, {p.b, s, e}});
    pairs.push_back({p.b, {p.a, s, e}});
  }
  ix.pairs_by_person = make_lists(ix.people, pairs);
  return ix;
}

size_t PresenceIndex::bytes() const {
  return place_kinds.capacity() + stays_by_person.bytes() + stays_by_place.bytes() +
         sessions_by_group.bytes() + sessions_by_place.bytes() + groups_of_person.bytes() +
         members_of_group.bytes() + pairs_by_person.bytes();
}

}  // namespace fx::trace
