// Writes of home-bound screening: ranges, new reports, corrections, and the
// step onto the tracking table. Every item is checked before anything is
// stored; the store then writes all of it in one transaction.
#include <ctime>
#include <map>
#include <set>

#include "app/screening.h"
#include "app/text_checks.h"
#include "domain/dates.h"
#include "domain/screening.h"

namespace fx::app {
namespace {

constexpr int kMaxRangeDays = 60;

Status may_report(const Caller& caller) {
  if (!caller.can(Permission::screening_report))
    return Status::PermissionDenied("此角色不能填报居家排查 (this role cannot report screening)");
  return Status::Ok();
}

const char* const kUnknown = "没有此人 (unknown person)";

// Days since 1970-01-01 of an ISO date (checked already).
long day_number(const std::string& iso) {
  std::tm tm{};
  tm.tm_year = std::stoi(iso.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(iso.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(iso.substr(8, 2));
  return static_cast<long>(timegm(&tm) / 86400);
}

// A report's fields checked into `out`; problems appended. False when any.
bool check_fields(const ReportInput& in, const std::string& today, store::ScreeningReport& out,
                  std::vector<ScreeningProblem>& problems) {
  const size_t before = problems.size();
  auto problem = [&](const char* field, std::string why) {
    problems.push_back({in.where, field, std::move(why)});
  };
  if (!in.person_id) problem("person", "必填 (required)");
  std::string day;
  if (!domain::parse_date(trimmed(in.day), day))
    problem("day", in.day.empty() ? "必填 (required)" : "日期无效 (not a date)");
  else if (day > today)
    problem("day", "不能填报将来的日期 (a day in the future)");
  out.day = day;
  std::string why;
  int tenths = 0;
  bool ok = in.temperature_number
                ? domain::temperature_from_number(*in.temperature_number, tenths, why)
                : domain::parse_temperature(in.temperature, tenths, why);
  if (!ok) problem("temperature", why);
  out.temperature_tenths = tenths;
  if (!domain::parse_symptoms(in.symptoms, out.symptoms, why)) problem("symptoms", why);
  out.symptom_note = trimmed(in.symptom_note);
  if (auto w = too_long(out.symptom_note, 200); !w.empty()) problem("symptom_note", w);
  if (!out.symptom_note.empty() && out.symptoms.find("other") == std::string::npos)
    out.symptoms += out.symptoms.empty() ? "other" : ",other";
  out.location = trimmed(in.location);
  if (auto w = too_long(out.location, 100); !w.empty()) problem("location", w);
  if (trimmed(in.at_home).empty())
    problem("at_home", "必填 (required: 是 or 否)");
  else if (!domain::parse_yes_no(in.at_home, out.at_home))
    problem("at_home", "应为 是 或 否 (yes or no)");
  if (trimmed(in.reporter).empty())
    problem("reporter", "必填 (required: self, parent or teacher)");
  else if (!domain::parse_reporter(in.reporter, out.reporter))
    problem("reporter", "应为 本人、家长 或 班主任 (self, parent or teacher)");
  out.person_id = in.person_id;
  out.abnormal = domain::is_abnormal(out.temperature_tenths, out.symptoms, out.at_home);
  return problems.size() == before;
}

std::string stamp() { return store::utc_now_iso(); }

}  // namespace

std::string shanghai_today() {
  const std::string ymd = domain::today_ymd();
  return ymd.substr(0, 4) + "-" + ymd.substr(4, 2) + "-" + ymd.substr(6, 2);
}

Result<ScreeningWrite> mark_home_bound(store::Store& store, const Caller& caller,
                                       const std::vector<HomeBoundInput>& items,
                                       const std::string& source) {
  FX_RETURN_IF_ERROR(may_report(caller));
  ScreeningWrite w;
  std::vector<store::HomeBoundRecord> records;
  std::vector<int64_t> ids;
  for (const auto& in : items) ids.push_back(in.person_id);
  // Whether each person exists and where: a check on any day answers that.
  auto checks = store.screening().check("0000-00-00", ids);
  if (!checks.ok()) return checks.status();
  for (size_t i = 0; i < items.size(); ++i) {
    const HomeBoundInput& in = items[i];
    auto problem = [&](const char* field, std::string why) {
      w.problems.push_back({in.where, field, std::move(why)});
    };
    const auto& c = (*checks)[i];
    if (!in.person_id)
      problem("person", "必填 (required)");
    else if (!c.exists || !caller.sees(c.institution_id))
      problem("person", kUnknown);
    store::HomeBoundRecord r;
    r.person_id = in.person_id;
    r.source = source;
    r.reason = trimmed(in.reason);
    if (auto why = too_long(r.reason, 100); !why.empty()) problem("reason", why);
    bool dates = true;
    if (!domain::parse_date(trimmed(in.from), r.from_date))
      problem("from", in.from.empty() ? "必填 (required)" : "日期无效 (not a date)"), dates = false;
    if (!domain::parse_date(trimmed(in.to), r.to_date))
      problem("to", in.to.empty() ? "必填 (required)" : "日期无效 (not a date)"), dates = false;
    if (dates && r.to_date < r.from_date)
      problem("to", "结束日期早于开始日期 (ends before it starts)");
    else if (dates && day_number(r.to_date) - day_number(r.from_date) >= kMaxRangeDays)
      problem("to", "居家期超过60天,请分段登记 (longer than 60 days)");
    records.push_back(std::move(r));
  }
  if (!w.problems.empty()) return w;
  auto stored = store.screening().add_home_bound(records, caller.actor());
  if (!stored.ok()) return stored.status();
  w.stored = static_cast<long>(stored->size());
  FX_RETURN_IF_ERROR(audit_health(store, caller, "screening.home_bound", "home_bound", 0, 0,
                                  std::to_string(w.stored) + " ranges, " + source));
  return w;
}

Result<ScreeningWrite> submit_reports(store::Store& store, const Caller& caller,
                                      const std::vector<ReportInput>& items,
                                      const std::string& today_in) {
  FX_RETURN_IF_ERROR(may_report(caller));
  const std::string today = today_in.empty() ? shanghai_today() : today_in;
  ScreeningWrite w;
  std::vector<store::ScreeningReport> reports(items.size());
  std::map<std::string, std::vector<size_t>> by_day;  // day → item indexes
  for (size_t i = 0; i < items.size(); ++i) {
    check_fields(items[i], today, reports[i], w.problems);
    if (!reports[i].day.empty() && items[i].person_id) by_day[reports[i].day].push_back(i);
  }
  // Key people at home count as home-bound: bring their ranges in first.
  auto synced = store.screening().sync_home_key_people(caller.actor());
  if (!synced.ok()) return synced.status();
  std::set<std::pair<int64_t, std::string>> seen;
  const std::string now = stamp();
  for (const auto& [day, indexes] : by_day) {
    std::vector<int64_t> ids;
    for (size_t i : indexes) ids.push_back(items[i].person_id);
    auto checks = store.screening().check(day, ids);
    if (!checks.ok()) return checks.status();
    for (size_t k = 0; k < indexes.size(); ++k) {
      const size_t i = indexes[k];
      const auto& c = (*checks)[k];
      auto problem = [&](const char* field, std::string why) {
        w.problems.push_back({items[i].where, field, std::move(why)});
      };
      if (!c.exists || !caller.sees(c.institution_id)) {
        problem("person", kUnknown);
      } else if (!c.home_bound) {
        problem("person", "此人" + day + "不在居家名单 (not home-bound that day)");
      } else if (c.report_id) {
        problem("day",
                day + " 已报告;更正请用 POST /api/v1/screening/corrections (already reported)");
      } else if (!seen.insert({c.person_id, day}).second) {
        problem("day", day + " 同一人在本批重复 (the same person twice in this batch)");
      }
      reports[i].institution_id = c.institution_id;
      reports[i].actor = caller.actor();
      reports[i].reported_at = now;
    }
  }
  if (!w.problems.empty()) return w;
  auto n = store.screening().add_reports(reports);
  if (!n.ok()) return n.status();
  w.stored = *n;
  for (const auto& r : reports) w.abnormal += r.abnormal;
  return w;
}

Result<store::ScreeningReport> correct_report(store::Store& store, const Caller& caller,
                                              const ReportInput& item, int expected_version,
                                              const std::string& today_in) {
  FX_RETURN_IF_ERROR(may_report(caller));
  const std::string today = today_in.empty() ? shanghai_today() : today_in;
  std::vector<ScreeningProblem> problems;
  store::ScreeningReport r;
  if (!check_fields(item, today, r, problems)) {
    const auto& p = problems.front();
    return Status::Invalid(p.field + ": " + p.reason);
  }
  auto checks = store.screening().check(r.day, {item.person_id});
  if (!checks.ok()) return checks.status();
  const auto& c = checks->front();
  if (!c.exists || !caller.sees(c.institution_id))
    return Status::NotFound(std::string("person: ") + kUnknown);
  r.actor = caller.actor();
  r.reported_at = stamp();
  auto fixed = store.screening().correct_report(r, expected_version);
  if (!fixed.ok()) return fixed.status();
  FX_RETURN_IF_ERROR(audit_health(store, caller, "screening.correct", "person", item.person_id,
                                  c.institution_id, r.day + " v" + std::to_string(fixed->version)));
  return fixed;
}

Result<int64_t> track_abnormal(store::Store& store, const Caller& caller, int64_t person_id,
                               const std::string& day_in, int days) {
  if (!caller.can(Permission::cases_manage))
    return Status::PermissionDenied("此角色不能管理重点人员 (this role cannot manage key people)");
  std::string day;
  if (!domain::parse_date(trimmed(day_in), day))
    return Status::Invalid("day: 日期无效 (not a date)");
  auto history = store.screening().report_history(person_id, day);
  if (history.status().code() == Status::Code::not_found)
    return Status::NotFound("此人当天没有报告 (no report for this person that day)");
  if (!history.ok()) return history.status();
  const auto& r = history->front();
  if (!caller.sees(r.institution_id)) return Status::NotFound(kUnknown);
  if (!r.abnormal)
    return Status::Invalid("day: 当天报告无异常,不列入重点人员 (the day's report is not abnormal)");
  store::KeyPersonRecord k;
  k.person_id = person_id;
  k.category = "symptomatic";
  k.area = r.symptoms;
  k.policy_id = "screening";
  k.quarantine_kind = "home_monitoring";
  k.start_at = static_cast<int64_t>(std::time(nullptr));
  k.first_exposure = k.start_at;
  k.planned_end = k.start_at + int64_t{days} * 86400;
  k.plan = "[{\"kind\":\"home_monitoring\",\"days\":" + std::to_string(days) + "}]";
  auto id = store.tracking().add_key_person(k, caller.actor());
  if (!id.ok()) return id.status();
  FX_RETURN_IF_ERROR(audit_health(store, caller, "screening.track", "key_person", *id,
                                  r.institution_id, "symptomatic from " + day));
  return id;
}

}  // namespace fx::app
