#include "app/teaching.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <iterator>
#include <set>

#include "app/health_access.h"
#include "app/teaching_resolve.h"
#include "domain/dates.h"
#include "ingest/table.h"

namespace fx::app {
namespace {

namespace json = boost::json;

struct Code {
  const char* code;
  const char* name;
};
constexpr Code kCare[] = {{"frontline_child", "抗疫一线子女"},
                          {"hardship", "困难家庭"},
                          {"left_behind", "留守儿童"},
                          {"struggling", "学困生"}};
constexpr Code kActivity[] = {{"research", "教研"},
                              {"observation", "听课"},
                              {"preparation", "集体备课"},
                              {"training", "培训"}};
constexpr Code kLevel[] = {{"district", "区级"}, {"school", "校级"}};
constexpr Code kProblem[] = {{"device", "无设备"}, {"network", "无网络"}};

// A code or its Chinese name (教研活动 and 教研 both for research) → the code.
template <size_t N>
bool code_of(const Code (&list)[N], const std::string& text, std::string& out) {
  for (const auto& c : list)
    if (text == c.code || text == c.name) return out = c.code, true;
  // The source's own words for the activities.
  static const std::pair<const char*, const char*> more[] = {{"教研活动", "research"},
                                                             {"线上听课", "observation"},
                                                             {"备课", "preparation"},
                                                             {"教师培训", "training"},
                                                             {"学科教师培训", "training"}};
  if (N == std::size(kActivity) && list[0].code == kActivity[0].code)
    for (auto [t, c] : more)
      if (text == t) return out = c, true;
  return false;
}
template <size_t N>
std::string choices(const Code (&list)[N]) {
  std::string s;
  for (const auto& c : list) s += std::string(s.empty() ? "" : "、") + c.name + "/" + c.code;
  return s;
}
template <size_t N>
const char* name_of(const Code (&list)[N], const std::string& code) {
  for (const auto& c : list)
    if (code == c.code) return c.name;
  return "";
}

const std::string kId = "id";

bool wants_id(const InputRow& row, RowErrors& errors, int64_t& id) {
  const std::string t = row.get(kId);
  id = 0;
  if (t.empty()) return true;
  long v = 0;
  if (!parse_count(t, 1, 2000000000L, v)) {
    errors.add(row.number, "id", "应为记录编号 (must be a record id)");
    return false;
  }
  id = v;
  return true;
}

bool day_of(const InputRow& row, const std::string& field, RowErrors& errors, std::string& day) {
  const std::string t = row.get(field);
  if (t.empty()) return errors.add(row.number, field, "必填 (required)"), false;
  if (!domain::parse_date(t, day))
    return errors.add(row.number, field, "不是日期 “" + t + "” (not a date; write 2022-03-09)"),
           false;
  return true;
}

bool number_of(const InputRow& row, const std::string& field, long min, long max, RowErrors& errors,
               long& out, bool required = true, long fallback = 0) {
  const std::string t = row.get(field);
  if (t.empty()) {
    if (!required) return out = fallback, true;
    return errors.add(row.number, field, "必填 (required)"), false;
  }
  if (!parse_count(t, min, max, out))
    return errors.add(row.number, field,
                      "应为 " + std::to_string(min) + "–" + std::to_string(max) +
                          " 的整数, 而非 “" + t + "” (must be a whole number from " +
                          std::to_string(min) + " to " + std::to_string(max) + ")"),
           false;
  return true;
}

bool text_of(const InputRow& row, const std::string& field, size_t max, RowErrors& errors,
             std::string& out, bool required = false) {
  out = row.get(field);
  if (required && out.empty()) return errors.add(row.number, field, "必填 (required)"), false;
  if (out.size() > max)
    return errors.add(row.number, field,
                      "超过 " + std::to_string(max) + " 字节 (longer than " + std::to_string(max) +
                          " bytes)"),
           false;
  return true;
}

}  // namespace

bool parse_teaching_kind(const std::string& text, TeachingKind& kind) {
  for (auto k : {TeachingKind::attendance, TeachingKind::access, TeachingKind::care,
                 TeachingKind::spot_checks, TeachingKind::activities})
    if (text == teaching_kind_code(k)) return kind = k, true;
  return false;
}

const char* teaching_kind_code(TeachingKind kind) {
  switch (kind) {
    case TeachingKind::attendance:
      return "attendance";
    case TeachingKind::access:
      return "access";
    case TeachingKind::care:
      return "care";
    case TeachingKind::spot_checks:
      return "spot-checks";
    case TeachingKind::activities:
      return "activities";
  }
  return "";
}

const char* teaching_kind_name(TeachingKind kind) {
  switch (kind) {
    case TeachingKind::attendance:
      return "线上教学出勤";
    case TeachingKind::access:
      return "无设备无网络学生";
    case TeachingKind::care:
      return "关爱名单";
    case TeachingKind::spot_checks:
      return "电话抽查";
    case TeachingKind::activities:
      return "教研活动";
  }
  return "";
}

const char* care_category_name(const std::string& code) { return name_of(kCare, code); }
const char* activity_kind_name(const std::string& code) { return name_of(kActivity, code); }

const std::vector<FieldSpec>& teaching_fields(TeachingKind kind) {
  static const FieldSpec id{"id", {"记录编号"}, false};
  static const FieldSpec inst{"institution", {"学校代码"}, false};
  static const std::vector<FieldSpec> attendance = {
      id,
      inst,
      {"class", {"班级"}, true},
      {"day", {"日期"}, true},
      {"expected", {"应到人数", "应到"}, true},
      {"attending", {"在线人数", "实到人数", "在线"}, true},
      {"note", {"备注"}, false}};
  static const std::vector<FieldSpec> access = {id,
                                                inst,
                                                {"student", {"学号"}, true},
                                                {"day", {"日期"}, true},
                                                {"problem", {"问题"}, true},
                                                {"action", {"措施", "解决措施"}, false},
                                                {"resolved", {"是否解决", "已解决"}, false}};
  static const std::vector<FieldSpec> care = {id,
                                              inst,
                                              {"student", {"学号"}, true},
                                              {"category", {"类别", "关爱类别"}, true},
                                              {"teacher", {"教师工号", "结对教师工号"}, false},
                                              {"note", {"备注"}, false}};
  static const std::vector<FieldSpec> spot = {id,
                                              inst,
                                              {"student", {"学号"}, true},
                                              {"caller", {"抽查人", "督导人"}, true},
                                              {"called_at", {"通话时间", "时间"}, true},
                                              {"satisfaction", {"满意度"}, true},
                                              {"notes", {"备注", "情况记录"}, false}};
  static const std::vector<FieldSpec> activities = {id,
                                                    {"level", {"级别"}, true},
                                                    inst,
                                                    {"kind", {"类型", "活动类型"}, true},
                                                    {"subject", {"学科"}, false},
                                                    {"day", {"日期"}, true},
                                                    {"count", {"次数", "节数"}, false},
                                                    {"title", {"名称", "主题"}, false}};
  switch (kind) {
    case TeachingKind::attendance:
      return attendance;
    case TeachingKind::access:
      return access;
    case TeachingKind::care:
      return care;
    case TeachingKind::spot_checks:
      return spot;
    case TeachingKind::activities:
      return activities;
  }
  return attendance;
}

Result<std::vector<int64_t>> save_teaching(store::Store& store, const Caller& caller,
                                           TeachingKind kind, const std::vector<InputRow>& rows) {
  if (!caller.can(Permission::teaching_report))
    return Status::PermissionDenied("需要 teaching.report 权限 (needs teaching.report)");
  if (rows.empty()) return Status::Invalid("rows: 没有数据 (no rows)");
  if (rows.size() > 100000) return Status::TooLarge("rows: 一次最多 100000 行 (at most 100,000)");
  auto resolver = Resolver::load(store, caller);
  if (!resolver.ok()) return resolver.status();
  Resolver& r = *resolver;
  RowErrors errors;
  store::TeachingWrite w;
  std::set<std::string> seen;  // unique keys within the batch
  auto once = [&](const InputRow& row, const std::string& field, const std::string& key) {
    if (seen.insert(key).second) return true;
    errors.add(row.number, field, "与本批前面的行重复 (the same record twice in one batch)");
    return false;
  };
  for (const InputRow& row : rows) {
    // Unknown fields: a typo must not silently drop a value.
    for (const auto& [key, value] : row.fields) {
      const auto& specs = teaching_fields(kind);
      if (std::none_of(specs.begin(), specs.end(),
                       [&](const FieldSpec& f) { return f.key == key; }))
        errors.add(row.number, key, "未知的字段 (unknown field)");
    }
    int64_t id = 0;
    if (!wants_id(row, errors, id)) continue;
    if (kind == TeachingKind::activities) {
      store::ActivityRecord a;
      a.id = id;
      const std::string level = row.get("level");
      if (!code_of(kLevel, level, a.level)) {
        errors.add(
            row.number, "level",
            level.empty() ? "必填 (required)" : "应为 " + choices(kLevel) + " (unknown level)");
        continue;
      }
      if (a.level == "school") {
        auto inst = r.institution(row, errors);
        if (!inst) continue;
        a.institution_id = inst;
      } else if (!caller.all_institutions) {
        errors.add(row.number, "level",
                   "区级活动由指挥部或教学保障组填报 (district level is for command)");
        continue;
      } else if (!row.get("institution").empty()) {
        errors.add(row.number, "institution",
                   "区级活动不属于学校 (a district activity has no school)");
        continue;
      }
      const std::string k = row.get("kind");
      if (!code_of(kActivity, k, a.kind)) {
        errors.add(
            row.number, "kind",
            k.empty() ? "必填 (required)" : "应为 " + choices(kActivity) + " (unknown kind)");
        continue;
      }
      bool ok = text_of(row, "subject", 100, errors, a.subject) &
                day_of(row, "day", errors, a.day) &
                number_of(row, "count", 1, 100000, errors, a.count, false, 1) &
                text_of(row, "title", 500, errors, a.title);
      if (ok) w.activities.push_back(std::move(a));
      continue;
    }
    auto inst = r.institution(row, errors);
    if (!inst) continue;
    switch (kind) {
      case TeachingKind::attendance: {
        store::ClassDayRecord c;
        c.id = id;
        c.institution_id = inst;
        c.unit_id = r.class_of(inst, row, errors);
        bool ok = c.unit_id != 0;
        ok &= day_of(row, "day", errors, c.day);
        ok &= number_of(row, "expected", 0, 100000, errors, c.expected);
        ok &= number_of(row, "attending", 0, 100000, errors, c.attending);
        ok &= text_of(row, "note", 1000, errors, c.note);
        if (ok && c.attending > c.expected) {
          errors.add(row.number, "attending",
                     "在线人数 " + std::to_string(c.attending) + " 大于应到人数 " +
                         std::to_string(c.expected) + " (attending above expected)");
          ok = false;
        }
        if (ok && once(row, "class", "c" + std::to_string(c.unit_id) + c.day))
          w.class_days.push_back(std::move(c));
        break;
      }
      case TeachingKind::access: {
        store::AccessIssueRecord a;
        a.id = id;
        a.institution_id = inst;
        const auto* p = r.person(inst, row, "student", "student", errors);
        bool ok = p != nullptr;
        if (p) a.person_id = p->id;
        ok &= day_of(row, "day", errors, a.day);
        const std::string problem = row.get("problem");
        if (!code_of(kProblem, problem, a.problem)) {
          errors.add(row.number, "problem",
                     problem.empty() ? "必填 (required)"
                                     : "应为 " + choices(kProblem) + " (unknown problem)");
          ok = false;
        }
        ok &= text_of(row, "action", 1000, errors, a.action);
        if (!parse_yes_no(row.get("resolved"), a.resolved)) {
          errors.add(row.number, "resolved", "应为 是 或 否 (must be yes or no)");
          ok = false;
        }
        if (ok && once(row, "student", "a" + std::to_string(a.person_id) + a.problem))
          w.access_issues.push_back(std::move(a));
        break;
      }
      case TeachingKind::care: {
        store::CareRecord c;
        c.id = id;
        c.institution_id = inst;
        const auto* p = r.person(inst, row, "student", "student", errors);
        bool ok = p != nullptr;
        if (p) c.person_id = p->id;
        const std::string cat = row.get("category");
        if (!code_of(kCare, cat, c.category)) {
          errors.add(
              row.number, "category",
              cat.empty() ? "必填 (required)" : "应为 " + choices(kCare) + " (unknown category)");
          ok = false;
        }
        if (!row.get("teacher").empty()) {
          const auto* t = r.person(inst, row, "teacher", "teacher", errors);
          if (t)
            c.teacher_id = t->id;
          else
            ok = false;
        }
        ok &= text_of(row, "note", 1000, errors, c.note);
        if (ok && once(row, "student", "k" + std::to_string(c.person_id) + c.category))
          w.care.push_back(std::move(c));
        break;
      }
      case TeachingKind::spot_checks: {
        store::SpotCheckRecord s;
        s.id = id;
        s.institution_id = inst;
        const auto* p = r.person(inst, row, "student", "student", errors);
        bool ok = p != nullptr;
        if (p) s.person_id = p->id;
        ok &= text_of(row, "caller", 100, errors, s.caller, true);
        ok &= time_of(row, "called_at", errors, s.called_at);
        long sat = 0;
        ok &= number_of(row, "satisfaction", 1, 5, errors, sat);
        s.satisfaction = static_cast<int>(sat);
        ok &= text_of(row, "notes", 2000, errors, s.notes);
        if (ok) w.spot_checks.push_back(std::move(s));
        break;
      }
      case TeachingKind::activities:
        break;
    }
  }
  FX_RETURN_IF_ERROR(errors.status());
  auto ids = store.teaching().save(w, caller.actor());
  if (!ids.ok() && ids.status().code() == Status::Code::not_found)
    return Status::NotFound("id: " + ids.status().message());
  return ids;
}

Result<TeachingLists> load_teaching(store::Store& store, const Caller& caller, TeachingKind kind,
                                    const TeachingQuery& q) {
  if (!caller.can(Permission::teaching_report))
    return Status::PermissionDenied("需要 teaching.report 权限 (needs teaching.report)");
  TeachingLists out;
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  int64_t only = 0;
  for (const auto& i : *insts) {
    if (!caller.sees(i.id)) continue;
    out.institutions[i.id] = {i.code, i.name};
    if (!q.institution.empty() && i.code == q.institution) only = i.id;
  }
  if (!q.institution.empty() && !only)
    return Status::NotFound("institution: 没有学校 " + q.institution + " (no such institution)");
  if (!q.day.empty()) {
    std::string d;
    if (!domain::parse_date(q.day, d)) return Status::Invalid("day: 不是日期 (not a date)");
  }
  const int64_t from = only ? only : (caller.all_institutions ? 0 : -1);
  auto keep = [&](int64_t inst) { return only ? inst == only : caller.sees(inst); };
  auto fetch = [&](auto list, auto& into, auto pred) -> Status {
    if (!list.ok()) return list.status();
    for (auto& x : *list)
      if (pred(x)) into.push_back(std::move(x));
    return Status::Ok();
  };
  const int64_t arg = from < 0 ? 0 : from;  // a scoped caller: read all, keep its own
  auto& t = store.teaching();
  switch (kind) {
    case TeachingKind::attendance:
      FX_RETURN_IF_ERROR(fetch(t.class_days(arg), out.attendance, [&](const auto& x) {
        return keep(x.institution_id) && (q.day.empty() || x.day == q.day);
      }));
      break;
    case TeachingKind::access:
      FX_RETURN_IF_ERROR(fetch(t.access_issues(arg), out.access, [&](const auto& x) {
        return keep(x.institution_id) && (q.day.empty() || x.day == q.day);
      }));
      break;
    case TeachingKind::care:
      FX_RETURN_IF_ERROR(
          fetch(t.care(arg), out.care, [&](const auto& x) { return keep(x.institution_id); }));
      break;
    case TeachingKind::spot_checks:
      FX_RETURN_IF_ERROR(fetch(t.spot_checks(arg), out.spot_checks,
                               [&](const auto& x) { return keep(x.institution_id); }));
      break;
    case TeachingKind::activities:
      FX_RETURN_IF_ERROR(fetch(t.activities(arg), out.activities, [&](const auto& x) {
        return x.institution_id == 0 || keep(x.institution_id);
      }));
      break;
  }
  // Care lists and access problems name children and their families' situation.
  if (kind != TeachingKind::activities && kind != TeachingKind::attendance)
    FX_RETURN_IF_ERROR(audit_health(store, caller, "teaching.read", "teaching", 0, only,
                                    teaching_kind_code(kind)));
  return out;
}

namespace {

json::object inst_json(const TeachingLists& l, int64_t id) {
  auto it = l.institutions.find(id);
  if (it == l.institutions.end()) return {};
  return {{"code", it->second.first}, {"name", it->second.second}};
}

// The rows of one kind as a table: header, then cells (shared by JSON-less exports).
std::vector<std::vector<std::string>> table_of(const TeachingLists& l, TeachingKind kind) {
  std::vector<std::vector<std::string>> t;
  auto code = [&](int64_t id) {
    auto it = l.institutions.find(id);
    return it == l.institutions.end() ? std::string() : it->second.first;
  };
  auto name = [&](int64_t id) {
    auto it = l.institutions.find(id);
    return it == l.institutions.end() ? std::string() : it->second.second;
  };
  switch (kind) {
    case TeachingKind::attendance:
      t.push_back({"记录编号", "学校代码", "学校名称", "班级", "日期", "应到人数", "在线人数",
                   "覆盖率", "备注", "填报人", "更新时间"});
      for (const auto& r : l.attendance) {
        char pct[32];
        std::snprintf(pct, sizeof pct, "%.1f%%",
                      r.expected ? 100.0 * r.attending / r.expected : 100.0);
        t.push_back({std::to_string(r.id), code(r.institution_id), name(r.institution_id),
                     r.unit_path, r.day, std::to_string(r.expected), std::to_string(r.attending),
                     pct, r.note, r.actor, r.updated_at});
      }
      break;
    case TeachingKind::access:
      t.push_back({"记录编号", "学校代码", "学校名称", "班级", "学号", "姓名", "证件号码", "日期",
                   "问题", "措施", "是否解决", "填报人", "更新时间"});
      for (const auto& r : l.access)
        t.push_back({std::to_string(r.id), code(r.institution_id), name(r.institution_id),
                     r.unit_path, r.person_code, r.person_name, r.id_masked, r.day,
                     name_of(kProblem, r.problem), r.action, r.resolved ? "是" : "否", r.actor,
                     r.updated_at});
      break;
    case TeachingKind::care:
      t.push_back({"记录编号", "学校代码", "学校名称", "班级", "学号", "姓名", "证件号码", "类别",
                   "结对教师", "备注", "填报人", "更新时间"});
      for (const auto& r : l.care)
        t.push_back({std::to_string(r.id), code(r.institution_id), name(r.institution_id),
                     r.unit_path, r.person_code, r.person_name, r.id_masked,
                     name_of(kCare, r.category), r.teacher_name, r.note, r.actor, r.updated_at});
      break;
    case TeachingKind::spot_checks:
      t.push_back({"记录编号", "学校代码", "学校名称", "班级", "学号", "学生姓名", "抽查人",
                   "通话时间", "满意度", "备注", "填报人"});
      for (const auto& r : l.spot_checks)
        t.push_back({std::to_string(r.id), code(r.institution_id), name(r.institution_id),
                     r.unit_path, r.person_code, r.person_name, r.caller,
                     domain::local_time_text(r.called_at), std::to_string(r.satisfaction), r.notes,
                     r.actor});
      break;
    case TeachingKind::activities:
      t.push_back({"记录编号", "级别", "学校代码", "学校名称", "类型", "学科", "日期", "次数",
                   "名称", "填报人"});
      for (const auto& r : l.activities)
        t.push_back({std::to_string(r.id), name_of(kLevel, r.level), code(r.institution_id),
                     name(r.institution_id), name_of(kActivity, r.kind), r.subject, r.day,
                     std::to_string(r.count), r.title, r.actor});
      break;
  }
  return t;
}

}  // namespace

std::string teaching_list_json(const TeachingLists& l, TeachingKind kind) {
  json::array items;
  switch (kind) {
    case TeachingKind::attendance:
      for (const auto& r : l.attendance)
        items.push_back({{"id", r.id},
                         {"institution", inst_json(l, r.institution_id)},
                         {"class", r.unit_path},
                         {"unit_id", r.unit_id},
                         {"day", r.day},
                         {"expected", r.expected},
                         {"attending", r.attending},
                         {"note", r.note},
                         {"actor", r.actor},
                         {"updated_at", r.updated_at}});
      break;
    case TeachingKind::access:
      for (const auto& r : l.access)
        items.push_back({{"id", r.id},
                         {"institution", inst_json(l, r.institution_id)},
                         {"student",
                          {{"id", r.person_id},
                           {"code", r.person_code},
                           {"name", r.person_name},
                           {"id_masked", r.id_masked},
                           {"class", r.unit_path}}},
                         {"day", r.day},
                         {"problem", r.problem},
                         {"action", r.action},
                         {"resolved", r.resolved},
                         {"actor", r.actor},
                         {"updated_at", r.updated_at}});
      break;
    case TeachingKind::care:
      for (const auto& r : l.care)
        items.push_back(
            {{"id", r.id},
             {"institution", inst_json(l, r.institution_id)},
             {"student",
              {{"id", r.person_id},
               {"code", r.person_code},
               {"name", r.person_name},
               {"id_masked", r.id_masked},
               {"class", r.unit_path}}},
             {"category", r.category},
             {"category_name", name_of(kCare, r.category)},
             {"teacher", r.teacher_id ? json::value(json::object{{"id", r.teacher_id},
                                                                 {"name", r.teacher_name}})
                                      : json::value(nullptr)},
             {"note", r.note},
             {"actor", r.actor},
             {"updated_at", r.updated_at}});
      break;
    case TeachingKind::spot_checks:
      for (const auto& r : l.spot_checks)
        items.push_back({{"id", r.id},
                         {"institution", inst_json(l, r.institution_id)},
                         {"student",
                          {{"id", r.person_id},
                           {"code", r.person_code},
                           {"name", r.person_name},
                           {"class", r.unit_path}}},
                         {"caller", r.caller},
                         {"called_at", r.called_at},
                         {"satisfaction", r.satisfaction},
                         {"notes", r.notes},
                         {"actor", r.actor},
                         {"updated_at", r.updated_at}});
      break;
    case TeachingKind::activities:
      for (const auto& r : l.activities)
        items.push_back(
            {{"id", r.id},
             {"level", r.level},
             {"institution", r.institution_id ? json::value(inst_json(l, r.institution_id))
                                              : json::value(nullptr)},
             {"kind", r.kind},
             {"kind_name", name_of(kActivity, r.kind)},
             {"subject", r.subject},
             {"day", r.day},
             {"count", r.count},
             {"title", r.title},
             {"actor", r.actor},
             {"updated_at", r.updated_at}});
      break;
  }
  const size_t n = items.size();
  return json::serialize(
      json::object{{"kind", teaching_kind_code(kind)}, {"total", n}, {"items", std::move(items)}});
}

Status export_teaching_list(const TeachingLists& l, TeachingKind kind, const std::string& path) {
  const bool xlsx = path.ends_with(".xlsx");
  ingest::WriteOptions opt;
  opt.sheet_name = teaching_kind_name(kind);
  opt.title = teaching_kind_name(kind);
  auto w = ingest::create_table(path, xlsx ? ingest::FileFormat::xlsx : ingest::FileFormat::csv,
                                ingest::TextEncoding::utf8_bom, opt);
  if (!w.ok()) return w.status();
  for (const auto& row : table_of(l, kind)) FX_RETURN_IF_ERROR((*w)->write_row(row));
  return (*w)->close();
}

Result<TeachingFigures> teaching_figures(store::Store& store, const Caller& caller,
                                         const TeachingQuery& q) {
  if (!caller.can(Permission::figures_read))
    return Status::PermissionDenied("需要 figures.read 权限 (needs figures.read)");
  TeachingFigures f;
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  std::map<int64_t, size_t> row_of;
  int64_t only = 0;
  for (const auto& i : *insts) {
    if (!caller.sees(i.id)) continue;
    if (!q.institution.empty() && i.code != q.institution) continue;
    only = i.id;
    row_of[i.id] = f.institutions.size();
    f.institutions.push_back({i.code, i.name});
  }
  if (!q.institution.empty() && !only)
    return Status::NotFound("institution: 没有学校 " + q.institution + " (no such institution)");
  auto in = [&](int64_t id) { return row_of.count(id) > 0; };
  auto units = store.list_units(0);
  if (!units.ok()) return units.status();
  for (const auto& u : *units)
    if (u.kind == domain::UnitKind::class_ && in(u.institution_id)) {
      ++f.classes;
      ++f.institutions[row_of[u.institution_id]].classes;
    }
  auto& t = store.teaching();
  auto days = t.class_days(0);
  if (!days.ok()) return days.status();
  for (const auto& d : *days) {
    if (!in(d.institution_id)) continue;
    if (f.first_day.empty() || d.day < f.first_day) f.first_day = d.day;
    if (q.day.empty() && d.day > f.day) f.day = d.day;
  }
  if (!q.day.empty() && !domain::parse_date(q.day, f.day))
    return Status::Invalid("day: 不是日期 (not a date)");
  for (const auto& d : *days) {
    if (!in(d.institution_id)) continue;
    // Online: someone attended (an empty class has nobody to bring online).
    if (d.day == f.first_day && (d.attending > 0 || d.expected == 0)) ++f.classes_online_first_day;
    if (d.day != f.day) continue;
    f.expected += d.expected;
    f.attending += d.attending;
    auto& row = f.institutions[row_of[d.institution_id]];
    ++row.classes_reported;
    row.expected += d.expected;
    row.attending += d.attending;
  }
  auto access = t.access_issues(0);
  if (!access.ok()) return access.status();
  for (const auto& a : *access)
    if (in(a.institution_id)) ++f.access_issues, f.access_resolved += a.resolved;
  auto spots = t.spot_checks(0);
  if (!spots.ok()) return spots.status();
  long sum = 0;
  for (const auto& s : *spots)
    if (in(s.institution_id))
      ++f.spot_checks, f.satisfied += s.satisfaction >= 4, sum += s.satisfaction;
  f.satisfaction_mean = f.spot_checks ? static_cast<double>(sum) / f.spot_checks : 0;
  auto care = t.care(0);
  if (!care.ok()) return care.status();
  for (const auto& c : *care)
    if (in(c.institution_id))
      ++f.care, f.care_with_teacher += c.teacher_id != 0, ++f.care_by_category[c.category];
  auto acts = t.activities(0);
  if (!acts.ok()) return acts.status();
  // District-level activities count for district-wide callers only.
  for (const auto& a : *acts)
    if (a.institution_id ? in(a.institution_id) : caller.all_institutions && q.institution.empty())
      f.activities[a.level + "/" + a.kind] += a.count;
  return f;
}

std::string teaching_figures_json(const TeachingFigures& f) {
  auto pct = [](long a, long b) { return b ? json::value(100.0 * a / b) : json::value(nullptr); };
  json::object care_by;
  for (const auto& [k, v] : f.care_by_category) care_by[k] = v;
  json::object acts;
  for (const auto& [k, v] : f.activities) acts[k] = v;
  json::array rows;
  for (const auto& r : f.institutions)
    rows.push_back({{"code", r.code},
                    {"name", r.name},
                    {"classes", r.classes},
                    {"classes_reported", r.classes_reported},
                    {"expected", r.expected},
                    {"attending", r.attending},
                    {"coverage", pct(r.attending, r.expected)}});
  return json::serialize(json::object{{"first_day", f.first_day},
                                      {"day", f.day},
                                      {"classes", f.classes},
                                      {"classes_online_first_day", f.classes_online_first_day},
                                      {"expected", f.expected},
                                      {"attending", f.attending},
                                      {"coverage", pct(f.attending, f.expected)},
                                      {"access_issues", f.access_issues},
                                      {"access_resolved", f.access_resolved},
                                      {"spot_checks", f.spot_checks},
                                      {"satisfied", f.satisfied},
                                      {"satisfaction_rate", pct(f.satisfied, f.spot_checks)},
                                      {"satisfaction_mean", f.satisfaction_mean},
                                      {"care", f.care},
                                      {"care_with_teacher", f.care_with_teacher},
                                      {"care_coverage", pct(f.care_with_teacher, f.care)},
                                      {"care_by_category", std::move(care_by)},
                                      {"activities", std::move(acts)},
                                      {"institutions", std::move(rows)}});
}

Result<std::vector<store::TeachingRevision>> teaching_history(store::Store& store,
                                                              const Caller& caller,
                                                              TeachingKind kind, int64_t id) {
  auto lists = load_teaching(store, caller, kind, {});
  if (!lists.ok()) return lists.status();
  auto has = [id](const auto& v) {
    return std::any_of(v.begin(), v.end(), [id](const auto& r) { return r.id == id; });
  };
  bool found = false;
  const char* code = "";
  switch (kind) {
    case TeachingKind::attendance:
      found = has(lists->attendance), code = "class_day";
      break;
    case TeachingKind::access:
      found = has(lists->access), code = "access_issue";
      break;
    case TeachingKind::care:
      found = has(lists->care), code = "care";
      break;
    case TeachingKind::spot_checks:
      found = has(lists->spot_checks), code = "spot_check";
      break;
    case TeachingKind::activities:
      found = has(lists->activities), code = "activity";
      break;
  }
  if (!found) return Status::NotFound("没有记录 " + std::to_string(id) + " (no such record)");
  return store.teaching().revisions(code, id);
}

std::string teaching_history_json(const std::vector<store::TeachingRevision>& revisions) {
  json::array a;
  for (const auto& r : revisions) {
    json::value previous;
    boost::system::error_code ec;
    previous = json::parse(r.previous, ec);
    if (ec) previous = r.previous;
    a.push_back({{"id", r.id}, {"previous", previous}, {"replaced_by", r.actor}, {"at", r.at}});
  }
  return json::serialize(json::object{{"items", std::move(a)}});
}

std::string teaching_figures_text(const TeachingFigures& f) {
  auto pct = [](long a, long b) {
    char buf[32];
    if (!b) return std::string("-");
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * a / b);
    return std::string(buf);
  };
  auto act = [&](const char* key) {
    auto it = f.activities.find(key);
    return std::to_string(it == f.activities.end() ? 0 : it->second);
  };
  std::string o;
  o += "线上教学 online teaching\n";
  o += "  首日 first day " + (f.first_day.empty() ? "-" : f.first_day) + ": 上线班级 " +
       std::to_string(f.classes_online_first_day) + " / " + std::to_string(f.classes) +
       " (classes online on day one)\n";
  o += "  " + (f.day.empty() ? "-" : f.day) + " 在线 " + std::to_string(f.attending) + " / 应到 " +
       std::to_string(f.expected) + " = " + pct(f.attending, f.expected) + " (coverage)\n";
  o += "  无设备无网络 " + std::to_string(f.access_issues) + " 人, 已解决 " +
       std::to_string(f.access_resolved) + " (without device or network, resolved)\n";
  o += "电话抽查 spot checks: " + std::to_string(f.spot_checks) + " 人次, 满意 " +
       std::to_string(f.satisfied) + " = 满意率 " + pct(f.satisfied, f.spot_checks) + "\n";
  o += "关爱名单 care list: " + std::to_string(f.care) + " 人, 有结对教师 " +
       std::to_string(f.care_with_teacher) + " = " + pct(f.care_with_teacher, f.care) + " (";
  bool first = true;
  for (const auto& [k, v] : f.care_by_category) {
    o += std::string(first ? "" : ", ") + name_of(kCare, k) + " " + std::to_string(v);
    first = false;
  }
  o += ")\n";
  o += "教研活动 activities: 区级教研 " + act("district/research") + " 次, 校级教研 " +
       act("school/research") + " 次, 听课 " +
       std::to_string(
           (f.activities.count("district/observation") ? f.activities.at("district/observation")
                                                       : 0) +
           (f.activities.count("school/observation") ? f.activities.at("school/observation") : 0)) +
       " 节, 集体备课 " +
       std::to_string(
           (f.activities.count("district/preparation") ? f.activities.at("district/preparation")
                                                       : 0) +
           (f.activities.count("school/preparation") ? f.activities.at("school/preparation") : 0)) +
       " 次, 培训 " +
       std::to_string(
           (f.activities.count("district/training") ? f.activities.at("district/training") : 0) +
           (f.activities.count("school/training") ? f.activities.at("school/training") : 0)) +
       " 次\n";
  return o;
}

}  // namespace fx::app
