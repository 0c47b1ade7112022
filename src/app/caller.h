// Caller: who is asking, what they may do, and which institutions they see.
//
// Every app function that touches personal data takes a Caller and filters by
// it; the server only builds the Caller (from a session or a token) and never
// filters itself. Another institution's person is NotFound, never Forbidden,
// so that a caller cannot learn that a record exists outside their scope.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fx::app {

// command: 指挥部, everything; group: one of the six task groups, district-wide;
// institution: 学校管理员, one institution; liaison: 联络员, a set of colleges;
// viewer: 只读, figures only, no personal data.
enum class Role { command, group, institution, liaison, viewer };
bool parse_role(std::string_view text, Role& role);
const char* role_code(Role role);

// The six task groups (综合调度 …); true when `name` is one of them.
const std::vector<std::string>& task_groups();
bool is_task_group(std::string_view name);

// What a caller may do. A route asks for one; an API token is limited to the
// permissions named in its scopes, within its user's.
enum class Permission : uint32_t {
  figures_read = 1u << 0,      // figures, institutions, units, the change feed
  people_list = 1u << 1,       // people lists, masked
  person_read_full = 1u << 2,  // one person with ID number and phone in full (audited)
  imports_read = 1u << 3,      // import records and their rejected rows
  imports_write = 1u << 4,     // upload a roster or institution list
  accounts_admin = 1u << 5,    // users and API tokens
  audit_read = 1u << 6,        // the audit log
  rounds_manage = 1u << 7,     // create and close test rounds
  samples_write = 1u << 8,     // post or upload sampling records and lab results
  cases_manage = 1u << 9,      // confirm cases, transfer and release key people, sites
  directives_send = 1u << 10,  // send directives, accept or return feedback, escalate
  directives_act = 1u << 11,   // read directives in scope, acknowledge, report done
  org_manage = 1u << 12,       // edit the organisation: group members, leads, liaisons
  // inspection rounds and findings, verification, reminder letters, supervisors
  inspections_manage = 1u << 13,
  screening_report = 1u << 14,   // mark people home-bound, post and correct their daily reports
  teaching_report = 1u << 15,    // online teaching, care lists, spot checks: read and report
  volunteers_manage = 1u << 16,  // front-line volunteer sites and shifts
};
const char* permission_name(Permission p);  // "people.list", …
bool parse_permission(std::string_view name, Permission& p);
const std::vector<Permission>& all_permissions();

// The permissions of a role (and, for a group, of its task group).
uint32_t permissions_of(Role role, std::string_view task_group);

struct Caller {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::viewer;
  std::string task_group;
  bool all_institutions = false;      // command, group
  std::vector<int64_t> institutions;  // otherwise: the institutions in scope
  uint32_t permissions = 0;
  int64_t token_id = 0;  // when authenticated by an API token
  // For the audit log: the route ("GET /api/v1/people/{id}") and client address.
  std::string route;
  std::string remote;

  bool can(Permission p) const { return (permissions & static_cast<uint32_t>(p)) != 0; }
  bool sees(int64_t institution_id) const;
  // "admin", or "admin (token 3)".
  std::string actor() const;
};

// A caller for the command line: command role, actor "cli".
Caller cli_caller(std::string route);

}  // namespace fx::app
