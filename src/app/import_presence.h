// Importing co-presence data for contact tracing (issue 5): timetables, card
// swipes, contacts recorded by investigators, and proximity-sensor records in
// the SocioPatterns format, and dorm assignment periods. Each import is one transaction: every
// valid row stored, every rejected row listed with its number and reason, an import record kept;
// the same file twice changes nothing. docs/import-templates.md describes the columns and rules.
#pragma once

#include <string>
#include <string_view>

#include "app/import_report.h"
#include "core/vault.h"
#include "store/store.h"

namespace fx::app {

enum class PresenceKind { timetable, swipes, contacts, sensor, dorms };
bool parse_presence_kind(std::string_view text, PresenceKind& kind);
// The import record's kind: "presence.timetable", "presence.swipes", …
const char* presence_import_kind(PresenceKind kind);

struct PresenceImportOptions {
  ImportOptions import;
  std::string institution;  // 学校代码 for rows without one (required for sensor files)
  std::string epoch;        // sensor: t = 0 as a local time, or Unix seconds ("0": t is Unix time)
  bool create_places = false;  // create rooms and swipe places the institution does not have
  int64_t now = 0;             // for the plausibility check; 0: the clock
};

struct PresenceReport {
  ImportReport base;  // rows, imported (rows accepted), rejected, places_created, …
  long records = 0;   // records stored: entries, swipes, contacts, or merged sensor intervals
  // Dorm assignment files are all or nothing: any rejected row refuses the
  // whole file and nothing is stored.
  bool refused = false;
};
std::string to_json(const PresenceReport& report);
std::string to_text(const PresenceReport& report);

Result<PresenceReport> import_presence(store::Store& store, const Vault& vault, PresenceKind kind,
                                       const std::string& path,
                                       const PresenceImportOptions& options = {});

}  // namespace fx::app
