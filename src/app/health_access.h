// What the case and tracking use cases share: the audit entry written for
// every read or write of health data, the institution of a person, and a
// spreadsheet written to a private scratch file and read back as bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

// One audit entry as `caller`. `detail` is short and never names a person.
Status audit_health(store::Store& store, const Caller& caller, const std::string& action,
                    const std::string& subject_kind, int64_t subject_id, int64_t institution_id,
                    const std::string& detail);

// The institution of a person; NotFound when there is no such person.
Result<int64_t> institution_of(store::Store& store, int64_t person_id);

struct ExportedFile {
  std::string file_name;  // UTF-8, for Content-Disposition
  std::string content_type;
  std::string bytes;
};
enum class ExportFormat { json, xlsx, csv };
// "json" (or empty), "xlsx", "csv"; Invalid naming `format` otherwise.
Result<ExportFormat> parse_export_format(const std::string& text);
// Calls `write` with a private path in `scratch_dir` (mode 0600, removed
// afterwards) and returns what it wrote, named `stem` + ".xlsx" or ".csv".
Result<ExportedFile> export_to_bytes(const std::string& scratch_dir, ExportFormat format,
                                     const std::string& stem,
                                     const std::function<Status(const std::string&)>& write);

}  // namespace fx::app
