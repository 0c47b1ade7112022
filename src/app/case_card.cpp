#include "app/case_card.h"

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <set>
#include <vector>

#include "app/health_access.h"
#include "app/presence_time.h"
#include "ingest/table.h"

namespace fx::app {

namespace json = boost::json;

namespace {

// Drops what the caller may not see: contacts (and the source) of other
// institutions.
Status scope_card(store::Store& store, const Caller& caller, CaseCard& card) {
  if (caller.all_institutions) return Status::Ok();
  auto placements = store.rounds().people_placements();
  if (!placements.ok()) return placements.status();
  std::map<int64_t, int64_t> inst;
  for (const auto& p : *placements) inst[p.id] = p.institution_id;
  std::erase_if(card.contacts,
                [&](const CardContact& c) { return !caller.sees(inst[c.person_id]); });
  if (card.infected_by != 0 && !caller.sees(inst[card.infected_by])) {
    card.infected_by = 0;
    card.infected_by_name = "（外单位）";
  }
  return Status::Ok();
}

}  // namespace

Result<CaseCard> load_case_card(store::Store& store, const Caller& caller, int64_t case_id) {
  CaseCard card;
  auto record = store.tracking().get_case(case_id);
  if (!record.ok()) return record.status();
  auto institution = institution_of(store, record->person_id);
  if (!institution.ok() || !caller.sees(*institution))
    return Status::NotFound("没有病例 " + std::to_string(case_id) + " (no case " +
                            std::to_string(case_id) + ")");
  card.record = *record;
  auto keys = store.tracking().list_key_people({});
  if (!keys.ok()) return keys.status();
  auto cases = store.tracking().list_cases();
  if (!cases.ok()) return cases.status();
  std::set<int64_t> case_people;
  for (const auto& c : *cases) case_people.insert(c.person_id);

  std::set<int64_t> ids = {card.record.person_id};
  std::map<int64_t, CardPlace> places;
  std::map<int64_t, std::set<int64_t>> met_at;
  for (const auto& k : *keys) {
    if (k.id == card.record.from_key_person) {
      card.transfer = k.transfer;
      card.site = k.site_name;
      if (!k.sources.empty()) {
        card.infected_by = k.sources.front().source_person_id;
        ids.insert(card.infected_by);
      }
    }
    // Secondary contacts met the case's close contacts, not the case.
    if (k.case_id == card.record.id && k.category == "secondary") ++card.secondary;
    for (const auto& s : k.sources) {
      if (s.source_person_id != card.record.person_id) continue;
      ids.insert(k.person_id);
      card.contacts.push_back({k.person_id, "", k.category, k.status, s.seconds,
                               k.status == "became_case" || case_people.count(k.person_id) > 0});
      const json::value exposures = json::parse(s.exposures);
      for (const json::value& e : exposures.as_array()) {
        const json::object& o = e.as_object();
        const int64_t place = o.at("place_id").to_number<int64_t>();
        CardPlace& p = places[place];
        const int64_t first = o.at("first").to_number<int64_t>(),
                      last = o.at("last").to_number<int64_t>();
        if (p.kind.empty()) {
          p.kind = std::string(o.at("kind").as_string());
          p.first = first;
        }
        p.first = std::min(p.first, first);
        p.last = std::max(p.last, last);
        p.seconds = std::max(p.seconds, o.at("seconds").to_number<int64_t>());
        met_at[place].insert(k.person_id);
      }
    }
  }
  auto briefs = store.rounds().people_briefs({ids.begin(), ids.end()});
  if (!briefs.ok()) return briefs.status();
  std::map<int64_t, store::PersonBrief> brief;
  for (auto& b : *briefs) brief[b.id] = std::move(b);
  card.name = brief[card.record.person_id].name;
  card.person_code = brief[card.record.person_id].person_code;
  card.id_masked = brief[card.record.person_id].id_masked;
  if (card.infected_by != 0) card.infected_by_name = brief[card.infected_by].name;
  auto person = store.get_person(card.record.person_id);
  if (person.ok()) {
    auto institutions = store.list_institutions();
    if (institutions.ok())
      for (const auto& i : *institutions)
        if (i.id == person->institution_id) card.institution = i.name;
    auto units = store.list_units(person->institution_id);
    if (units.ok())
      for (const auto& u : *units)
        if (u.id == person->unit_id) card.unit = u.path;
  }
  auto all_places = store.list_places(0);
  if (!all_places.ok()) return all_places.status();
  std::map<int64_t, std::string> place_name;
  for (const auto& p : *all_places) place_name[p.id] = p.name;
  if (person.ok() && person->dorm_id != 0) card.dorm = place_name[person->dorm_id];
  for (auto& [id, p] : places) {
    p.place = id == 0 ? "密切接触记录" : place_name[id];
    p.people = static_cast<long>(met_at[id].size());
    card.places.push_back(p);
  }
  std::sort(card.places.begin(), card.places.end(),
            [](const CardPlace& a, const CardPlace& b) { return a.first < b.first; });
  for (auto& c : card.contacts) {
    c.name = brief[c.person_id].name;
    if (c.category == "close") ++card.close;
    card.became_cases += c.became_case;
  }
  std::sort(card.contacts.begin(), card.contacts.end(), [](const auto& a, const auto& b) {
    if (a.category != b.category) return a.category == "close";
    return a.seconds > b.seconds;
  });
  FX_RETURN_IF_ERROR(scope_card(store, caller, card));
  FX_RETURN_IF_ERROR(
      audit_health(store, caller, "case.read", "case", case_id, *institution, std::string()));
  return card;
}

std::string case_card_json(const CaseCard& c) {
  json::array places, contacts;
  for (const auto& p : c.places)
    places.push_back(json::object{{"place", p.place},
                                  {"kind", p.kind},
                                  {"from", local_text(p.first)},
                                  {"to", local_text(p.last)},
                                  {"minutes", p.seconds / 60},
                                  {"contacts", p.people}});
  for (const auto& x : c.contacts)
    contacts.push_back(json::object{{"person", x.person_id},
                                    {"name", x.name},
                                    {"category", x.category},
                                    {"status", x.status},
                                    {"minutes", x.seconds / 60},
                                    {"became_case", x.became_case}});
  return json::serialize(json::object{{"case", c.record.id},
                                      {"person", c.record.person_id},
                                      {"name", c.name},
                                      {"person_code", c.person_code},
                                      {"id_masked", c.id_masked},
                                      {"institution", c.institution},
                                      {"unit", c.unit},
                                      {"dorm", c.dorm},
                                      {"transfer", c.transfer},
                                      {"site", c.site},
                                      {"sample_time", local_text(c.record.sample_time)},
                                      {"onset_date", c.record.onset_date},
                                      {"confirmed_at", local_text(c.record.confirmed_at)},
                                      {"symptoms", c.record.symptoms},
                                      {"policy", c.record.policy_id},
                                      {"window_from", local_text(c.record.window_from)},
                                      {"window_to", local_text(c.record.isolated_at)},
                                      {"outcome", c.record.outcome},
                                      {"infected_by", c.infected_by},
                                      {"infected_by_name", c.infected_by_name},
                                      {"close", c.close},
                                      {"secondary", c.secondary},
                                      {"became_cases", c.became_cases},
                                      {"places", std::move(places)},
                                      {"contacts", std::move(contacts)}});
}

Status export_case_card(const CaseCard& c, const std::string& path) {
  if (path.ends_with(".pdf")) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const std::string pdf = case_card_pdf(c);
    out.write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
    out.close();
    if (!out) return Status::IoError("cannot write " + path);
    return Status::Ok();
  }
  const bool xlsx = path.ends_with(".xlsx");
  ingest::WriteOptions opt;
  opt.sheet_name = "确诊人员信息卡";
  opt.title = "确诊人员信息卡  病例 " + std::to_string(c.record.id);
  opt.column_widths = {16, 30, 18, 18, 10, 10};
  auto w = ingest::create_table(path, xlsx ? ingest::FileFormat::xlsx : ingest::FileFormat::csv,
                                ingest::TextEncoding::utf8_bom, opt);
  if (!w.ok()) return w.status();
  auto row = [&](std::vector<std::string> cells) {
    cells.resize(6);
    return (*w)->write_row(cells);
  };
  FX_RETURN_IF_ERROR(row({"项目", "内容"}));
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"姓名", c.name},
      {"证件号码", c.id_masked},
      {"学号/工号", c.person_code},
      {"学校", c.institution},
      {"班级/部门", c.unit},
      {"宿舍", c.dorm},
      {"首次阳性采样", local_text(c.record.sample_time)},
      {"发病日期", c.record.onset_date.empty() ? "无症状" : c.record.onset_date},
      {"确诊时间", local_text(c.record.confirmed_at)},
      {"症状", c.record.symptoms},
      {"防控方案", c.record.policy_id},
      {"暴露窗口", local_text(c.record.window_from) + " 至 " + local_text(c.record.isolated_at)},
      {"传播来源", c.infected_by_name.empty() ? "未知" : c.infected_by_name},
      {"密接 / 次密接", std::to_string(c.close) + " / " + std::to_string(c.secondary)},
      {"其中转为确诊", std::to_string(c.became_cases)},
      {"转归", c.record.outcome}};
  for (const auto& [k, v] : fields) FX_RETURN_IF_ERROR(row({k, v}));
  FX_RETURN_IF_ERROR(row({}));
  FX_RETURN_IF_ERROR(row({"窗口期内到过的场所", "场所", "开始", "结束", "分钟", "接触人数"}));
  for (const auto& p : c.places)
    FX_RETURN_IF_ERROR(row({p.kind, p.place, local_text(p.first), local_text(p.last),
                            std::to_string(p.seconds / 60), std::to_string(p.people)}));
  FX_RETURN_IF_ERROR(row({}));
  FX_RETURN_IF_ERROR(row({"接触者", "姓名", "类别", "状态", "分钟", "转为确诊"}));
  for (const auto& x : c.contacts)
    FX_RETURN_IF_ERROR(row({"", x.name, x.category == "close" ? "密接" : "次密接", x.status,
                            std::to_string(x.seconds / 60), x.became_case ? "是" : ""}));
  return (*w)->close();
}

}  // namespace fx::app
