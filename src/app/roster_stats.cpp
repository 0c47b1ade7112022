#include "app/roster_stats.h"

#include <boost/json.hpp>
#include <cstdio>

#include "domain/roster.h"

namespace fx::app {
namespace {

void add(KindTotals& t, const store::RosterCount& c) {
  ++t.institutions;
  t.people += c.people;
  t.students += c.students;
  t.teachers += c.teachers;
  t.staff += c.staff;
  t.dorm_residents += c.dorm_residents;
}

boost::json::object totals_json(const KindTotals& t) {
  return {
      {"institutions", t.institutions}, {"people", t.people}, {"students", t.students},
      {"teachers", t.teachers},         {"staff", t.staff},   {"dorm_residents", t.dorm_residents}};
}

std::string kind_name(const std::string& code) {
  domain::InstitutionKind k;
  return domain::parse_institution_kind(code, k) ? domain::institution_kind_name(k) : code;
}

}  // namespace

Result<RosterStats> roster_stats(store::Store& store) {
  auto counts = store.roster_counts();
  if (!counts.ok()) return counts.status();
  RosterStats s;
  for (const auto& c : *counts) {
    add(s.total, c);
    add(s.by_kind[c.kind], c);
    s.units += c.units;
  }
  s.institutions = std::move(*counts);
  return s;
}

std::string to_json(const RosterStats& s) {
  boost::json::object o = totals_json(s.total);
  o["units"] = s.units;
  boost::json::object kinds;
  for (const auto& [kind, t] : s.by_kind) kinds[kind] = totals_json(t);
  o["by_kind"] = std::move(kinds);
  boost::json::array list;
  for (const auto& c : s.institutions)
    list.push_back({{"code", c.code},
                    {"name", c.name},
                    {"kind", c.kind},
                    {"people", c.people},
                    {"students", c.students},
                    {"teachers", c.teachers},
                    {"staff", c.staff},
                    {"units", c.units},
                    {"dorm_residents", c.dorm_residents}});
  o["institutions_list"] = std::move(list);
  return boost::json::serialize(o);
}

std::string to_text(const RosterStats& s) {
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "学校 institutions: %ld   人员 people: %ld（学生 %ld，教师 %ld，职工 %ld）\n"
                "单位 units: %ld   住校 dorm residents: %ld\n",
                s.total.institutions, s.total.people, s.total.students, s.total.teachers,
                s.total.staff, s.units, s.total.dorm_residents);
  out += buf;
  out += "类型 kind        学校   人数     学生     教师    职工   住校\n";
  for (const auto& [kind, t] : s.by_kind) {
    std::string name = kind_name(kind);
    std::snprintf(buf, sizeof buf, "%-12s %6ld %8ld %8ld %7ld %7ld %7ld\n", name.c_str(),
                  t.institutions, t.people, t.students, t.teachers, t.staff, t.dorm_residents);
    out += buf;
  }
  return out;
}

}  // namespace fx::app
