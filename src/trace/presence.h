// Co-presence data as the tracing engine reads it: who was where, when.
//
// People, places and groups are dense indexes (0..n-1) chosen by whoever
// loads the data (app/trace_loader maps store ids to them). Times are Unix
// seconds (UTC). Every interval is half-open [start, end) with start < end.
//
// Four shapes cover every source a campus has:
//   - a Stay: one person at one place (a card swipe widened by the place
//     kind's dwell time, or any other individual presence);
//   - a GroupSession: a whole group at one place (a timetabled class in a
//     room, or one night of a dorm room); a person is present when a
//     Membership of that group covers the session;
//   - a PairContact: two people in contact, without a place (recorded by an
//     investigator, or merged 20-second proximity-sensor records).
#pragma once

#include <cstdint>
#include <vector>

#include "domain/roster.h"

namespace fx::trace {

using Time = int64_t;  // Unix seconds, UTC
using PersonIx = uint32_t;
using PlaceIx = uint32_t;
using GroupIx = uint32_t;

// How the co-presence came about; each kind has its own threshold.
enum class ContactKind : uint8_t {
  dorm_room,
  classroom,
  canteen,
  gate,
  library,
  bus,
  other_place,
  pairwise,  // investigator or sensor records
};
inline constexpr int kContactKinds = 8;
ContactKind contact_kind_of(domain::PlaceKind kind);
const char* contact_kind_code(ContactKind kind);  // "dorm_room", …, "pairwise"
const char* contact_kind_name(ContactKind kind);  // Chinese

struct Stay {
  PersonIx person;
  PlaceIx place;
  Time start, end;
};

struct GroupSession {
  GroupIx group;
  PlaceIx place;
  Time start, end;
};

struct Membership {
  GroupIx group;
  PersonIx person;
  Time from, to;  // the member belongs to the group during [from, to)
};

struct PairContact {
  PersonIx a, b;
  Time start, end;
};

inline constexpr Time kForever = INT64_C(4102444800);  // 2100-01-01
inline constexpr Time kBeginning = 0;

// Everything the engine indexes. `place_kinds[p]` gives place p's kind.
struct PresenceData {
  uint32_t people = 0;
  uint32_t groups = 0;
  std::vector<ContactKind> place_kinds;
  std::vector<Stay> stays;
  std::vector<GroupSession> sessions;
  std::vector<Membership> memberships;
  std::vector<PairContact> pairs;
};

// The minimum cumulative co-presence per contact kind that makes a contact, in
// seconds. Zero means any overlap at all (a shared dorm night).
struct Thresholds {
  int64_t seconds[kContactKinds] = {0, 900, 900, 900, 900, 900, 900, 900};
  bool reached(ContactKind kind, int64_t total) const {
    return total > 0 && total >= seconds[static_cast<int>(kind)];
  }
};

}  // namespace fx::trace
