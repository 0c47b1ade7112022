// What the presence importers share (internal to app/import_*.cpp): the
// lookups, the batch being built, rejections, and the final commit.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "app/import_presence.h"
#include "app/presence_lookup.h"
#include "app/table_import.h"

namespace fx::app {

struct PresenceRun {
  PresenceRun(store::Store& s, const Vault& v, PresenceKind k, const PresenceImportOptions& o);

  // Loads the lookups; resolves --institution (unknown code: an error).
  Status start();
  void reject(long row, std::string column, std::string reason, std::vector<std::string> cells);
  // A place this import creates; returns its batch reference (negative).
  int64_t new_place(int64_t institution_id, domain::PlaceKind kind, const std::string& name);
  // Sorts the rejections, writes the errors file when asked, and stores the
  // batch unless it is a dry run (or a dorms file with a rejected row: those
  // are all or nothing).
  Status finish(const OpenedTable* table);

  store::Store& store;
  const Vault& vault;
  PresenceKind kind;
  const PresenceImportOptions& options;
  PresenceReport report;
  PresenceLookup lookup;
  store::PresenceBatch batch;
  int64_t default_institution = 0;  // from --institution
  int64_t now = 0;
  std::string started_at;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// Opens a presence spreadsheet and fills the report's file fields; true in
// `done` when the same file was imported before (the report says so).
Result<OpenedTable> open_presence_table(PresenceRun& run, const std::string& path,
                                        const std::vector<ColumnSpec>& columns, int field_count,
                                        const std::vector<std::vector<int>>& any_of, bool& done);

Status import_timetable_rows(PresenceRun& run, OpenedTable& t);  // import_timetable.cpp
Status import_swipe_rows(PresenceRun& run, OpenedTable& t);      // import_swipes.cpp
Status import_contact_rows(PresenceRun& run, OpenedTable& t);    // import_contacts.cpp
Status import_dorm_rows(PresenceRun& run, OpenedTable& t);       // import_dorms.cpp
Status import_sensor_file(PresenceRun& run, const std::string& path,
                          bool& done);  // import_sensor.cpp

const std::vector<ColumnSpec>& timetable_columns();
const std::vector<ColumnSpec>& swipe_columns();
const std::vector<ColumnSpec>& contact_columns();
const std::vector<ColumnSpec>& dorm_columns();
enum TimetableField {
  kTInst,
  kTClass,
  kTCourse,
  kTWeekday,
  kTStart,
  kTEnd,
  kTRoom,
  kTFrom,
  kTTo,
  kTFieldCount
};
enum SwipeField { kWInst, kWId, kWCode, kWPlace, kWPlaceKind, kWTime, kWFieldCount };
enum ContactField { kCInst, kCA, kCB, kCStart, kCMinutes, kCSetting, kCFieldCount };
enum DormField { kDInst, kDId, kDCode, kDRoom, kDFrom, kDTo, kDFieldCount };

}  // namespace fx::app
