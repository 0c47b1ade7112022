// The CSV half of open_table(): RFC 4180 records (or tab-separated when the
// header has tabs and no commas) over a streaming UTF-8 source.
#pragma once

#include <memory>
#include <string>

#include "ingest/table.h"

namespace fx::ingest {

// Takes ownership of `fd`, positioned where the text starts (after any BOM).
// `name` names the file in messages.
std::unique_ptr<TableReader> open_csv(int fd, TextEncoding encoding, std::string name,
                                      const ReadLimits& limits);

}  // namespace fx::ingest
