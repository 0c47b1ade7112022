// Records the store keeps beside the roster: imports, rejected rows, changes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/vault.h"

namespace fx::store {

// One rejected row of an import: its number as the spreadsheet shows it, the
// column (header text) at fault, and why.
struct Rejection {
  long row = 0;
  std::string column;
  std::string reason;
  std::vector<std::string> cells;  // the row as it was; sealed at rest (it may hold ID numbers)
};

struct ImportRecord {
  int64_t id = 0;
  std::string kind;                     // "institutions", "roster", …
  std::string file_name;                // as uploaded, without folders
  std::string sha256;                   // of the file's bytes, hex
  std::string format;                   // "CSV (GB18030)", "XLSX", …
  std::string started_at, finished_at;  // UTC, ISO 8601
  std::string actor;                    // who imported: a user name, or "cli"
  long rows = 0;                        // data rows read (header excluded)
  long imported = 0, updated = 0, unchanged = 0, rejected = 0;
  std::vector<Rejection> rejections;
};

// An entry of the change feed: a monotonic sequence number and what changed.
// Readers (the tracing index, cached figures, other nodes, the dashboard)
// follow it from their last sequence number.
struct Change {
  int64_t seq = 0;
  std::string at;              // UTC, ISO 8601
  std::string kind;            // "roster.imported", "institutions.imported", …
  int64_t institution_id = 0;  // 0 when district-wide
  int64_t subject_id = 0;      // the record the change is about (an import id, …)
  std::string detail;          // a short JSON object
};

// What the importer needs to know about a stored person to tell new, updated
// and unchanged rows apart without decrypting anything.
struct PersonDigest {
  int64_t id = 0;
  int64_t institution_id = 0;
  std::string person_code;
  Vault::Hash id_hash{};
  Vault::Hash row_hash{};  // of every imported field, see app/roster_import
};

struct RosterCount {
  int64_t institution_id = 0;
  std::string code, name, kind;
  long people = 0, students = 0, teachers = 0, staff = 0, units = 0, dorm_residents = 0;
};

}  // namespace fx::store
