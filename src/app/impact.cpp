#include "app/impact.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <set>

#include "app/health_access.h"

namespace fx::app {
namespace {

bool in_class(const std::string& path, const std::string& class_path) {
  return path == class_path || (path.size() > class_path.size() && path.starts_with(class_path) &&
                                path[class_path.size()] == '/');
}

std::string last_level(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string dorm_building_of(const std::string& room) {
  for (const char* mark : {"号楼", "栋", "幢", "楼"}) {
    auto at = room.find(mark);
    if (at != std::string::npos && at > 0) return room.substr(0, at + std::string(mark).size());
  }
  // No building mark: the name without its trailing room number.
  size_t end = room.size();
  while (end > 0 && std::isdigit(static_cast<unsigned char>(room[end - 1]))) --end;
  return end > 0 ? room.substr(0, end) : room;
}

Result<Impact> preview_impact(store::Store& store, const Caller& caller, const ImpactRequest& req) {
  if (!caller.can(Permission::people_list))
    return Status::PermissionDenied("此角色不能查看名单 (this role cannot list people)");
  int targets = !req.dorm_building.empty() + !req.class_name.empty() + (req.unit_id != 0);
  if (targets != 1)
    return Status::Invalid(
        "须指定且只指定一个：宿舍楼、班级或单位 (give exactly one of dorm_building, class, unit)");
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  Impact out;
  int64_t inst_id = 0;
  for (const auto& i : *insts)
    if (i.code == req.institution_code && caller.sees(i.id)) {
      inst_id = i.id;
      out.institution_code = i.code;
      out.institution_name = i.name;
    }
  if (!inst_id)
    return Status::NotFound("没有此学校 (no institution " + req.institution_code +
                            " in your scope)");

  store::PeopleQuery q;
  q.institution_id = inst_id;
  q.limit = 1'000'000;  // one institution: at most tens of thousands
  auto page = store.list_people(q);
  if (!page.ok()) return page.status();
  const auto& people = page->items;

  // Which people are in the target.
  std::string building = req.dorm_building;
  // "3" means 3号楼, as people say it.
  if (!building.empty() && building.find("楼") == std::string::npos &&
      building.find("栋") == std::string::npos && building.find("幢") == std::string::npos)
    building += "号楼";
  std::string class_path;
  if (req.unit_id) {
    auto units = store.list_units(inst_id);
    if (!units.ok()) return units.status();
    for (const auto& u : *units)
      if (u.id == req.unit_id) class_path = u.path;
    if (class_path.empty()) return Status::NotFound("本校没有此单位 (no such unit here)");
  } else if (!req.class_name.empty()) {
    std::set<std::string> paths;
    for (const auto& p : people)
      if (!p.unit_path.empty() && last_level(p.unit_path) == req.class_name)
        paths.insert(p.unit_path);
    if (paths.size() > 1)
      return Status::Invalid("班级名 " + req.class_name +
                             " 不唯一，请用单位编号 (ambiguous class)");
    if (paths.empty()) return Status::NotFound("本校没有班级 " + req.class_name);
    class_path = *paths.begin();
  }
  auto inside = [&](const store::PersonSummary& p) {
    if (!building.empty()) return !p.dorm.empty() && dorm_building_of(p.dorm) == building;
    return in_class(p.unit_path, class_path);
  };
  out.target = !building.empty() ? "宿舍楼 " + building : "班级/单位 " + class_path;

  std::map<int64_t, ImpactUnit> units;
  std::map<std::string, ImpactRoom> rooms;
  for (const auto& p : people) {
    ImpactUnit& u = units[p.unit_id];
    u.unit_id = p.unit_id;
    u.unit_path = p.unit_path.empty() ? "(未分班 no unit)" : p.unit_path;
    ++u.size;
    if (!inside(p)) continue;
    ++u.affected;
    ++out.people;
    if (p.role == "student") ++out.students;
    if (p.role == "teacher") ++out.teachers;
    if (p.role == "staff") ++out.staff;
    if (!p.dorm.empty()) rooms[p.dorm].room = p.dorm;
  }
  if (!building.empty() && out.people == 0)
    return Status::NotFound("本校没有宿舍楼 " + building + " 的住宿人员 (no residents)");
  // The rooms the target sleeps in, and who else sleeps there.
  for (const auto& p : people) {
    auto r = rooms.find(p.dorm);
    if (p.dorm.empty() || r == rooms.end()) continue;
    if (inside(p))
      ++r->second.inside;
    else
      ++r->second.outside;
  }
  for (auto& [name, r] : rooms) {
    out.outside_roommates += r.outside;
    out.rooms.push_back(r);
  }
  for (auto& [id, u] : units)
    if (u.affected) out.units.push_back(u);
  std::sort(out.units.begin(), out.units.end(), [](const ImpactUnit& a, const ImpactUnit& b) {
    return a.affected != b.affected ? a.affected > b.affected : a.unit_path < b.unit_path;
  });
  FX_RETURN_IF_ERROR(audit_health(store, caller, "impact.preview", "institution", inst_id, inst_id,
                                  std::to_string(out.people) + " people"));
  return out;
}

std::string impact_json(const Impact& m) {
  namespace json = boost::json;
  json::array units, rooms;
  for (const auto& u : m.units)
    units.push_back(json::object{{"unit_id", u.unit_id},
                                 {"unit_path", u.unit_path},
                                 {"affected", u.affected},
                                 {"size", u.size}});
  for (const auto& r : m.rooms)
    rooms.push_back(json::object{{"room", r.room}, {"inside", r.inside}, {"outside", r.outside}});
  return json::serialize(json::object{
      {"institution", json::object{{"code", m.institution_code}, {"name", m.institution_name}}},
      {"target", m.target},
      {"people", m.people},
      {"students", m.students},
      {"teachers", m.teachers},
      {"staff", m.staff},
      {"units", std::move(units)},
      {"rooms", std::move(rooms)},
      {"outside_roommates", m.outside_roommates}});
}

std::string impact_text(const Impact& m) {
  std::string out = "影响预估 impact preview: " + m.institution_name + " (" + m.institution_code +
                    ") " + m.target + "\n";
  out += "涉及 " + std::to_string(m.people) + " 人 (学生 " + std::to_string(m.students) +
         "，教师 " + std::to_string(m.teachers) + "，职工 " + std::to_string(m.staff) + ")\n";
  out += "班级/部门 units affected:\n";
  for (const auto& u : m.units)
    out += "  " + u.unit_path + "  " + std::to_string(u.affected) + "/" + std::to_string(u.size) +
           "\n";
  out += "宿舍 rooms: " + std::to_string(m.rooms.size()) +
         "，同寝室的范围外人员 roommates outside: " + std::to_string(m.outside_roommates) + "\n";
  return out;
}

}  // namespace fx::app
