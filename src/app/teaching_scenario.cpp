#include "app/teaching_scenario.h"

#include <map>

#include "app/teaching.h"
#include "app/volunteers.h"
#include "domain/directives.h"
#include "domain/rounds.h"

namespace fx::app {
namespace {

uint64_t mix(uint64_t x) {  // splitmix64: the same seed gives the same choices
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// "2022-03-09" plus `days`, at `hour`:`minute` local time, as written by a person.
std::string local(const std::string& day, int days, int hour, int minute) {
  std::string utc;
  domain::parse_local_time(day, utc);
  const int64_t t = *domain::utc_seconds(utc) + days * 86400LL + hour * 3600LL + minute * 60LL;
  return domain::local_time_text(domain::utc_iso(t));
}

InputRow row(long n, std::map<std::string, std::string> f) { return {n, std::move(f)}; }

}  // namespace

Result<TeachingScenarioSummary> generate_teaching_scenario(store::Store& store,
                                                           const TeachingScenarioOptions& o) {
  const Caller caller = cli_caller("sim teaching");
  TeachingScenarioSummary sum;
  // Twice would double the spot checks and clash with the shifts: refuse up front.
  auto spots_stored = store.teaching().spot_checks(0);
  if (!spots_stored.ok()) return spots_stored.status();
  auto shifts_stored = store.volunteers().shifts(0);
  if (!shifts_stored.ok()) return shifts_stored.status();
  if (!spots_stored->empty() || !shifts_stored->empty())
    return Status::AlreadyExists(
        "sim teaching: 该数据库已有电话抽查或支援一线班次 (already has spot checks or shifts)");
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  std::map<int64_t, std::string> code;
  for (const auto& i : *insts) code[i.id] = i.code;
  auto units = store.list_units(0);
  if (!units.ok()) return units.status();
  auto people = store.teaching().people_of(0);
  if (!people.ok()) return people.status();
  std::map<int64_t, long> students_in;
  std::map<int64_t, std::vector<const store::PersonRef*>> students, teachers, staff;
  for (const auto& p : *people) {
    if (p.role == "student") {
      ++students_in[p.unit_id];
      students[p.institution_id].push_back(&p);
    } else if (p.role == "teacher") {
      teachers[p.institution_id].push_back(&p);
    } else if (p.role == "staff") {
      staff[p.institution_id].push_back(&p);
    }
  }
  // A day of online attendance for every class; a few absent for special reasons.
  std::vector<InputRow> attendance;
  for (const auto& u : *units) {
    if (u.kind != domain::UnitKind::class_) continue;
    const long expected = students_in[u.id];
    long attending = expected;
    if (expected > 0 && mix(o.seed ^ static_cast<uint64_t>(u.id)) % 40 == 0) --attending;
    attendance.push_back(row(static_cast<long>(attendance.size() + 1),
                             {{"institution", code[u.institution_id]},
                              {"class", u.path},
                              {"day", o.first_day},
                              {"expected", std::to_string(expected)},
                              {"attending", std::to_string(attending)},
                              {"note", attending < expected ? "1人因病请假" : ""}}));
    sum.expected += expected;
    sum.attending += attending;
  }
  sum.classes = static_cast<long>(attendance.size());
  if (attendance.empty())
    return Status::Invalid("sim teaching: 学区没有班级 (the district has no classes)");
  // Students without a device or network (1 in 400), each helped on day one;
  // care lists (1 in 60) with a teacher of the same school.
  std::vector<InputRow> access, care;
  static const char* kCare[] = {"抗疫一线子女", "困难家庭", "留守儿童", "学困生"};
  for (const auto& [inst, list] : students) {
    const auto& ts = teachers[inst];
    for (size_t i = 0; i < list.size(); ++i) {
      const uint64_t h = mix(o.seed * 31 + static_cast<uint64_t>(list[i]->id));
      if (h % 400 == 0) {
        const bool device = (h >> 20) % 2 == 0;
        access.push_back(row(static_cast<long>(access.size() + 1),
                             {{"institution", code[inst]},
                              {"student", list[i]->person_code},
                              {"day", o.first_day},
                              {"problem", device ? "无设备" : "无网络"},
                              {"action", device ? "学校借出平板电脑" : "联系运营商开通流量"},
                              {"resolved", "是"}}));
      }
      if (h % 60 == 7 && !ts.empty()) {
        care.push_back(row(static_cast<long>(care.size() + 1),
                           {{"institution", code[inst]},
                            {"student", list[i]->person_code},
                            {"category", kCare[(h >> 8) % 4]},
                            {"teacher", ts[(h >> 16) % ts.size()]->person_code}}));
      }
    }
  }
  // Exactly `spot_checks` calls to families, spread over the schools in turn.
  std::vector<InputRow> spots;
  std::vector<int64_t> with_students;
  for (const auto& [inst, list] : students)
    if (!list.empty()) with_students.push_back(inst);
  if (with_students.empty() && o.spot_checks > 0)
    return Status::Invalid("sim teaching: 没有学生 (the district has no students)");
  for (long n = 0; n < o.spot_checks; ++n) {
    const int64_t inst = with_students[n % with_students.size()];
    const auto& list = students[inst];
    const uint64_t h = mix(o.seed * 7 + static_cast<uint64_t>(n));
    spots.push_back(row(n + 1, {{"institution", code[inst]},
                                {"student", list[h % list.size()]->person_code},
                                {"caller", "区教育局督导组" + std::to_string(1 + n % 6)},
                                {"called_at", local(o.first_day, 1 + static_cast<int>(n / 60), 9,
                                                    static_cast<int>(n % 60))},
                                {"satisfaction", (h >> 12) % 4 == 0 ? "4" : "5"},
                                {"notes", "家长对线上教学满意"}}));
  }
  // The source's activities: 34 district research, 58 school research, 500+
  // lessons observed online, 85 collective preparations, 19 trainings.
  std::vector<InputRow> acts;
  static const char* kSubjects[] = {"语文", "数学", "英语", "物理", "化学", "道德与法治"};
  auto act = [&](const char* level, const std::string& inst, const char* kind, long count, long n) {
    acts.push_back(row(static_cast<long>(acts.size() + 1),
                       {{"level", level},
                        {"institution", inst},
                        {"kind", kind},
                        {"subject", kSubjects[n % 6]},
                        {"day", local(o.first_day, static_cast<int>(n % 20), 0, 0).substr(0, 10)},
                        {"count", std::to_string(count)}}));
  };
  std::vector<std::string> school_codes;
  for (int64_t inst : with_students) school_codes.push_back(code[inst]);
  for (long n = 0; n < 34; ++n) act("district", "", "research", 1, n);
  for (long n = 0; n < 58; ++n)
    act("school", school_codes[n % school_codes.size()], "research", 1, n);
  for (long n = 0; n < 46; ++n) act("district", "", "observation", 11, n);  // 506 lessons
  for (long n = 0; n < 85; ++n)
    act("school", school_codes[n % school_codes.size()], "preparation", 1, n);
  for (long n = 0; n < 19; ++n) act("district", "", "training", 1, n);
  sum.activities = static_cast<long>(acts.size());

  // Volunteers: staff taken from each institution in turn.
  std::vector<const store::PersonRef*> chosen;
  for (size_t round = 0; static_cast<long>(chosen.size()) < o.volunteers; ++round) {
    bool any = false;
    for (const auto& [inst, list] : staff) {
      if (round < list.size() && static_cast<long>(chosen.size()) < o.volunteers) {
        chosen.push_back(list[round]);
        any = true;
      }
    }
    if (!any) break;
  }
  if (static_cast<long>(chosen.size()) < o.volunteers)
    return Status::Invalid("sim teaching: 职工只有 " + std::to_string(chosen.size()) +
                           " 人, 不足 " + std::to_string(o.volunteers) + " (not enough staff)");

  auto saved = [&](TeachingKind k, const std::vector<InputRow>& rows) -> Status {
    if (rows.empty()) return Status::Ok();
    auto ids = save_teaching(store, caller, k, rows);
    return ids.ok() ? Status::Ok() : ids.status();
  };
  FX_RETURN_IF_ERROR(saved(TeachingKind::attendance, attendance));
  FX_RETURN_IF_ERROR(saved(TeachingKind::access, access));
  FX_RETURN_IF_ERROR(saved(TeachingKind::care, care));
  FX_RETURN_IF_ERROR(saved(TeachingKind::spot_checks, spots));
  FX_RETURN_IF_ERROR(saved(TeachingKind::activities, acts));
  sum.access_issues = static_cast<long>(access.size());
  sum.care = static_cast<long>(care.size());
  sum.spot_checks = static_cast<long>(spots.size());

  // Sites: quarantine hotels, communities and test sites (kept when they exist).
  struct Site {
    std::string name, kind;
  };
  std::vector<Site> sites;
  for (int i = 1; i <= 3; ++i)
    sites.push_back({"净月隔离宾馆" + std::to_string(i) + "号", "hotel"});
  for (int i = 1; i <= 6; ++i) sites.push_back({"净月社区" + std::to_string(i), "community"});
  for (int i = 1; i <= 6; ++i) sites.push_back({"核酸检测点" + std::to_string(i), "test_site"});
  for (const auto& s : sites) {
    auto id = add_volunteer_site(store, caller, s.name, s.kind, "");
    if (!id.ok() && id.status().code() != Status::Code::already_exists) return id.status();
  }
  sum.sites = static_cast<long>(sites.size());
  static const char* kRoles[] = {"核酸检测", "信息整理", "物资保供", "人员排查"};
  std::vector<InputRow> shifts;
  for (size_t v = 0; v < chosen.size(); ++v) {
    const uint64_t h = mix(o.seed * 13 + v);
    const Site& site = sites[h % sites.size()];
    const int start_hour = (h >> 8) % 2 ? 8 : 16;
    for (int d = 0; d < o.shifts_each; ++d)
      shifts.push_back(row(static_cast<long>(shifts.size() + 1),
                           {{"institution", code[chosen[v]->institution_id]},
                            {"person", chosen[v]->person_code},
                            {"site", site.name},
                            {"role", kRoles[(h >> 4) % 4]},
                            {"start", local(o.first_day, 1 + d, start_hour, 0)},
                            {"end", local(o.first_day, 1 + d, start_hour + 8, 0)}}));
  }
  auto ids = save_shifts(store, caller, shifts);
  if (!ids.ok()) return ids.status();
  sum.volunteers = static_cast<long>(chosen.size());
  sum.shifts = static_cast<long>(shifts.size());
  return sum;
}

}  // namespace fx::app
