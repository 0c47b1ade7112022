#include "app/import_report.h"

#include <boost/json.hpp>

namespace fx::app {

std::string to_json(const ImportReport& r) {
  namespace json = boost::json;
  json::object o;
  o["kind"] = r.kind;
  o["file"] = r.file_name;
  o["format"] = r.format;
  o["sha256"] = r.sha256;
  o["dry_run"] = r.dry_run;
  o["already_imported"] = r.already_imported;
  if (r.already_imported) {
    o["previous_import_id"] = r.previous_import_id;
    o["previous_import_at"] = r.previous_import_at;
  }
  o["import_id"] = r.import_id;
  o["rows"] = r.rows;
  o["imported"] = r.imported;
  o["updated"] = r.updated;
  o["unchanged"] = r.unchanged;
  json::array rejected;
  for (const auto& x : r.rejected)
    rejected.push_back(json::object{{"row", x.row}, {"column", x.column}, {"reason", x.reason}});
  o["rejected"] = std::move(rejected);
  json::array updates;
  for (const auto& u : r.updates) {
    json::array fields;
    for (const auto& f : u.fields) fields.push_back(json::string(f));
    updates.push_back(json::object{
        {"row", u.row}, {"person_code", u.person_code}, {"fields", std::move(fields)}});
  }
  o["updates"] = std::move(updates);
  o["units_created"] = r.units_created;
  o["places_created"] = r.places_created;
  o["seconds"] = r.seconds;
  return json::serialize(o);
}

std::string to_text(const ImportReport& r) {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  line(r.file_name + " — " + r.format +
       (r.dry_run ? "（试运行，未保存 dry run: nothing stored）" : ""));
  if (r.already_imported) {
    line("该文件已于 " + r.previous_import_at + " 导入（导入记录 #" +
         std::to_string(r.previous_import_id) + "），本次未做任何更改。");
    line("This file was already imported (import #" + std::to_string(r.previous_import_id) +
         "): nothing changed.");
    return out;
  }
  line("数据行 rows: " + std::to_string(r.rows) + "  新增 imported: " + std::to_string(r.imported) +
       "  更新 updated: " + std::to_string(r.updated) + "  未变 unchanged: " +
       std::to_string(r.unchanged) + "  拒绝 rejected: " + std::to_string(r.rejected.size()));
  if (r.units_created || r.places_created)
    line("新建单位 units created: " + std::to_string(r.units_created) +
         "  新建宿舍 dorm rooms created: " + std::to_string(r.places_created));
  constexpr size_t kShown = 50;
  for (size_t i = 0; i < r.rejected.size() && i < kShown; ++i) {
    const auto& x = r.rejected[i];
    line("  第" + std::to_string(x.row) + "行 row " + std::to_string(x.row) +
         (x.column.empty() ? "" : " [" + x.column + "]") + ": " + x.reason);
  }
  if (r.rejected.size() > kShown)
    line("  … 另有 " + std::to_string(r.rejected.size() - kShown) +
         " 行被拒绝，用 --errors-out FILE 导出全部 (more: use --errors-out FILE)");
  for (size_t i = 0; i < r.updates.size() && i < kShown; ++i) {
    const auto& u = r.updates[i];
    std::string fields;
    for (const auto& f : u.fields) fields += (fields.empty() ? "" : "、") + f;
    line("  更新 updated row " + std::to_string(u.row) + " " + u.person_code + ": " + fields);
  }
  if (r.import_id) line("导入记录 import #" + std::to_string(r.import_id));
  return out;
}

}  // namespace fx::app
