#include "app/tracking_table.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "app/health_access.h"
#include "app/pdf_labels.h"
#include "app/presence_time.h"
#include "domain/dates.h"
#include "domain/policy.h"
#include "ingest/table.h"

namespace fx::app {

namespace json = boost::json;

namespace {

std::string iso_today() {
  const std::string ymd = domain::today_ymd();
  return ymd.substr(0, 4) + "-" + ymd.substr(4, 2) + "-" + ymd.substr(6, 2);
}

// Every test result of the given people by local date, from the rounds held
// on the schedule's dates. A later result on the same date wins.
Result<std::map<std::pair<int64_t, std::string>, std::string>> results_by_day(
    store::Store& store, const std::set<int64_t>& people, const std::string& first,
    const std::string& last) {
  std::map<std::pair<int64_t, std::string>, std::string> out;
  auto rounds = store.rounds().list_rounds();
  if (!rounds.ok()) return rounds.status();
  for (const auto& r : *rounds) {
    if (r.date < first || r.date > last) continue;
    auto facts = store.rounds().load_round(r.id);
    if (!facts.ok()) return facts.status();
    std::map<int64_t, domain::TestResult> by_tube;
    for (const auto& res : facts->results) by_tube[res.tube_id] = res.result;
    for (const auto& s : facts->samples) {
      if (!people.count(s.person_id)) continue;
      auto res = by_tube.find(s.tube_id);
      if (res == by_tube.end() || res->second == domain::TestResult::none) continue;
      out[{s.person_id, s.sampled_at.substr(0, 10)}] = domain::test_result_code(res->second);
    }
  }
  return out;
}

}  // namespace

Result<TrackingTable> tracking_table(store::Store& store, const Caller& caller,
                                     const TrackingQuery& q) {
  TrackingTable t;
  t.today = q.today.empty() ? iso_today() : q.today;
  auto institutions = store.list_institutions();
  if (!institutions.ok()) return institutions.status();
  std::map<int64_t, std::string> inst_name;
  int64_t only_institution = 0;
  for (const auto& i : *institutions) {
    inst_name[i.id] = i.name;
    if (!q.institution.empty() && i.code == q.institution && caller.sees(i.id))
      only_institution = i.id;
  }
  if (!q.institution.empty() && only_institution == 0)
    return Status::NotFound("institution: 没有此学校 (no such institution): " + q.institution);
  store::KeyPersonFilter f;
  f.category = q.category;
  f.status = q.status;
  auto listed = store.tracking().list_key_people(f);
  if (!listed.ok()) return listed.status();
  auto placements = store.rounds().people_placements();
  if (!placements.ok()) return placements.status();
  // Looked up in the list itself (sorted by id) rather than copied into a map
  // of the whole district's people on every read.
  std::vector<store::PersonPlacement>& placed = *placements;
  if (!std::is_sorted(placed.begin(), placed.end(),
                      [](const auto& a, const auto& b) { return a.id < b.id; }))
    std::sort(placed.begin(), placed.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
  auto place_of = [&](int64_t person) -> const store::PersonPlacement* {
    auto p = std::lower_bound(placed.begin(), placed.end(), person,
                              [](const auto& x, int64_t id) { return x.id < id; });
    return p != placed.end() && p->id == person ? &*p : nullptr;
  };
  auto seen = [&](int64_t person) {
    const auto* p = place_of(person);
    return p != nullptr && caller.sees(p->institution_id);
  };
  // Only the rows the caller may see, and asked for.
  std::vector<store::KeyPersonRecord> kept;
  for (auto& k : *listed) {
    if (q.id != 0 && k.id != q.id) continue;
    if (q.case_id != 0 && k.case_id != q.case_id) continue;
    if (!seen(k.person_id)) continue;
    if (only_institution != 0 && place_of(k.person_id)->institution_id != only_institution)
      continue;
    kept.push_back(std::move(k));
  }
  const std::vector<store::KeyPersonRecord>& keys = kept;

  std::set<int64_t> ids, key_ids;
  std::string first = "9999", last = "0000";
  for (const auto& k : keys) {
    ids.insert(k.person_id);
    key_ids.insert(k.person_id);
    for (const auto& s : k.sources) ids.insert(s.source_person_id);
    for (const auto& test : k.tests) {
      first = std::min(first, test.due_date);
      last = std::max(last, test.due_date);
    }
  }
  auto briefs = store.rounds().people_briefs({ids.begin(), ids.end()});
  if (!briefs.ok()) return briefs.status();
  std::map<int64_t, store::PersonBrief> brief;
  for (auto& b : *briefs) brief[b.id] = std::move(b);
  auto units = store.list_units(0);
  if (!units.ok()) return units.status();
  std::map<int64_t, std::string> unit_path;
  for (const auto& u : *units) unit_path[u.id] = u.path;
  // Sampling times are UTC ISO; the schedule is in local dates: widen by a day.
  auto results = results_by_day(store, key_ids, first, last);
  if (!results.ok()) return results.status();

  for (const auto& k : keys) {
    TrackingRow row;
    row.key = k;
    if (auto b = brief.find(k.person_id); b != brief.end()) {
      row.name = b->second.name;
      row.person_code = b->second.person_code;
      row.id_masked = b->second.id_masked;
    }
    if (const auto* p = place_of(k.person_id)) {
      row.institution = inst_name[p->institution_id];
      row.unit = unit_path[p->unit_id];
    }
    for (const auto& s : k.sources) {
      auto b = brief.find(s.source_person_id);
      if (!seen(s.source_person_id))
        row.source_names.push_back("（外单位）");  // another institution's person: no name
      else
        row.source_names.push_back(b == brief.end() ? std::to_string(s.source_person_id)
                                                    : b->second.name);
    }
    bool all_negative = true;
    for (const auto& test : k.tests) {
      TrackedTest tt{test.day, test.due_date, test.note, "", ""};
      if (auto r = results->find({k.person_id, test.due_date}); r != results->end())
        tt.result = r->second;
      if (!tt.result.empty())
        tt.state = "done";
      else if (tt.date < t.today)
        tt.state = "overdue";
      else
        tt.state = tt.date == t.today ? "due" : "upcoming";
      if (tt.state == "overdue" && k.status == "quarantined") ++row.overdue;
      all_negative = all_negative && tt.result == "negative";
      row.tests.push_back(std::move(tt));
    }
    row.release_due = k.status == "quarantined" && all_negative &&
                      local_text(k.planned_end).substr(0, 10) <= t.today;
    if (k.category == "close") ++t.close;
    if (k.category == "secondary") ++t.secondary;
    if (k.category == "returnee") ++t.returnee;
    if (k.category == "symptomatic") ++t.symptomatic;
    if (k.status == "quarantined") ++t.quarantined;
    if (k.status == "quarantined" && k.quarantine_kind == "centralised" && k.site_id == 0)
      ++t.without_site;
    t.overdue_tests += row.overdue;
    t.rows.push_back(std::move(row));
  }
  FX_RETURN_IF_ERROR(audit_health(
      store, caller, "tracking.read", "key_person", q.id, only_institution,
      "rows " + std::to_string(t.rows.size()) + (q.category.empty() ? "" : " " + q.category) +
          (q.status.empty() ? "" : " " + q.status)));
  return t;
}

namespace {

const char* status_name(const std::string& s) {
  if (s == "quarantined") return "隔离中";
  if (s == "released") return "已解除";
  if (s == "became_case") return "已转确诊";
  return "";
}

const char* transfer_name(const std::string& s) {
  if (s == "requested") return "待转运";
  if (s == "dispatched") return "转运中";
  if (s == "arrived") return "已到达";
  return "";
}

std::string joined(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string schedule_text(const TrackingRow& r) {
  std::vector<std::string> parts;
  for (const auto& t : r.tests) {
    std::string s = "D" + std::to_string(t.day) + " " + t.date.substr(5);
    if (!t.result.empty())
      s += t.result == "negative" ? " 阴" : (t.result == "positive" ? " 阳" : " 无效");
    else if (t.state == "overdue")
      s += " 逾期";
    parts.push_back(s);
  }
  return joined(parts, "; ");
}

}  // namespace

namespace {

json::object row_object(const TrackingRow& r) {
  json::array tests, sources;
  for (const auto& x : r.tests)
    tests.push_back(json::object{{"day", x.day},
                                 {"date", x.date},
                                 {"note", x.note},
                                 {"result", x.result},
                                 {"state", x.state}});
  for (size_t i = 0; i < r.key.sources.size(); ++i)
    sources.push_back(json::object{{"person", r.key.sources[i].source_person_id},
                                   {"name", r.source_names[i]},
                                   {"minutes", r.key.sources[i].seconds / 60},
                                   {"exposures", json::parse(r.key.sources[i].exposures)}});
  return json::object{{"id", r.key.id},
                      {"person", r.key.person_id},
                      {"name", r.name},
                      {"person_code", r.person_code},
                      {"id_masked", r.id_masked},
                      {"institution", r.institution},
                      {"unit", r.unit},
                      {"category", r.key.category},
                      {"area", r.key.area},
                      {"status", r.key.status},
                      {"policy", r.key.policy_id},
                      {"first_exposure", local_text(r.key.first_exposure)},
                      {"last_exposure", local_text(r.key.last_exposure)},
                      {"quarantine_kind", r.key.quarantine_kind},
                      {"site", r.key.site_name},
                      {"start", local_text(r.key.start_at)},
                      {"planned_end", r.key.planned_end ? local_text(r.key.planned_end) : ""},
                      {"transfer", r.key.transfer},
                      {"case", r.key.case_id},
                      {"sources", std::move(sources)},
                      {"tests", std::move(tests)},
                      {"overdue", r.overdue},
                      {"release_due", r.release_due}};
}

}  // namespace

std::string tracking_row_json(const TrackingRow& row) { return json::serialize(row_object(row)); }

std::string tracking_json(const TrackingTable& t) {
  json::array rows;
  for (const auto& r : t.rows) rows.push_back(row_object(r));
  return json::serialize(json::object{{"today", t.today},
                                      {"close", t.close},
                                      {"secondary", t.secondary},
                                      {"quarantined", t.quarantined},
                                      {"overdue_tests", t.overdue_tests},
                                      {"without_site", t.without_site},
                                      {"returnee", t.returnee},
                                      {"symptomatic", t.symptomatic},
                                      {"rows", std::move(rows)}});
}

std::string tracking_text(const TrackingTable& t) {
  std::string out;
  for (const auto& r : t.rows)
    out += std::to_string(r.key.id) + "\t" + key_category_label(r.key.category) + "\t" + r.name +
           "\t" + r.institution + "\t" + r.unit + "\t" +
           domain::stage_kind_name(r.key.quarantine_kind) + "\t" + r.key.site_name + "\t" +
           local_text(r.key.last_exposure) + "\t" +
           (r.key.planned_end ? local_text(r.key.planned_end).substr(0, 10) : "") + "\t" +
           schedule_text(r) + "\t" + status_name(r.key.status) + "\n";
  out += "密接 " + std::to_string(t.close) + " 人, 次密接 " + std::to_string(t.secondary) +
         " 人, 隔离中 " + std::to_string(t.quarantined) + ", 逾期检测 " +
         std::to_string(t.overdue_tests) + " (close, secondary, in quarantine, overdue tests)\n";
  return out;
}

Status export_tracking_table(const TrackingTable& t, const std::string& path) {
  const bool xlsx = path.ends_with(".xlsx");
  ingest::WriteOptions opt;
  opt.sheet_name = "重点人员防控跟踪表";
  opt.title = "重点人员防控跟踪表  统计日期 " + t.today;
  opt.column_widths = {6, 8, 10, 14, 24, 28, 16, 12, 20, 18, 18, 12, 48, 10, 8};
  opt.numeric_columns = {0};
  auto w = ingest::create_table(path, xlsx ? ingest::FileFormat::xlsx : ingest::FileFormat::csv,
                                ingest::TextEncoding::utf8_bom, opt);
  if (!w.ok()) return w.status();
  FX_RETURN_IF_ERROR((*w)->write_row({"序号", "类别", "姓名", "证件号码", "学校", "班级/部门",
                                      "关联病例/密接", "隔离方式", "隔离点", "最后接触时间",
                                      "计划解除时间", "转运", "检测安排及结果", "状态", "逾期"}));
  long n = 0;
  for (const auto& r : t.rows) {
    FX_RETURN_IF_ERROR((*w)->write_row(
        {std::to_string(++n), key_category_label(r.key.category), r.name, r.id_masked,
         r.institution, r.unit, joined(r.source_names, "、"),
         domain::stage_kind_name(r.key.quarantine_kind), r.key.site_name,
         local_text(r.key.last_exposure), r.key.planned_end ? local_text(r.key.planned_end) : "",
         transfer_name(r.key.transfer), schedule_text(r), status_name(r.key.status),
         std::to_string(r.overdue)}));
  }
  return (*w)->close();
}

}  // namespace fx::app
