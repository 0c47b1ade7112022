// OrgStore: the organisation of the command centre (组织架构): the six task
// groups (seeded by migration 7), their members with one lead (组长) per
// group, and the liaison (联络员) of each college, point to point.
//
// Reached through Store::org(). Phones are sealed with the vault and kept
// masked for lists, as people's phones are. Every write is one transaction
// that appends to the change feed (org.member, org.liaison with the college).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace fx::store {

struct OrgGroup {
  int64_t id = 0;
  std::string name;  // 综合调度 …
  std::string duty;  // 职责
};

struct OrgMember {
  int64_t id = 0;
  int64_t group_id = 0;
  std::string name;
  std::string title;  // role in the group: 组长, 副组长, 成员 …
  bool lead = false;  // the group's lead: overdue directives escalate to them
  std::string phone;  // in: plain ("" for none); never read back
  std::string phone_masked;
  int64_t user_id = 0;  // the account, 0 for none
  std::string updated_at, updated_by;
};

struct OrgLiaison {
  int64_t id = 0;
  int64_t institution_id = 0;  // the college; one liaison each
  std::string name;
  std::string phone;  // in: plain; never read back
  std::string phone_masked;
  int64_t user_id = 0;
  std::string updated_at, updated_by;
};

class OrgStore {
 public:
  virtual ~OrgStore() = default;

  virtual Result<std::vector<OrgGroup>> groups() = 0;  // by id: the order of the source
  // By group, the lead first, then by id; group_id 0: all groups.
  virtual Result<std::vector<OrgMember>> members(int64_t group_id) = 0;
  virtual Result<OrgMember> get_member(int64_t id) = 0;  // NotFound when absent
  // Adds (id 0) or replaces a member. A lead takes the lead from whoever had
  // it in that group, in the same transaction. Returns the id.
  virtual Result<int64_t> put_member(const OrgMember& member, const std::string& actor) = 0;
  virtual Status remove_member(int64_t id, const std::string& actor) = 0;

  virtual Result<std::vector<OrgLiaison>> liaisons() = 0;  // by institution id
  // Assigns the liaison of member.institution_id, replacing the one before.
  virtual Result<int64_t> put_liaison(const OrgLiaison& liaison, const std::string& actor) = 0;
  virtual Status remove_liaison(int64_t institution_id, const std::string& actor) = 0;
};

}  // namespace fx::store
