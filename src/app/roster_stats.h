// Roster figures: how many institutions and people, by kind and by role.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "store/store.h"

namespace fx::app {

struct KindTotals {
  long institutions = 0, people = 0, students = 0, teachers = 0, staff = 0, dorm_residents = 0;
};

struct RosterStats {
  KindTotals total;
  long units = 0;
  std::map<std::string, KindTotals> by_kind;  // by institution kind code
  std::vector<store::RosterCount> institutions;
};

Result<RosterStats> roster_stats(store::Store& store);

std::string to_json(const RosterStats& stats);
std::string to_text(const RosterStats& stats);

}  // namespace fx::app
