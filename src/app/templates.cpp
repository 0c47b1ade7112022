#include "app/templates.h"

#include "app/roster_columns.h"
#include "ingest/table.h"

namespace fx::app {

std::vector<std::string> template_header(const std::string& kind) {
  const std::vector<ColumnSpec>* columns = nullptr;
  if (kind == "roster") columns = &roster_columns();
  if (kind == "institutions") columns = &institution_columns();
  std::vector<std::string> out;
  if (columns)
    for (const auto& c : *columns) out.push_back(c.headers.front());
  return out;
}

Status write_template(const std::string& kind, const std::string& path) {
  auto header = template_header(kind);
  if (header.empty())
    return Status::Invalid("unknown template “" + kind + "”: use roster or institutions");
  bool csv = path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
  ingest::WriteOptions options;
  options.sheet_name = kind == "roster" ? "人员台账" : "学校名单";
  auto writer = ingest::create_table(path, csv ? ingest::FileFormat::csv : ingest::FileFormat::xlsx,
                                     ingest::TextEncoding::utf8_bom, options);
  if (!writer.ok()) return writer.status();
  FX_RETURN_IF_ERROR((*writer)->write_row(header));
  return (*writer)->close();
}

}  // namespace fx::app
