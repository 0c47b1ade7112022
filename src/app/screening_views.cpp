// Reads of home-bound screening: the day's table, the lists, a report's
// history and the figures, as JSON and as spreadsheets.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <map>

#include "app/screening.h"
#include "app/text_checks.h"
#include "domain/dates.h"
#include "domain/screening.h"
#include "ingest/table.h"

namespace fx::app {
namespace {

namespace json = boost::json;

struct Names {
  std::map<int64_t, std::pair<std::string, std::string>> by_id;  // code, name
  int64_t by_code(const std::string& code) const {
    for (const auto& [id, n] : by_id)
      if (n.first == code) return id;
    return 0;
  }
};

Result<Names> institution_names(store::Store& store) {
  auto list = store.list_institutions();
  if (!list.ok()) return list.status();
  Names n;
  for (const auto& i : *list) n.by_id[i.id] = {i.code, i.name};
  return n;
}

Result<std::string> checked_day(const std::string& text) {
  if (trimmed(text).empty()) return shanghai_today();
  std::string day;
  if (!domain::parse_date(trimmed(text), day)) return Status::Invalid("day: 日期无效 (not a date)");
  return day;
}

std::string percent(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

json::object row_json(const ScreeningRow& r) {
  return {{"institution", {{"id", r.institution_id}, {"code", r.code}, {"name", r.name}}},
          {"due", r.due},
          {"reported", r.reported},
          {"not_reported", r.not_reported()},
          {"abnormal", r.abnormal},
          {"rate", std::round(r.rate() * 10) / 10}};
}

}  // namespace

std::string screening_write_json(const ScreeningWrite& w) {
  json::array problems;
  for (const auto& p : w.problems)
    problems.push_back({{"where", p.where}, {"field", p.field}, {"reason", p.reason}});
  json::object out{{"stored", w.stored}, {"abnormal", w.abnormal}};
  if (!w.problems.empty()) {
    // The first problem as the usual error, so any client shows something useful.
    const auto& p = w.problems.front();
    out["error"] = {{"code", "invalid_argument"},
                    {"message", p.where + " " + p.field + ": " + p.reason}};
  }
  out["problems"] = std::move(problems);
  return json::serialize(out);
}

Result<ScreeningDay> screening_day(store::Store& store, const Caller& caller,
                                   const std::string& day_text) {
  if (!caller.can(Permission::figures_read))
    return Status::PermissionDenied("此角色不能查看统计 (this role cannot read figures)");
  auto day = checked_day(day_text);
  if (!day.ok()) return day.status();
  auto counts = store.screening().day_counts(*day);
  if (!counts.ok()) return counts.status();
  auto names = institution_names(store);
  if (!names.ok()) return names.status();
  ScreeningDay d;
  d.day = *day;
  d.total.name = "合计";
  for (const auto& c : *counts) {
    if (!caller.sees(c.institution_id)) continue;
    ScreeningRow r;
    r.institution_id = c.institution_id;
    r.code = names->by_id[c.institution_id].first;
    r.name = names->by_id[c.institution_id].second;
    r.due = c.due;
    r.reported = c.reported;
    r.abnormal = c.abnormal;
    d.total.due += r.due;
    d.total.reported += r.reported;
    d.total.abnormal += r.abnormal;
    d.rows.push_back(std::move(r));
  }
  return d;
}

std::string screening_day_json(const ScreeningDay& d) {
  json::array rows;
  for (const auto& r : d.rows) rows.push_back(row_json(r));
  json::object total = row_json(d.total);
  total.erase("institution");
  return json::serialize(
      json::object{{"day", d.day}, {"rows", std::move(rows)}, {"total", std::move(total)}});
}

Status export_screening_day(const ScreeningDay& d, const std::string& path) {
  ingest::WriteOptions opt;
  opt.sheet_name = "居家排查统计";
  opt.title = "居家人员每日排查统计表  日期 " + d.day;
  opt.column_widths = {6, 12, 28, 10, 10, 10, 10, 10};
  auto w = ingest::create_table(
      path, path.ends_with(".xlsx") ? ingest::FileFormat::xlsx : ingest::FileFormat::csv,
      ingest::TextEncoding::utf8_bom, opt);
  if (!w.ok()) return w.status();
  FX_RETURN_IF_ERROR((*w)->write_row(
      {"序号", "学校代码", "学校", "应报人数", "已报人数", "未报人数", "异常人数", "填报率(%)"}));
  long n = 0;
  auto line = [&](const ScreeningRow& r, const std::string& no) {
    return (*w)->write_row({no, r.code, r.name, std::to_string(r.due), std::to_string(r.reported),
                            std::to_string(r.not_reported()), std::to_string(r.abnormal),
                            percent(r.rate())});
  };
  for (const auto& r : d.rows) FX_RETURN_IF_ERROR(line(r, std::to_string(++n)));
  FX_RETURN_IF_ERROR(line(d.total, ""));
  return (*w)->close();
}

Result<ScreeningList> screening_list(store::Store& store, const Caller& caller,
                                     const std::string& day_text, const std::string& kind,
                                     const std::string& institution) {
  if (!caller.can(Permission::people_list))
    return Status::PermissionDenied("此角色不能查看名单 (this role cannot read lists)");
  if (kind != "not_reported" && kind != "abnormal" && kind != "reports")
    return Status::Invalid("kind: 应为 not_reported、abnormal 或 reports");
  auto day = checked_day(day_text);
  if (!day.ok()) return day.status();
  auto names = institution_names(store);
  if (!names.ok()) return names.status();
  std::vector<int64_t> scope;
  if (!institution.empty()) {
    int64_t id = names->by_code(institution);
    if (!id || !caller.sees(id))
      return Status::NotFound("没有学校 " + institution + " (no such institution)");
    scope.push_back(id);
  } else if (caller.all_institutions) {
    scope.push_back(0);
  } else {
    scope = caller.institutions;
  }
  ScreeningList l;
  l.day = *day;
  l.kind = kind;
  for (int64_t inst : scope) {
    auto part = kind == "not_reported"
                    ? store.screening().not_reported(*day, inst)
                    : store.screening().reports_on(*day, inst, kind == "abnormal");
    if (!part.ok()) return part.status();
    for (auto& p : *part) {
      l.institution_names.push_back(names->by_id[p.institution_id].second);
      l.people.push_back(std::move(p));
    }
  }
  if (kind == "abnormal" && !l.people.empty()) {
    store::KeyPersonFilter f;
    for (const auto& p : l.people) f.person_ids.push_back(p.person_id);
    auto keys = store.tracking().list_key_people(f);
    if (!keys.ok()) return keys.status();
    for (const auto& k : *keys)
      if (k.status == "quarantined") l.key_people.push_back(k.person_id);
  }
  FX_RETURN_IF_ERROR(audit_health(store, caller, "screening.read", "screening", 0,
                                  scope.size() == 1 ? scope[0] : 0,
                                  kind + " " + *day + " " + std::to_string(l.people.size())));
  return l;
}

std::string report_json(const store::ScreeningReport& r) {
  return json::serialize(
      json::object{{"id", r.id},
                   {"person", r.person_id},
                   {"day", r.day},
                   {"temperature", domain::format_temperature(r.temperature_tenths)},
                   {"symptoms", r.symptoms},
                   {"symptom_names", domain::symptom_names(r.symptoms)},
                   {"symptom_note", r.symptom_note},
                   {"location", r.location},
                   {"at_home", r.at_home},
                   {"reporter", r.reporter},
                   {"abnormal", r.abnormal},
                   {"version", r.version},
                   {"actor", r.actor},
                   {"reported_at", r.reported_at},
                   {"replaced_at", r.replaced_at},
                   {"replaced_by", r.replaced_by}});
}

std::string screening_list_json(const ScreeningList& l) {
  json::array items;
  for (size_t i = 0; i < l.people.size(); ++i) {
    const auto& p = l.people[i];
    json::object o{{"person", p.person_id},        {"name", p.name},
                   {"person_code", p.person_code}, {"unit", p.unit},
                   {"phone", p.phone_masked},      {"institution", l.institution_names[i]}};
    if (p.report.id) {
      json::value report = json::parse(report_json(p.report));
      o["report"] = std::move(report);
    }
    if (l.kind == "abnormal")
      o["on_tracking"] =
          std::find(l.key_people.begin(), l.key_people.end(), p.person_id) != l.key_people.end();
    items.push_back(std::move(o));
  }
  return json::serialize(json::object{{"day", l.day},
                                      {"kind", l.kind},
                                      {"count", static_cast<int64_t>(l.people.size())},
                                      {"items", std::move(items)}});
}

Status export_screening_list(const ScreeningList& l, const std::string& path) {
  ingest::WriteOptions opt;
  const bool missing = l.kind == "not_reported";
  opt.sheet_name = missing ? "未报名单" : l.kind == "abnormal" ? "异常名单" : "排查记录";
  opt.title = "居家排查" + opt.sheet_name + "  日期 " + l.day;
  auto w = ingest::create_table(
      path, path.ends_with(".xlsx") ? ingest::FileFormat::xlsx : ingest::FileFormat::csv,
      ingest::TextEncoding::utf8_bom, opt);
  if (!w.ok()) return w.status();
  std::vector<std::string> header = {"序号", "学校", "班级/部门", "学号/工号", "姓名", "联系电话"};
  if (!missing)
    for (const char* h : {"体温(℃)", "症状", "症状说明", "所在位置", "是否在家", "填报人", "异常",
                          "版本", "填报时间"})
      header.push_back(h);
  FX_RETURN_IF_ERROR((*w)->write_row(header));
  for (size_t i = 0; i < l.people.size(); ++i) {
    const auto& p = l.people[i];
    std::vector<std::string> row = {
        std::to_string(i + 1), l.institution_names[i], p.unit, p.person_code, p.name,
        p.phone_masked};
    if (!missing) {
      const auto& r = p.report;
      for (std::string v :
           {domain::format_temperature(r.temperature_tenths), domain::symptom_names(r.symptoms),
            r.symptom_note, r.location, std::string(r.at_home ? "是" : "否"),
            std::string(domain::reporter_name(r.reporter)), std::string(r.abnormal ? "异常" : ""),
            std::to_string(r.version), r.reported_at})
        row.push_back(std::move(v));
    }
    FX_RETURN_IF_ERROR((*w)->write_row(row));
  }
  return (*w)->close();
}

Result<std::vector<store::ScreeningReport>> screening_history(store::Store& store,
                                                              const Caller& caller,
                                                              int64_t person_id,
                                                              const std::string& day_text) {
  if (!caller.can(Permission::people_list))
    return Status::PermissionDenied("此角色不能查看名单 (this role cannot read lists)");
  auto day = checked_day(day_text);
  if (!day.ok()) return day.status();
  auto h = store.screening().report_history(person_id, *day);
  if (!h.ok()) return h.status();
  if (!caller.sees(h->front().institution_id))
    return Status::NotFound("当天没有报告 (no report that day)");
  FX_RETURN_IF_ERROR(audit_health(store, caller, "screening.history", "person", person_id,
                                  h->front().institution_id, *day));
  return h;
}

Result<ScreeningFigures> screening_figures(store::Store& store, const Caller& caller,
                                           const std::string& day) {
  auto today = screening_day(store, caller, day);
  if (!today.ok()) return today.status();
  std::vector<int64_t> scope;
  if (!caller.all_institutions) {
    scope = caller.institutions;
    if (scope.empty()) scope.push_back(-1);  // nothing in scope
  }
  auto totals = store.screening().totals(scope);
  if (!totals.ok()) return totals.status();
  return ScreeningFigures{*totals, std::move(*today)};
}

std::string screening_figures_json(const ScreeningFigures& f) {
  const auto& t = f.totals;
  json::object today = row_json(f.today.total);
  today.erase("institution");
  today["day"] = f.today.day;
  return json::serialize(json::object{{"person_times", t.reports},
                                      {"people", t.people},
                                      {"days", t.days},
                                      {"abnormal", t.abnormal},
                                      {"corrections", t.corrections},
                                      {"home_bound_ranges", t.home_bound},
                                      {"today", std::move(today)}});
}

}  // namespace fx::app
