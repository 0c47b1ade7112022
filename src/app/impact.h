// Impact preview (影响预估): what closing a dorm building or a class would
// touch, before anyone decides. Closing dorm building 3 sends its residents
// home or into quarantine: which classes lose how many students. Closing
// class 护理2101 stops its members: which dorm rooms they share with people
// of other classes. From the roster alone, scoped by the caller.
#pragma once

#include <string>
#include <vector>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

struct ImpactRequest {
  std::string institution_code;
  std::string dorm_building;  // "3号楼" (or "3"); or
  std::string class_name;     // the last level of a unit path ("护理2101"); or
  int64_t unit_id = 0;        // a unit and everything below it
};

struct ImpactUnit {
  int64_t unit_id = 0;
  std::string unit_path;
  long affected = 0, size = 0;  // people of the unit affected, and all of its people
};

struct ImpactRoom {
  std::string room;
  long inside = 0, outside = 0;  // residents affected, and residents outside the target
};

struct Impact {
  std::string institution_code, institution_name, target;
  long people = 0, students = 0, teachers = 0, staff = 0;
  std::vector<ImpactUnit> units;  // most affected first
  std::vector<ImpactRoom> rooms;  // by name
  long outside_roommates = 0;     // people outside the target sharing a room with it
};

// The dorm building of a room name: "3号楼305" → "3号楼", "A栋101" → "A栋".
std::string dorm_building_of(const std::string& room);

// Permission::people_list; the institution must be in the caller's scope
// (NotFound otherwise); an unknown building or class is NotFound. Audited.
Result<Impact> preview_impact(store::Store& store, const Caller& caller,
                              const ImpactRequest& request);
std::string impact_json(const Impact& impact);
std::string impact_text(const Impact& impact);

}  // namespace fx::app
