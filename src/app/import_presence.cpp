#include "app/import_presence.h"

#include <algorithm>
#include <boost/json.hpp>
#include <ctime>

#include "app/presence_import_run.h"
#include "app/text_checks.h"

namespace fx::app {

bool parse_presence_kind(std::string_view text, PresenceKind& kind) {
  if (text == "timetable" || text == "课表")
    kind = PresenceKind::timetable;
  else if (text == "swipes" || text == "刷卡")
    kind = PresenceKind::swipes;
  else if (text == "contacts" || text == "接触")
    kind = PresenceKind::contacts;
  else if (text == "sensor" || text == "传感器")
    kind = PresenceKind::sensor;
  else if (text == "dorms" || text == "宿舍")
    kind = PresenceKind::dorms;
  else
    return false;
  return true;
}

const char* presence_import_kind(PresenceKind kind) {
  switch (kind) {
    case PresenceKind::timetable:
      return "presence.timetable";
    case PresenceKind::swipes:
      return "presence.swipes";
    case PresenceKind::contacts:
      return "presence.contacts";
    case PresenceKind::sensor:
      return "presence.sensor";
    case PresenceKind::dorms:
      return "presence.dorms";
  }
  return "presence";
}

const std::vector<ColumnSpec>& timetable_columns() {
  static const std::vector<ColumnSpec> c = {
      {kTInst, {"学校代码", "机构代码", "institution_code"}},
      {kTClass, {"班级", "class", "unit"}, true},
      {kTCourse, {"课程", "课程名称", "course"}},
      {kTWeekday, {"星期", "weekday", "day"}, true},
      {kTStart, {"开始时间", "start", "start_time"}, true},
      {kTEnd, {"结束时间", "end", "end_time"}, true},
      {kTRoom, {"教室", "上课地点", "room"}, true},
      {kTFrom, {"起始日期", "开始日期", "date_from"}, true},
      {kTTo, {"结束日期", "截止日期", "date_to"}, true},
  };
  return c;
}

const std::vector<ColumnSpec>& swipe_columns() {
  static const std::vector<ColumnSpec> c = {
      {kWInst, {"学校代码", "机构代码", "institution_code"}},
      {kWId, {"证件号码", "身份证号", "身份证号码", "id_number"}},
      {kWCode, {"学号/工号", "学号", "工号", "person_code"}},
      {kWPlace, {"地点", "刷卡地点", "place"}, true},
      {kWPlaceKind, {"地点类型", "place_kind"}},
      {kWTime, {"刷卡时间", "时间", "at", "time"}, true},
  };
  return c;
}

const std::vector<ColumnSpec>& contact_columns() {
  static const std::vector<ColumnSpec> c = {
      {kCInst, {"学校代码", "机构代码", "institution_code"}},
      {kCA, {"人员A", "人员a", "person_a"}, true},
      {kCB, {"人员B", "人员b", "person_b"}, true},
      {kCStart, {"开始时间", "start", "start_time"}, true},
      {kCMinutes, {"时长(分钟)", "时长（分钟）", "时长", "minutes", "duration_minutes"}, true},
      {kCSetting, {"场景", "接触场景", "setting"}},
  };
  return c;
}

const std::vector<ColumnSpec>& dorm_columns() {
  static const std::vector<ColumnSpec> c = {
      {kDInst, {"学校代码", "机构代码", "institution_code"}},
      {kDId, {"证件号码", "身份证号", "身份证号码", "id_number"}},
      {kDCode, {"学号/工号", "学号", "工号", "person_code"}},
      {kDRoom, {"宿舍", "宿舍号", "dorm", "room"}, true},
      {kDFrom, {"起始日期", "开始日期", "入住日期", "date_from"}, true},
      {kDTo, {"结束日期", "截止日期", "退宿日期", "date_to"}},
  };
  return c;
}

PresenceRun::PresenceRun(store::Store& s, const Vault& v, PresenceKind k,
                         const PresenceImportOptions& o)
    : store(s), vault(v), kind(k), options(o) {
  report.base.kind = presence_import_kind(k);
  report.base.dry_run = o.import.dry_run;
  now = o.now ? o.now : static_cast<int64_t>(std::time(nullptr));
}

Status PresenceRun::start() {
  started_at = store::utc_now_iso();
  FX_RETURN_IF_ERROR(lookup.load(store, vault));
  std::string code = trimmed(options.institution);
  if (!code.empty()) {
    default_institution = lookup.institution(code);
    if (!default_institution)
      return Status::Invalid("--institution: 未知学校代码 “" + code +
                             "” (unknown institution code)");
  }
  return Status::Ok();
}

void PresenceRun::reject(long row, std::string column, std::string reason,
                         std::vector<std::string> cells) {
  report.base.rejected.push_back({row, std::move(column), std::move(reason), std::move(cells)});
}

int64_t PresenceRun::new_place(int64_t inst, domain::PlaceKind kind, const std::string& name) {
  domain::Place p;
  p.institution_id = inst;
  p.kind = kind;
  p.name = name;
  batch.new_places.push_back(std::move(p));
  int64_t ref = -static_cast<int64_t>(batch.new_places.size());
  lookup.add_place(inst, kind, name, ref);
  ++report.base.places_created;
  return ref;
}

Status PresenceRun::finish(const OpenedTable* table) {
  auto& r = report.base;
  std::stable_sort(r.rejected.begin(), r.rejected.end(),
                   [](const auto& x, const auto& y) { return x.row < y.row; });
  report.records = static_cast<long>(batch.timetable.size() + batch.swipes.size() +
                                     batch.contacts.size() + batch.dorms.size());
  if (kind == PresenceKind::dorms && !r.rejected.empty()) {
    report.refused = true;
    report.records = 0;
    batch = {};
  }
  if (table && !options.import.errors_out.empty() && !r.rejected.empty())
    FX_RETURN_IF_ERROR(write_errors_file(*table, r.rejected, options.import.errors_out));
  if (!options.import.dry_run && !report.refused) {
    batch.import = import_record(r, options.import, started_at);
    batch.change.kind = "presence.imported";
    batch.change.institution_id = default_institution;
    batch.change.detail =
        "{\"kind\":\"" + r.kind + "\",\"records\":" + std::to_string(report.records) + "}";
    auto id = store.presence().write_batch(batch);
    if (!id.ok()) return id.status();
    r.import_id = *id;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return Status::Ok();
}

Result<OpenedTable> open_presence_table(PresenceRun& run, const std::string& path,
                                        const std::vector<ColumnSpec>& columns, int field_count,
                                        const std::vector<std::vector<int>>& any_of, bool& done) {
  auto t = open_import(path, run.options.import.display_name, columns, field_count, any_of);
  if (!t.ok()) return t.status();
  auto& r = run.report.base;
  r.file_name = t->display_name;
  r.format = ingest::describe(t->format, t->encoding);
  r.sha256 = t->sha256;
  auto seen = check_already_imported(run.store, r.kind, *t, r);
  if (!seen.ok()) return seen.status();
  done = *seen;
  return t;
}

Result<PresenceReport> import_presence(store::Store& store, const Vault& vault, PresenceKind kind,
                                       const std::string& path,
                                       const PresenceImportOptions& options) {
  PresenceRun run(store, vault, kind, options);
  bool done = false;
  if (kind == PresenceKind::sensor) {
    FX_RETURN_IF_ERROR(import_sensor_file(run, path, done));
    if (done) return run.report;
    FX_RETURN_IF_ERROR(run.finish(nullptr));
    return run.report;
  }
  const std::vector<ColumnSpec>& columns = kind == PresenceKind::timetable ? timetable_columns()
                                           : kind == PresenceKind::swipes  ? swipe_columns()
                                           : kind == PresenceKind::dorms   ? dorm_columns()
                                                                           : contact_columns();
  int fields = kind == PresenceKind::timetable ? int{kTFieldCount}
               : kind == PresenceKind::swipes  ? int{kWFieldCount}
               : kind == PresenceKind::dorms   ? int{kDFieldCount}
                                               : int{kCFieldCount};
  std::vector<std::vector<int>> any_of;
  if (kind == PresenceKind::swipes) any_of = {{kWId, kWCode}};
  if (kind == PresenceKind::dorms) any_of = {{kDId, kDCode}};
  auto t = open_presence_table(run, path, columns, fields, any_of, done);
  if (!t.ok()) return t.status();
  if (done) return run.report;
  FX_RETURN_IF_ERROR(run.start());
  if (kind == PresenceKind::timetable)
    FX_RETURN_IF_ERROR(import_timetable_rows(run, *t));
  else if (kind == PresenceKind::swipes)
    FX_RETURN_IF_ERROR(import_swipe_rows(run, *t));
  else if (kind == PresenceKind::dorms)
    FX_RETURN_IF_ERROR(import_dorm_rows(run, *t));
  else
    FX_RETURN_IF_ERROR(import_contact_rows(run, *t));
  FX_RETURN_IF_ERROR(run.finish(&*t));
  return run.report;
}

std::string to_json(const PresenceReport& r) {
  auto v = boost::json::parse(to_json(r.base));
  auto& o = v.as_object();
  o["records"] = r.records;
  if (r.refused) o["refused"] = true;
  return boost::json::serialize(v);
}

std::string to_text(const PresenceReport& r) {
  ImportReport base = r.base;
  long places = base.places_created;
  base.places_created = 0;  // the roster's wording says dorm rooms
  std::string out = to_text(base);
  if (r.base.already_imported) return out;
  if (r.refused)
    return out +
           "整个文件未导入：请改正上列各行后重新导入 (file refused: nothing stored; fix the rows "
           "above and import again)\n";
  out += "保存记录 records stored: " + std::to_string(r.base.dry_run ? 0 : r.records) +
         (r.base.dry_run ? " (would store " + std::to_string(r.records) + ")" : "") + "\n";
  if (places) out += "新建地点 places created: " + std::to_string(places) + "\n";
  return out;
}

}  // namespace fx::app
