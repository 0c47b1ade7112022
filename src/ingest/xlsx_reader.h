// The XLSX half of open_table(): the first worksheet, streamed with expat out
// of the ZIP; shared strings and styles are held in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ingest/table.h"

namespace fx::ingest {

// Caps on the uncompressed size read from any one part, so a zip bomb ends
// in a clear error rather than exhausted memory or hours of inflating.
struct XlsxCaps {
  uint64_t sheet_bytes = 2ull << 30;
  uint64_t shared_strings_bytes = 512ull << 20;
  uint64_t other_part_bytes = 64ull << 20;  // workbook, rels, styles
};

// `name` names the file in messages.
Result<std::unique_ptr<TableReader>> open_xlsx(const std::string& path, const std::string& name,
                                               const ReadLimits& limits, const XlsxCaps& caps = {});

// Exposed for tests.
// A number as Excel's General format shows it: 15 significant digits,
// scientific from 1E+15 up (2.20102200801011E+17).
std::string excel_general(double value);
// An Excel date serial as "YYYY-MM-DD[ HH:MM:SS]"; false when the value is
// not a calendar date (negative, a bare time of day, beyond 9999-12-31).
bool excel_date_text(double serial, bool date1904, std::string* out);
// Whether a number format shows a date or time.
bool is_date_format(int num_fmt_id, std::string_view custom_code);

}  // namespace fx::ingest
