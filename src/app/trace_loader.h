// From the store to the tracing engine's input: people, places and groups
// numbered densely, timetables expanded into class sessions, dorm rooms into
// nightly sessions, swipes widened into stays, pairwise contacts kept.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "domain/roster.h"
#include "store/store.h"
#include "trace/presence.h"

namespace fx::app {

inline constexpr int kPlaceKinds = 7;  // domain::PlaceKind values

struct PresenceOptions {
  // How long a swipe keeps its person at the place, by domain::PlaceKind:
  // dorm_room, classroom, canteen, gate, library, bus, other. (Policy files
  // will supply these.)
  int64_t dwell_seconds[kPlaceKinds] = {600, 600, 1200, 60, 3600, 1800, 600};
  // A dorm night, local time: from 22:00 to 07:00 the next morning.
  int night_start_minute = 22 * 60, night_end_minute = 7 * 60;
  // The nights to make, as local dates (day numbers since 1970-01-01) from
  // first_night to last_night inclusive. Both 0: from the earliest presence
  // record's date to the day after the latest — or to today (`now`) when the
  // latest record is at most `current_days` old.
  int64_t first_night = 0, last_night = 0;
  int64_t now = 0;  // Unix seconds; 0: the clock
  int current_days = 14;
};

struct LoadedPresence {
  trace::PresenceData data;
  std::vector<int64_t> person_ids;  // PersonIx → people.id (ascending)
  std::vector<int64_t> place_ids;   // PlaceIx → places.id (ascending)
  struct Group {
    enum class Kind : uint8_t { class_unit, dorm_room } kind;
    int64_t id;  // units.id or places.id
  };
  std::vector<Group> groups;                       // GroupIx → what it is
  std::vector<store::ContactSource> pair_sources;  // parallel to data.pairs
  int64_t first_night = 0, last_night = 0;         // the nights made (local day numbers)
  long timetable_entries = 0, swipes = 0;
  double seconds = 0;

  // Dense index of a store id; -1 when absent.
  int64_t person_ix(int64_t person_id) const;
  int64_t place_ix(int64_t place_id) const;

 private:
  friend Result<LoadedPresence> load_presence(store::Store&, const PresenceOptions&);
  // Store id → dense index: a table when ids are compact, else a hash map.
  struct IdIndex {
    void build(const std::vector<int64_t>& ids);
    int64_t find(int64_t id) const;
    std::vector<uint32_t> table;
    std::unordered_map<int64_t, uint32_t> map;
  };
  IdIndex person_ix_, place_ix_;
};

Result<LoadedPresence> load_presence(store::Store& store, const PresenceOptions& options = {});

}  // namespace fx::app
