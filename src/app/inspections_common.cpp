#include "app/inspections.h"
#include "app/inspections_internal.h"
#include "domain/dates.h"
#include "domain/directives.h"

namespace fx::app {
namespace inspections_detail {

Status need(const Caller& caller, Permission p) {
  if (caller.can(p)) return Status::Ok();
  return Status::PermissionDenied(std::string("需要权限 ") + permission_name(p) + " (needs " +
                                  permission_name(p) + ")");
}

Status need_list(const Caller& caller) {
  if (caller.can(Permission::inspections_manage)) return Status::Ok();
  return need(caller, Permission::directives_act);
}

Result<std::string> now_or(const std::string& now) {
  auto t = domain::utc_seconds(now.empty() ? store::utc_now_iso() : now);
  if (!t) return Status::Invalid("now: 时间格式应为 UTC ISO 8601 (now must be UTC ISO 8601)");
  return domain::utc_iso(*t);
}

Status required_text(const std::string& text, const std::string& field, size_t max_bytes) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return Status::Invalid(field + ": 不能为空 (" + field + " is empty)");
  if (text.size() > max_bytes)
    return Status::Invalid(field + ": 过长 (over " + std::to_string(max_bytes) + " bytes)");
  return Status::Ok();
}

Result<std::string> date_field(const std::string& text, const std::string& field) {
  std::string iso;
  if (!domain::parse_date(text, iso))
    return Status::Invalid(field + ": 不是日期 “" + text.substr(0, 60) + "” (not a date; write " +
                           "2022-03-15)");
  return iso;
}

Result<std::string> today_or(const std::string& today) {
  if (today.empty()) {
    const std::string ymd = domain::today_ymd();
    return ymd.substr(0, 4) + "-" + ymd.substr(4, 2) + "-" + ymd.substr(6, 2);
  }
  return date_field(today, "today");
}

Result<InstitutionIndex> institutions(store::Store& store) {
  auto list = store.list_institutions();
  if (!list.ok()) return list.status();
  InstitutionIndex out;
  for (auto& i : *list) out[i.id] = std::move(i);
  return out;
}

Result<int64_t> institution_in_scope(const InstitutionIndex& index, const Caller& caller,
                                     const std::string& code, const char* field) {
  for (const auto& [id, inst] : index)
    if (inst.code == code && caller.sees(id)) return id;
  return Status::NotFound(std::string(field) + ": 没有学校 “" + code + "” (no institution " + code +
                          ")");
}

std::vector<int64_t> scope_filter(const Caller& caller) {
  if (caller.all_institutions) return {};
  // Nobody in scope: an id no institution has, so the store returns nothing.
  if (caller.institutions.empty()) return {-1};
  return caller.institutions;
}

Result<store::FindingRecord> finding_in_scope(store::Store& store, const Caller& caller,
                                              int64_t id) {
  auto f = store.inspections().get_finding(id);
  if (!f.ok() || !caller.sees(f->institution_id))
    return Status::NotFound("没有整改问题 " + std::to_string(id) + " (no finding " +
                            std::to_string(id) + ")");
  return f;
}

}  // namespace inspections_detail

bool parse_severity(const std::string& text, std::string& code) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"minor", "minor"}, {"一般", "minor"},        {"major", "major"},
      {"较重", "major"},  {"critical", "critical"}, {"严重", "critical"}};
  for (const auto& [name, c] : kNames)
    if (text == name) return code = c, true;
  return false;
}

const char* severity_name(const std::string& code) {
  if (code == "critical") return "严重";
  if (code == "major") return "较重";
  return "一般";
}

const char* finding_status_name(const std::string& code) {
  if (code == "closed") return "已销号";
  if (code == "submitted") return "待验收";
  return "待整改";
}

}  // namespace fx::app
