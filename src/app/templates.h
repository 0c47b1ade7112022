// The import templates: the header row a school fills in.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace fx::app {

// "roster" or "institutions" → the header texts, in template order; empty for others.
std::vector<std::string> template_header(const std::string& kind);

// Writes an empty template (header only) to `path`: XLSX or, for *.csv, UTF-8 CSV with BOM.
Status write_template(const std::string& kind, const std::string& path);

}  // namespace fx::app
