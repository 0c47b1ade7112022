// Reading and writing the spreadsheets schools keep: XLSX, and CSV in UTF-8
// (with or without BOM) or GB18030/GBK as Chinese Excel writes it.
//
// Readers stream: a 2,000,000-row file is read with bounded memory. Every
// row carries the number a person sees in Excel (the header is row 1).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace fx::ingest {

enum class CellKind {
  empty,   // blank cell
  text,    // a string cell (CSV cells are always text, or empty)
  number,  // an XLSX numeric cell; text holds its digits as Excel shows them
           // in General format (13812345678, 3.5, 2.20102200801011E+17)
  date,    // an XLSX numeric cell with a date style; text is YYYY-MM-DD,
           // or YYYY-MM-DD HH:MM:SS when it has a time of day
};

struct Cell {
  CellKind kind = CellKind::empty;
  std::string text;  // always valid UTF-8
};

struct Row {
  long number = 0;          // 1-based row number as the spreadsheet shows it
  std::vector<Cell> cells;  // trailing empty cells may be absent
};

enum class FileFormat { csv, xlsx };
enum class TextEncoding { utf8, utf8_bom, gb18030 };

// Limits that turn hostile input into a clear error instead of exhausted memory.
struct ReadLimits {
  size_t max_cell_bytes = 32 * 1024;  // a cell longer than this is an error
  size_t max_columns = 512;
};

class TableReader {
 public:
  virtual ~TableReader() = default;
  // Reads the next row (header included, as the first row) into `row`.
  // Returns false at the end of the table or on error; then status() tells
  // which: ok at a clean end, else an error naming the file, row and column.
  virtual bool next(Row& row) = 0;
  virtual const Status& status() const = 0;
  virtual FileFormat format() const = 0;
  // For CSV: the detected encoding. For XLSX: utf8.
  virtual TextEncoding encoding() const = 0;
};

// Opens `path`, detecting the format from its content (a ZIP is XLSX; text is
// CSV) and, for CSV, the encoding. `display_name` names the file in messages
// (defaults to `path`). For XLSX the first worksheet is read.
Result<std::unique_ptr<TableReader>> open_table(const std::string& path,
                                                const ReadLimits& limits = {},
                                                const std::string& display_name = "");

// A table to write: one header row and data rows of text cells.
struct WriteOptions {
  std::string sheet_name = "Sheet1";
  std::string title;                  // XLSX only: a merged title row above the header when set
  bool freeze_header = true;          // XLSX only
  std::vector<double> column_widths;  // XLSX only; empty = automatic
  // Columns whose cells are written as text even when they look numeric
  // (ID numbers, phones, codes). All cells are text unless listed in numeric_columns.
  std::vector<size_t> numeric_columns;
};

class TableWriter {
 public:
  virtual ~TableWriter() = default;
  virtual Status write_row(const std::vector<std::string>& cells) = 0;
  // Flushes and closes the file; the file is complete only after close() returns ok.
  virtual Status close() = 0;
};

// Creates a writer for `path` in `format` (and `encoding` for CSV). The first
// row written is the header. XLSX is written with constant memory.
Result<std::unique_ptr<TableWriter>> create_table(const std::string& path, FileFormat format,
                                                  TextEncoding encoding = TextEncoding::utf8_bom,
                                                  const WriteOptions& options = {});

// Human names for messages: "CSV (GB18030)", "XLSX".
std::string describe(FileFormat format, TextEncoding encoding);

}  // namespace fx::ingest
