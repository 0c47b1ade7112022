// What an import tells its caller: counts, every rejected row, what changed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/records.h"

namespace fx::app {

struct ImportOptions {
  std::string actor = "cli";  // who imports: a user name, or "cli"
  std::string display_name;   // the file's name in messages; defaults to the path's file name
  bool dry_run = false;       // validate and report, store nothing
  std::string errors_out;     // when set, write the rejected rows here with a 错误原因 column
  // Called every few thousand rows with the number of data rows read so far.
  std::function<void(long rows)> progress;
};

// A person whose stored record an import changed, and which fields changed
// (names only: reports must not carry personal data).
struct UpdatedRow {
  long row = 0;
  std::string person_code;
  std::vector<std::string> fields;
};

struct ImportReport {
  std::string kind;  // "institutions" or "roster"
  std::string file_name;
  std::string format;  // "CSV (GB18030)", "XLSX", …
  std::string sha256;
  bool dry_run = false;
  bool already_imported = false;  // the same file was imported before: nothing changed
  int64_t previous_import_id = 0;
  std::string previous_import_at;
  int64_t import_id = 0;  // 0 when nothing was stored
  long rows = 0;          // data rows in the file
  long imported = 0, updated = 0, unchanged = 0;
  std::vector<store::Rejection> rejected;
  std::vector<UpdatedRow> updates;
  long units_created = 0, places_created = 0;
  double seconds = 0;
};

// {"imported":N,"updated":N,"unchanged":N,"rejected":[{"row","column","reason"}], …}
std::string to_json(const ImportReport& report);
// A few lines in Chinese and English for a terminal.
std::string to_text(const ImportReport& report);

}  // namespace fx::app
