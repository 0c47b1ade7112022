// Synthetic co-presence for the synthetic district (sim/district.h, same
// seed): the timetable of every class and a month of card swipes, written as
// the CSV files `fangxian import presence` reads.
//
// - Timetables: every class meets 5 weekdays, 6–8 periods of 45 minutes from
//   08:00 (lunch after the 4th), in its home classroom; once a week the
//   classes of a grade pair up for an elective in a shared room, so some
//   classes meet others.
// - Swipes: college students eat 3 meals a day in canteen sitting zones of
//   about 100 regulars each (the zone is the place: 一食堂A区, …), mostly their
//   own zone; they pass the gates and read in library zones; teachers and
//   staff swipe at the gate on school days; a tenth of primary pupils ride
//   school-bus routes of about 40 twice a school day.
// Deterministic from the seed; streamed: a city's month fits in little memory.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "sim/district.h"

namespace fx::sim {

struct PresenceSimOptions {
  int days = 30;
  std::string start = "2022-02-28";  // a Monday; local dates
  uint64_t seed = 20220311;
};

struct PresenceSimSummary {
  long classes = 0, timetable_rows = 0, rooms = 0;
  long swipes = 0, canteen_zones = 0, bus_routes = 0;
  double seconds = 0;
};

// Writes timetable.csv and swipes.csv (UTF-8 with BOM) into `dir`. Rooms,
// canteen zones, gates, library zones and bus routes are named in the files;
// import them with --create-places.
Result<PresenceSimSummary> write_presence(const DistrictShape& shape, const std::string& dir,
                                          const PresenceSimOptions& options = {});

}  // namespace fx::sim
