// PresenceStore: the co-presence records contact tracing reads — timetable
// entries, card swipes, pairwise contacts (investigator or sensor) and dorm
// assignment periods.
//
// Reached through Store::presence(). People and places are referenced by
// their store ids. Times of swipes and contacts are Unix seconds (UTC);
// timetable entries keep the school's local wall clock (minutes of the day
// in Asia/Shanghai, dates as YYYY-MM-DD) and are expanded by the loader
// (app/trace_loader). Each write_batch() is one transaction with its import
// record and one change-feed entry ("presence.imported").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/roster.h"
#include "store/records.h"

namespace fx::store {

struct TimetableEntry {
  int64_t id = 0;
  int64_t institution_id = 0;
  int64_t unit_id = 0;  // the class unit that meets
  std::string course;
  int weekday = 1;                       // 1 Monday … 7 Sunday
  int start_minute = 0, end_minute = 0;  // local minutes of the day, start < end
  int64_t place_id = 0;                  // the room
  std::string date_from, date_to;        // YYYY-MM-DD, inclusive
  int64_t import_id = 0;
};

struct SwipeRecord {
  int64_t person_id = 0;
  int64_t place_id = 0;
  int64_t at = 0;  // Unix seconds, UTC
};

enum class ContactSource : uint8_t { investigator, sensor };
inline const char* contact_source_code(ContactSource source) {
  return source == ContactSource::sensor ? "sensor" : "investigator";
}

struct PairContactRecord {
  int64_t person_a = 0, person_b = 0;
  int64_t start = 0, end = 0;  // Unix seconds, UTC, start < end
  std::string setting;         // 场景 as the investigator wrote it
  ContactSource source = ContactSource::investigator;
};

// A period a person is assigned to a dorm room (issue 5: students move).
// Where a person has any, the tracing index takes their dorm nights from
// these instead of the roster's single room (people.dorm_id).
struct DormAssignment {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t place_id = 0;   // a place of kind dorm_room in the person's institution
  std::string date_from;  // YYYY-MM-DD: the first night in the room
  std::string date_to;    // YYYY-MM-DD: the last night in the room; empty: open
  int64_t import_id = 0;
};

// A person's placements that make presence: class unit and dorm room.
struct PresencePerson {
  int64_t id = 0;
  int64_t institution_id = 0;
  int64_t unit_id = 0;  // 0 when none
  int64_t dorm_id = 0;  // the dorm-room place, 0 when none
};

// One import, written in one transaction. A place_id below zero in a row
// refers to new_places[-place_id - 1], created by this batch.
struct PresenceBatch {
  std::vector<domain::Place> new_places;
  std::vector<TimetableEntry> timetable;
  std::vector<SwipeRecord> swipes;
  std::vector<PairContactRecord> contacts;
  std::vector<DormAssignment> dorms;
  ImportRecord import;
  Change change;  // subject_id is set to the import id
};

class PresenceStore {
 public:
  virtual ~PresenceStore() = default;

  // Stores the batch; returns the import id. An import of the same kind and
  // sha256 already stored is AlreadyExists and nothing is written.
  virtual Result<int64_t> write_batch(const PresenceBatch& batch) = 0;

  virtual Result<std::vector<TimetableEntry>> list_timetable() = 0;  // by id
  // Calls `fn` for every swipe, in insertion order (one read snapshot).
  virtual Status for_each_swipe(const std::function<void(const SwipeRecord&)>& fn) = 0;
  virtual Result<std::vector<PairContactRecord>> list_contacts() = 0;  // by id
  // Every dorm assignment, by person, then first night.
  virtual Result<std::vector<DormAssignment>> list_dorm_assignments() = 0;
  // Every person's unit and dorm, in id order.
  virtual Result<std::vector<PresencePerson>> presence_people() = 0;
  virtual Result<int64_t> count_swipes() = 0;
};

}  // namespace fx::store
