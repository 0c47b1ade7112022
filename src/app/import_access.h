// Imports through the server: an uploaded file imported as the caller, and
// import records read back within the caller's scope.
//
// Rejected rows hold personal data (the row as it was). A district-wide
// caller sees them all; an institution admin or liaison sees only the rows
// whose 学校代码/学校名称 names an institution in their scope (rows of an import
// made from the command line, whose file is not known, are not shown to them).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/caller.h"
#include "app/import_report.h"
#include "core/vault.h"
#include "store/store.h"

namespace fx::app {

struct Upload {
  std::string kind;       // "roster" or "institutions"
  std::string file_name;  // as the client named it: .csv or .xlsx, no folders
  std::string_view bytes;
  std::string upload_dir;  // a private folder for the file while it is imported (created 0700)
  std::function<void(long rows)> progress;
};

// Imports the uploaded bytes as `caller` (Permission::imports_write). The
// file is written to upload_dir with mode 0600 and removed afterwards.
Result<ImportReport> import_upload(store::Store& store, const Vault& vault, const Caller& caller,
                                   const Upload& upload);

// Import records, newest first, without rows.
Result<std::vector<store::ImportRecord>> list_imports(store::Store& store, const Caller& caller,
                                                      int limit);
// One import with the rejected rows the caller may see.
Result<store::ImportRecord> get_import(store::Store& store, const Caller& caller, int64_t id);

struct ErrorsFile {
  std::string file_name;     // "<upload>-错误行.csv"
  std::string content_type;  // text/csv or the XLSX type
  std::string bytes;
};
// The rejected rows the caller may see, as a file in the upload's format with
// a 错误原因 column; `scratch_dir` holds it while it is written.
Result<ErrorsFile> import_errors_file(store::Store& store, const Caller& caller, int64_t id,
                                      const std::string& scratch_dir);

}  // namespace fx::app
