// Screening files from class teachers: home-bound people, or the day's
// reports, as CSV or XLSX. The whole file is checked first; any bad row and
// nothing is stored, every problem listed as 第N行 with its column.
#include "app/presence_lookup.h"
#include "app/screening.h"
#include "app/table_import.h"
#include "app/text_checks.h"

namespace fx::app {
namespace {

enum ReportField {
  kInst,
  kPerson,
  kDay,
  kTemp,
  kSymptoms,
  kNote,
  kLocation,
  kAtHome,
  kReporter,
  kReportFields
};
enum HomeField { kHInst, kHPerson, kHFrom, kHTo, kHReason, kHomeFields };

const std::vector<ColumnSpec>& report_columns() {
  static const std::vector<ColumnSpec> c = {
      {kInst, {"学校代码", "institution"}},
      {kPerson, {"学号/工号", "学号", "工号", "证件号码", "person"}, true},
      {kDay, {"日期", "填报日期", "day"}, true},
      {kTemp, {"体温", "体温(℃)", "temperature"}, true},
      {kSymptoms, {"症状", "symptoms"}},
      {kNote, {"症状说明", "其他症状", "symptom_note"}},
      {kLocation, {"所在位置", "位置", "location"}},
      {kAtHome, {"是否在家", "在家", "at_home"}, true},
      {kReporter, {"填报人", "reporter"}, true},
  };
  return c;
}

const std::vector<ColumnSpec>& home_columns() {
  static const std::vector<ColumnSpec> c = {
      {kHInst, {"学校代码", "institution"}},
      {kHPerson, {"学号/工号", "学号", "工号", "证件号码", "person"}, true},
      {kHFrom, {"开始日期", "居家开始", "from"}, true},
      {kHTo, {"结束日期", "居家结束", "to"}, true},
      {kHReason, {"原因", "居家原因", "reason"}},
  };
  return c;
}

}  // namespace

Result<ScreeningWrite> import_screening_file(store::Store& store, const Vault& vault,
                                             const Caller& caller, const std::string& kind,
                                             const std::string& path,
                                             const std::string& display_name) {
  if (!caller.can(Permission::screening_report))
    return Status::PermissionDenied("此角色不能填报居家排查 (this role cannot report screening)");
  const bool reports = kind == "reports";
  if (!reports && kind != "home_bound") return Status::Invalid("kind: 应为 reports 或 home_bound");
  const auto& columns = reports ? report_columns() : home_columns();
  auto t = open_import(path, display_name, columns, reports ? kReportFields : kHomeFields);
  if (!t.ok()) return t.status();
  PresenceLookup lookup;
  FX_RETURN_IF_ERROR(lookup.load(store, vault));
  const int64_t only =
      caller.all_institutions || caller.institutions.size() != 1 ? 0 : caller.institutions.front();
  ScreeningWrite w;
  std::vector<ReportInput> report_items;
  std::vector<HomeBoundInput> home_items;
  ingest::Row row;
  while (t->reader->next(row)) {
    auto text = [&](int f) { return trimmed(cell(*t, row, f).text); };
    const std::string where =
        "第" + std::to_string(row.number) + "行 (row " + std::to_string(row.number) + ")";
    const std::string code = text(reports ? kInst : kHInst);
    int64_t inst = code.empty() ? only : lookup.institution(code);
    const int person_field = reports ? kPerson : kHPerson;
    int64_t person = 0;
    if (!code.empty() && (!inst || !caller.sees(inst))) {
      w.problems.push_back({where, column_name(*t, columns, reports ? kInst : kHInst),
                            "未知学校代码 “" + code + "” (unknown institution code)"});
    } else {
      std::string why;
      person = lookup.person(text(person_field), inst, why);
      if (!person)
        w.problems.push_back({where, column_name(*t, columns, person_field),
                              why.empty() ? "没有此人 (unknown person)" : why});
    }
    if (reports) {
      ReportInput in;
      in.where = where;
      in.person_id = person;
      in.day = cell(*t, row, kDay).text;
      in.temperature = text(kTemp);
      in.symptoms = text(kSymptoms);
      in.symptom_note = text(kNote);
      in.location = text(kLocation);
      in.at_home = text(kAtHome);
      in.reporter = text(kReporter);
      report_items.push_back(std::move(in));  // person 0: refused, so nothing is stored
    } else {
      HomeBoundInput in{where, person, cell(*t, row, kHFrom).text, cell(*t, row, kHTo).text,
                        text(kHReason)};
      home_items.push_back(std::move(in));
    }
  }
  FX_RETURN_IF_ERROR(t->reader->status());
  auto rest = reports ? submit_reports(store, caller, report_items)
                      : mark_home_bound(store, caller, home_items, "file");
  if (!rest.ok()) return rest.status();
  const size_t read_problems = w.problems.size();
  for (auto& p : rest->problems) {
    bool named = false;  // a row whose person was not found is listed once
    for (size_t i = 0; i < read_problems && p.field == "person"; ++i)
      named |= w.problems[i].where == p.where;
    if (named) continue;
    // Name the column as the file does.
    for (const auto& c : columns)
      if (c.headers.back() == p.field) p.field = column_name(*t, columns, c.field);
    w.problems.push_back(std::move(p));
  }
  w.stored = rest->stored;
  w.abnormal = rest->abnormal;
  return w;
}

}  // namespace fx::app
