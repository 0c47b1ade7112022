#include "app/volunteers.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <set>

#include "app/health_access.h"
#include "app/teaching_resolve.h"
#include "domain/directives.h"
#include "domain/rounds.h"
#include "ingest/table.h"

namespace fx::app {
namespace {

namespace json = boost::json;

constexpr std::pair<const char*, const char*> kKinds[] = {
    {"hotel", "隔离宾馆"}, {"community", "居民小区"}, {"test_site", "核酸检测点"}};

Status needs(const Caller& caller, Permission p) {
  if (caller.can(p)) return Status::Ok();
  return Status::PermissionDenied(std::string("需要 ") + permission_name(p) + " 权限 (needs " +
                                  permission_name(p) + ")");
}

Result<std::string> now_of(const std::string& text) {
  if (text.empty()) return domain::utc_iso(std::time(nullptr));
  std::string iso;
  if (!domain::parse_local_time(text, iso) || !domain::utc_seconds(iso))
    return Status::Invalid("now: 无法识别的时间 (not a time; write 2022-03-20 12:00)");
  return domain::utc_iso(*domain::utc_seconds(iso));
}

double hours_between(const std::string& from, const std::string& to) {
  auto a = domain::utc_seconds(from), b = domain::utc_seconds(to);
  if (!a || !b || *b <= *a) return 0;
  return static_cast<double>(*b - *a) / 3600.0;
}

Result<VolunteerBoard> board(store::Store& store, const Caller& caller, const VolunteerQuery& q) {
  VolunteerBoard b;
  auto now = now_of(q.now);
  if (!now.ok()) return now.status();
  b.now = *now;
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  std::map<int64_t, size_t> row_of;
  int64_t only = 0;
  for (const auto& i : *insts) {
    if (!caller.sees(i.id) || (!q.institution.empty() && i.code != q.institution)) continue;
    only = i.id;
    row_of[i.id] = b.institutions.size();
    b.institutions.push_back({i.id, i.code, i.name});
  }
  if (!q.institution.empty() && !only)
    return Status::NotFound("institution: 没有学校 " + q.institution + " (no such institution)");
  auto shifts = store.volunteers().shifts(q.institution.empty() ? 0 : only);
  if (!shifts.ok()) return shifts.status();
  std::map<int64_t, size_t> person_row;
  std::map<std::string, std::set<int64_t>> by_kind;
  std::set<int64_t> sites;
  for (auto& s : *shifts) {
    auto r = row_of.find(s.institution_id);
    if (r == row_of.end()) continue;
    const double h = s.start_at < b.now ? hours_between(s.start_at, std::min(s.end_at, b.now)) : 0;
    auto [p, fresh] = person_row.emplace(s.person_id, b.people.size());
    if (fresh) {
      b.people.push_back({s.person_id, s.institution_id, s.person_code, s.person_name,
                          b.institutions[r->second].code});
      ++b.institutions[r->second].people;
    }
    PersonHours& ph = b.people[p->second];
    ++ph.shifts;
    ph.hours += h;
    b.institutions[r->second].hours += h;
    ++b.institutions[r->second].shifts;
    b.hours += h;
    by_kind[s.site_kind].insert(s.person_id);
    sites.insert(s.site_id);
    if (s.start_at <= b.now && b.now < s.end_at) {
      ph.where_now = s.site_name;
      b.on_duty.push_back(s);
    }
    b.shifts.push_back(std::move(s));
  }
  b.people_deployed = static_cast<long>(b.people.size());
  b.on_duty_now = static_cast<long>(b.on_duty.size());
  b.sites_used = static_cast<long>(sites.size());
  for (const auto& [k, v] : by_kind) b.people_by_site_kind[k] = static_cast<long>(v.size());
  std::stable_sort(b.people.begin(), b.people.end(),
                   [](const PersonHours& x, const PersonHours& y) { return x.hours > y.hours; });
  return b;
}

std::string hours_text(double h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", h);
  return buf;
}

}  // namespace

bool parse_site_kind(const std::string& text, std::string& code) {
  for (auto [c, n] : kKinds)
    if (text == c || text == n) return code = c, true;
  if (text == "检测点" || text == "核酸采样点") return code = "test_site", true;
  if (text == "社区" || text == "小区") return code = "community", true;
  if (text == "宾馆" || text == "隔离酒店") return code = "hotel", true;
  return false;
}

const char* site_kind_name(const std::string& code) {
  for (auto [c, n] : kKinds)
    if (code == c) return n;
  return "";
}

Result<int64_t> add_volunteer_site(store::Store& store, const Caller& caller,
                                   const std::string& name, const std::string& kind,
                                   const std::string& address) {
  FX_RETURN_IF_ERROR(needs(caller, Permission::volunteers_manage));
  store::VolunteerSite s;
  s.name = name;
  if (s.name.find_first_not_of(" \t") == std::string::npos || s.name.size() > 200)
    return Status::Invalid("name: 必填, 至多 200 字节 (required, at most 200 bytes)");
  if (!parse_site_kind(kind, s.kind))
    return Status::Invalid("kind: 应为 隔离宾馆/hotel、居民小区/community 或 核酸检测点/test_site");
  if (address.size() > 500) return Status::Invalid("address: 至多 500 字节 (at most 500 bytes)");
  s.address = address;
  s.actor = caller.actor();
  return store.volunteers().add_site(s);
}

Result<std::vector<store::VolunteerSite>> list_volunteer_sites(store::Store& store,
                                                               const Caller& caller) {
  FX_RETURN_IF_ERROR(needs(caller, Permission::figures_read));
  return store.volunteers().sites();
}

const std::vector<FieldSpec>& shift_fields() {
  static const std::vector<FieldSpec> f = {{"id", {"记录编号"}, false},
                                           {"institution", {"学校代码"}, false},
                                           {"person", {"工号"}, true},
                                           {"site", {"站点", "支援地点"}, true},
                                           {"role", {"岗位", "工作内容"}, false},
                                           {"start", {"开始时间", "开始"}, true},
                                           {"end", {"结束时间", "结束"}, true},
                                           {"note", {"备注"}, false}};
  return f;
}

Result<std::vector<int64_t>> save_shifts(store::Store& store, const Caller& caller,
                                         const std::vector<InputRow>& rows) {
  FX_RETURN_IF_ERROR(needs(caller, Permission::volunteers_manage));
  if (rows.empty()) return Status::Invalid("rows: 没有数据 (no rows)");
  if (rows.size() > 100000) return Status::TooLarge("rows: 一次最多 100000 行 (at most 100,000)");
  auto resolver = Resolver::load(store, caller);
  if (!resolver.ok()) return resolver.status();
  auto sites = store.volunteers().sites();
  if (!sites.ok()) return sites.status();
  std::map<std::string, int64_t> site_id;
  for (const auto& s : *sites) site_id[s.name] = s.id;
  RowErrors errors;
  std::vector<store::ShiftRecord> out;
  std::vector<long> row_numbers;
  for (const InputRow& row : rows) {
    for (const auto& [key, value] : row.fields) {
      const auto& specs = shift_fields();
      if (std::none_of(specs.begin(), specs.end(),
                       [&](const FieldSpec& f) { return f.key == key; }))
        errors.add(row.number, key, "未知的字段 (unknown field)");
    }
    store::ShiftRecord s;
    const std::string id = row.get("id");
    long v = 0;
    if (!id.empty() && !parse_count(id, 1, 2000000000L, v)) {
      errors.add(row.number, "id", "应为记录编号 (must be a shift id)");
      continue;
    }
    s.id = v;
    s.institution_id = resolver->institution(row, errors);
    if (!s.institution_id) continue;
    const auto* p = resolver->person(s.institution_id, row, "person", "staff", errors);
    bool ok = p != nullptr;
    if (p) s.person_id = p->id;
    const std::string site = row.get("site");
    if (auto it = site_id.find(site); it != site_id.end()) {
      s.site_id = it->second;
    } else {
      errors.add(row.number, "site",
                 site.empty() ? "必填 (required)"
                              : "没有站点 “" + site + "”, 请先添加 (unknown site: add it first)");
      ok = false;
    }
    s.role = row.get("role");
    s.note = row.get("note");
    if (s.role.size() > 100 || s.note.size() > 1000) {
      errors.add(row.number, s.role.size() > 100 ? "role" : "note", "过长 (too long)");
      ok = false;
    }
    ok &= time_of(row, "start", errors, s.start_at);
    ok &= time_of(row, "end", errors, s.end_at);
    if (ok && s.end_at <= s.start_at) {
      errors.add(row.number, "end",
                 "结束时间 " + domain::local_time_text(s.end_at) + " 不晚于开始时间 " +
                     domain::local_time_text(s.start_at) + " (the shift ends before it starts)");
      ok = false;
    }
    if (!ok) continue;
    out.push_back(std::move(s));
    row_numbers.push_back(row.number);
  }
  // Overlaps among the rows that are otherwise valid: with stored shifts (other
  // than the one a row corrects) and within the batch.
  {
    auto stored = store.volunteers().shifts(0);
    if (!stored.ok()) return stored.status();
    std::set<int64_t> replaced;
    for (const auto& s : out)
      if (s.id) replaced.insert(s.id);
    std::map<int64_t, std::vector<std::pair<const store::ShiftRecord*, long>>> by_person;
    for (const auto& s : *stored)
      if (!replaced.count(s.id)) by_person[s.person_id].push_back({&s, 0});
    for (size_t i = 0; i < out.size(); ++i) {
      auto& mine = by_person[out[i].person_id];
      for (const auto& [other, row] : mine) {
        if (other->start_at < out[i].end_at && out[i].start_at < other->end_at) {
          errors.add(row_numbers[i], "start",
                     "与" +
                         (row ? "第" + std::to_string(row) + "行"
                              : "已有班次 " + std::to_string(other->id)) +
                         " (" + domain::local_time_text(other->start_at) + "–" +
                         domain::local_time_text(other->end_at) +
                         ") 重叠 (overlaps another shift of the same person)");
          break;
        }
      }
      mine.push_back({&out[i], row_numbers[i]});
    }
  }
  FX_RETURN_IF_ERROR(errors.status());
  auto ids = store.volunteers().save_shifts(out, caller.actor());
  if (!ids.ok() && ids.status().code() == Status::Code::not_found)
    return Status::NotFound("id: " + ids.status().message());
  return ids;
}

Result<VolunteerBoard> volunteer_board(store::Store& store, const Caller& caller,
                                       const VolunteerQuery& query) {
  FX_RETURN_IF_ERROR(needs(caller, Permission::people_list));
  auto b = board(store, caller, query);
  if (!b.ok()) return b.status();
  FX_RETURN_IF_ERROR(audit_health(store, caller, "volunteers.read", "volunteers", 0, 0,
                                  std::to_string(b->shifts.size()) + " shifts"));
  return b;
}

Result<VolunteerBoard> volunteer_figures(store::Store& store, const Caller& caller,
                                         const VolunteerQuery& query) {
  FX_RETURN_IF_ERROR(needs(caller, Permission::figures_read));
  auto b = board(store, caller, query);
  if (!b.ok()) return b.status();
  b->shifts.clear();
  b->on_duty.clear();
  b->people.clear();
  return b;
}

Result<std::vector<store::ShiftRevision>> shift_history(store::Store& store, const Caller& caller,
                                                        int64_t shift_id) {
  FX_RETURN_IF_ERROR(needs(caller, Permission::people_list));
  auto shifts = store.volunteers().shifts(0);
  if (!shifts.ok()) return shifts.status();
  bool found = false;
  for (const auto& s : *shifts) found |= s.id == shift_id && caller.sees(s.institution_id);
  if (!found) return Status::NotFound("没有班次 " + std::to_string(shift_id) + " (no such shift)");
  return store.volunteers().revisions(shift_id);
}

std::string shift_history_json(const std::vector<store::ShiftRevision>& revisions) {
  json::array a;
  for (const auto& r : revisions) {
    boost::system::error_code ec;
    json::value previous = json::parse(r.previous, ec);
    if (ec) previous = r.previous;
    a.push_back({{"id", r.id}, {"previous", previous}, {"replaced_by", r.actor}, {"at", r.at}});
  }
  return json::serialize(json::object{{"items", std::move(a)}});
}

std::string volunteer_board_json(const VolunteerBoard& b, bool with_people) {
  auto shift_json = [](const store::ShiftRecord& s) {
    return json::object{
        {"id", s.id},
        {"person", {{"id", s.person_id}, {"code", s.person_code}, {"name", s.person_name}}},
        {"institution_id", s.institution_id},
        {"site", {{"id", s.site_id}, {"name", s.site_name}, {"kind", s.site_kind}}},
        {"role", s.role},
        {"start", s.start_at},
        {"end", s.end_at},
        {"note", s.note},
        {"actor", s.actor},
        {"updated_at", s.updated_at}};
  };
  json::object o{{"now", b.now},
                 {"people_deployed", b.people_deployed},
                 {"sites_used", b.sites_used},
                 {"hours", b.hours}};
  json::object kinds;
  for (const auto& [k, v] : b.people_by_site_kind) kinds[k] = v;
  o["people_by_site_kind"] = std::move(kinds);
  o["on_duty"] = b.on_duty_now;
  json::array insts;
  for (const auto& i : b.institutions)
    insts.push_back({{"code", i.code},
                     {"name", i.name},
                     {"people", i.people},
                     {"shifts", i.shifts},
                     {"hours", i.hours}});
  o["institutions"] = std::move(insts);
  if (with_people) {
    json::array shifts, now, people;
    for (const auto& s : b.shifts) shifts.push_back(shift_json(s));
    for (const auto& s : b.on_duty) now.push_back(shift_json(s));
    for (const auto& p : b.people)
      people.push_back({{"id", p.person_id},
                        {"code", p.person_code},
                        {"name", p.name},
                        {"institution", p.institution_code},
                        {"shifts", p.shifts},
                        {"hours", p.hours},
                        {"where_now", p.where_now}});
    o["shifts"] = std::move(shifts);
    o["now_on_duty"] = std::move(now);
    o["people"] = std::move(people);
  }
  return json::serialize(o);
}

std::string volunteer_figures_text(const VolunteerBoard& b) {
  std::string o = "支援一线 front-line volunteers (" + domain::local_time_text(b.now) + ")\n";
  o += "  派出 " + std::to_string(b.people_deployed) + " 人, 站点 " + std::to_string(b.sites_used) +
       " 个, 累计 " + hours_text(b.hours) + " 小时 (people deployed, sites, hours served)\n";
  for (const auto& [k, v] : b.people_by_site_kind)
    o += "  " + std::string(site_kind_name(k)) + " " + std::to_string(v) + " 人\n";
  o += "  此刻在岗 " + std::to_string(b.on_duty_now) + " 人 (on duty now)\n";
  return o;
}

std::string volunteer_sites_json(const std::vector<store::VolunteerSite>& sites) {
  json::array a;
  for (const auto& s : sites)
    a.push_back({{"id", s.id},
                 {"name", s.name},
                 {"kind", s.kind},
                 {"kind_name", site_kind_name(s.kind)},
                 {"address", s.address}});
  return json::serialize(json::object{{"items", std::move(a)}});
}

Status export_volunteers(const VolunteerBoard& b, const std::string& list,
                         const std::string& path) {
  const bool xlsx = path.ends_with(".xlsx");
  ingest::WriteOptions opt;
  std::vector<std::vector<std::string>> rows;
  auto shift_row = [](const store::ShiftRecord& s) {
    return std::vector<std::string>{std::to_string(s.id),
                                    s.person_code,
                                    s.person_name,
                                    s.site_name,
                                    site_kind_name(s.site_kind),
                                    s.role,
                                    domain::local_time_text(s.start_at),
                                    domain::local_time_text(s.end_at),
                                    s.note};
  };
  const std::vector<std::string> shift_header = {
      "记录编号", "工号", "姓名", "站点", "站点类型", "岗位", "开始时间", "结束时间", "备注"};
  if (list == "shifts" || list == "now") {
    opt.title = list == "now" ? "此刻在岗 " + domain::local_time_text(b.now) : "支援一线班次";
    rows.push_back(shift_header);
    for (const auto& s : list == "now" ? b.on_duty : b.shifts) rows.push_back(shift_row(s));
  } else if (list == "people") {
    opt.title = "支援一线服务时长 (截至 " + domain::local_time_text(b.now) + ")";
    rows.push_back({"学校代码", "工号", "姓名", "班次", "服务时长(小时)", "此刻在岗"});
    for (const auto& p : b.people)
      rows.push_back({p.institution_code, p.person_code, p.name, std::to_string(p.shifts),
                      hours_text(p.hours), p.where_now});
  } else if (list == "institutions") {
    opt.title = "各校支援一线 (截至 " + domain::local_time_text(b.now) + ")";
    rows.push_back({"学校代码", "学校名称", "人数", "班次", "服务时长(小时)"});
    for (const auto& i : b.institutions)
      rows.push_back({i.code, i.name, std::to_string(i.people), std::to_string(i.shifts),
                      hours_text(i.hours)});
  } else {
    return Status::Invalid("list: 应为 shifts、now、people 或 institutions");
  }
  opt.sheet_name = "支援一线";
  auto w = ingest::create_table(path, xlsx ? ingest::FileFormat::xlsx : ingest::FileFormat::csv,
                                ingest::TextEncoding::utf8_bom, opt);
  if (!w.ok()) return w.status();
  for (const auto& r : rows) FX_RETURN_IF_ERROR((*w)->write_row(r));
  return (*w)->close();
}

}  // namespace fx::app
