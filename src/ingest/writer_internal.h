// The two writers behind create_table(); table.h is the public interface.
#pragma once

#include <memory>
#include <string>

#include "ingest/table.h"

namespace fx::ingest {

Result<std::unique_ptr<TableWriter>> create_csv_writer(const std::string& path,
                                                       TextEncoding encoding);
Result<std::unique_ptr<TableWriter>> create_xlsx_writer(const std::string& path,
                                                        const WriteOptions& options);

// Excel's limits on one worksheet.
constexpr long kXlsxMaxRows = 1048576;
constexpr size_t kXlsxMaxColumns = 16384;

// Removes a file a failed writer left incomplete; only a regular file, so a
// device such as /dev/full or /dev/stdout is never unlinked.
void remove_partial(const std::string& path);

}  // namespace fx::ingest
