// What every import of a spreadsheet shares: opening it, hashing it,
// matching its header to known columns, and writing the rejected rows back.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/import_report.h"
#include "ingest/table.h"
#include "store/store.h"

namespace fx::app {

// A column the importer knows: its field id, the header texts schools write
// (Chinese first, English accepted) and whether the header must be present.
struct ColumnSpec {
  int field;
  std::vector<std::string> headers;
  bool required = false;
};

// An opened table with its header matched: index of each field's column or -1.
struct OpenedTable {
  std::unique_ptr<ingest::TableReader> reader;
  std::string display_name;
  std::string sha256;
  std::vector<std::string> header;  // as written in the file
  std::vector<int> column_of;       // field id → column index, -1 when absent
  ingest::FileFormat format = ingest::FileFormat::csv;
  ingest::TextEncoding encoding = ingest::TextEncoding::utf8;
};

// Opens `path`, hashes it and reads its header row. Fails, naming the file,
// when it cannot be read, is empty, or lacks a required column (all missing
// columns are listed). `any_of` lists groups of fields of which at least one
// must be present (学校代码 or 学校名称).
Result<OpenedTable> open_import(const std::string& path, const std::string& display_name,
                                const std::vector<ColumnSpec>& columns, int field_count,
                                const std::vector<std::vector<int>>& any_of = {});

// The header text of a field's column in this file (for rejection messages).
std::string column_name(const OpenedTable& t, const std::vector<ColumnSpec>& columns, int field);

// The cell of `field` in `row`, or an empty cell.
const ingest::Cell& cell(const OpenedTable& t, const ingest::Row& row, int field);

// All cells of a row as text, padded to the header's width (for rejections).
std::vector<std::string> row_texts(const OpenedTable& t, const ingest::Row& row);

// Writes the rejected rows as they were, with a 错误原因 column, in the input's
// format (XLSX, or CSV in the same encoding), so a school fixes them and imports that.
Status write_errors_file(const OpenedTable& t, const std::vector<store::Rejection>& rejected,
                         const std::string& path);

// Looks for a committed import of this file; fills the report and returns
// true when there is one.
Result<bool> check_already_imported(store::Store& store, const std::string& kind,
                                    const OpenedTable& t, ImportReport& report);

// The import record to store for a finished import.
store::ImportRecord import_record(const ImportReport& report, const ImportOptions& options,
                                  const std::string& started_at);

// Stores the import record and its change (`change_kind`, e.g. "roster.imported")
// in `tx` and commits it; sets report.import_id.
Status commit_import(store::WriteTx& tx, ImportReport& report, const ImportOptions& options,
                     const std::string& started_at, const std::string& change_kind);

// The file name part of a path.
std::string base_name(const std::string& path);

}  // namespace fx::app
