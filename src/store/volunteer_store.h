// VolunteerStore: staff sent to the front line (支援一线): the sites (quarantine
// hotels, communities, test sites) and each person's shifts there, with an
// append-only history of corrected shifts (volunteer_revisions).
//
// Reached through Store::volunteers(). Shift times are UTC ISO 8601 text with
// whole seconds ("2022-03-15T00:00:00Z") so that they compare as text. One
// person's shifts never overlap: checked inside the write transaction, with
// the person's row locked on PostgreSQL so two nodes cannot both add one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace fx::store {

struct VolunteerSite {
  int64_t id = 0;
  std::string name;  // unique
  std::string kind;  // hotel, community, test_site
  std::string address, actor, created_at;
};

struct ShiftRecord {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t institution_id = 0;  // the person's
  int64_t site_id = 0;
  std::string role;              // 核酸检测, 信息整理, … as written
  std::string start_at, end_at;  // end after start
  std::string note, actor, updated_at;
  std::string person_name, person_code, site_name, site_kind;  // read only
};

struct ShiftRevision {
  int64_t id = 0;
  int64_t shift_id = 0;
  std::string previous, actor, at;  // previous: the replaced row as JSON
};

class VolunteerStore {
 public:
  virtual ~VolunteerStore() = default;

  // AlreadyExists when the name is taken.
  virtual Result<int64_t> add_site(const VolunteerSite& site) = 0;
  virtual Result<std::vector<VolunteerSite>> sites() = 0;  // by id
  // All in one transaction. A shift with its id set replaces that shift
  // (NotFound when there is none of that institution), keeping the old one
  // in volunteer_revisions. Conflict when a shift overlaps another of the
  // same person (stored or in `shifts`), Invalid when it ends before it
  // starts. One change per institution ("volunteers.saved"). Returns the ids.
  virtual Result<std::vector<int64_t>> save_shifts(const std::vector<ShiftRecord>& shifts,
                                                   const std::string& actor) = 0;
  // Shifts of one institution's people (0: all), by start then id.
  virtual Result<std::vector<ShiftRecord>> shifts(int64_t institution_id) = 0;
  virtual Result<std::vector<ShiftRevision>> revisions(int64_t shift_id) = 0;  // oldest first
};

}  // namespace fx::store
