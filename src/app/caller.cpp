#include "app/caller.h"

#include <algorithm>

namespace fx::app {
namespace {

constexpr uint32_t bit(Permission p) { return static_cast<uint32_t>(p); }
// A task group's permissions beyond directives. Dispatch and personnel
// control work with named people; the other groups see the same lists,
// masked. 人员管控 runs the test rounds and the key people; 综合调度 manages
// rounds and cases but does not report samples.
uint32_t group_permissions(std::string_view task_group) {
  const uint32_t read_people =
      bit(Permission::figures_read) | bit(Permission::people_list) | bit(Permission::imports_read);
  if (task_group == "人员管控")
    return read_people | bit(Permission::person_read_full) | bit(Permission::rounds_manage) |
           bit(Permission::samples_write) | bit(Permission::cases_manage) |
           bit(Permission::screening_report);
  if (task_group == "综合调度")
    return read_people | bit(Permission::person_read_full) | bit(Permission::rounds_manage) |
           bit(Permission::cases_manage) | bit(Permission::volunteers_manage);
  // 监督检查 runs the inspections: rounds, findings, verification, letters.
  if (task_group == "监督检查") return read_people | bit(Permission::inspections_manage);
  // 教学保障 sees and reports the teaching of every school.
  if (task_group == "教学保障") return read_people | bit(Permission::teaching_report);
  return read_people;
}

}  // namespace

bool parse_role(std::string_view text, Role& role) {
  static const std::pair<const char*, Role> kRoles[] = {
      {"command", Role::command}, {"group", Role::group},   {"institution", Role::institution},
      {"liaison", Role::liaison}, {"viewer", Role::viewer},
  };
  for (const auto& [name, r] : kRoles)
    if (text == name) return role = r, true;
  return false;
}

const char* role_code(Role role) {
  switch (role) {
    case Role::command:
      return "command";
    case Role::group:
      return "group";
    case Role::institution:
      return "institution";
    case Role::liaison:
      return "liaison";
    case Role::viewer:
      return "viewer";
  }
  return "viewer";
}

const std::vector<std::string>& task_groups() {
  static const std::vector<std::string> kGroups = {"综合调度", "人员管控", "物资保障",
                                                   "舆论引导", "监督检查", "教学保障"};
  return kGroups;
}

bool is_task_group(std::string_view name) {
  const auto& g = task_groups();
  return std::find(g.begin(), g.end(), name) != g.end();
}

const std::vector<Permission>& all_permissions() {
  static const std::vector<Permission> kAll = {
      Permission::figures_read,    Permission::people_list,        Permission::person_read_full,
      Permission::imports_read,    Permission::imports_write,      Permission::accounts_admin,
      Permission::audit_read,      Permission::rounds_manage,      Permission::samples_write,
      Permission::cases_manage,    Permission::directives_send,    Permission::directives_act,
      Permission::org_manage,      Permission::inspections_manage, Permission::screening_report,
      Permission::teaching_report, Permission::volunteers_manage,
  };
  return kAll;
}

const char* permission_name(Permission p) {
  switch (p) {
    case Permission::figures_read:
      return "figures.read";
    case Permission::people_list:
      return "people.list";
    case Permission::person_read_full:
      return "person.read_full";
    case Permission::imports_read:
      return "imports.read";
    case Permission::imports_write:
      return "imports.write";
    case Permission::accounts_admin:
      return "accounts.admin";
    case Permission::audit_read:
      return "audit.read";
    case Permission::rounds_manage:
      return "rounds.manage";
    case Permission::samples_write:
      return "samples.write";
    case Permission::cases_manage:
      return "cases.manage";
    case Permission::directives_send:
      return "directives.send";
    case Permission::directives_act:
      return "directives.act";
    case Permission::org_manage:
      return "org.manage";
    case Permission::inspections_manage:
      return "inspections.manage";
    case Permission::teaching_report:
      return "teaching.report";
    case Permission::volunteers_manage:
      return "volunteers.manage";
    case Permission::screening_report:
      return "screening.report";
  }
  return "";
}

bool parse_permission(std::string_view name, Permission& p) {
  for (auto q : all_permissions())
    if (name == permission_name(q)) return p = q, true;
  return false;
}

uint32_t permissions_of(Role role, std::string_view task_group) {
  const uint32_t read_people =
      bit(Permission::figures_read) | bit(Permission::people_list) | bit(Permission::imports_read);
  switch (role) {
    case Role::command: {
      uint32_t all = 0;
      for (auto p : all_permissions()) all |= bit(p);
      return all;
    }
    case Role::group:
      return group_permissions(task_group) | bit(Permission::directives_send) |
             bit(Permission::directives_act);
    case Role::institution:
    case Role::liaison:
      // They act on their own institutions' directives; sending is for command and groups.
      // Institution admins (and their class teachers) report their own home-bound people.
      return read_people | bit(Permission::person_read_full) | bit(Permission::directives_act) |
             bit(Permission::teaching_report) |
             (role == Role::institution ? bit(Permission::screening_report) : 0u);
    case Role::viewer:
      return bit(Permission::figures_read);
  }
  return 0;
}

bool Caller::sees(int64_t institution_id) const {
  if (all_institutions) return true;
  return std::find(institutions.begin(), institutions.end(), institution_id) != institutions.end();
}

std::string Caller::actor() const {
  if (token_id) return username + " (token " + std::to_string(token_id) + ")";
  return username;
}

Caller cli_caller(std::string route) {
  Caller c;
  c.username = "cli";
  c.display_name = "command line";
  c.role = Role::command;
  c.all_institutions = true;
  c.permissions = permissions_of(Role::command, "");
  c.route = std::move(route);
  return c;
}

}  // namespace fx::app
