// The organisation (组织架构): the six task groups, their members with one
// lead (组长) each, and the liaison (联络员) of each college, point to point.
// Reading needs directives.act (whoever takes part in the directives loop
// must know whom to call); editing needs org.manage and is audited. Phones
// are sealed at rest and only ever shown masked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

struct OrgMemberView {
  store::OrgMember member;
  std::string group;     // 综合调度 …
  std::string username;  // of the linked account, "" for none
};

struct OrgLiaisonView {
  store::OrgLiaison liaison;
  std::string institution_code, institution_name;
  std::string username;
};

struct OrgView {
  std::vector<store::OrgGroup> groups;
  std::vector<OrgMemberView> members;    // by group, the lead first
  std::vector<OrgLiaisonView> liaisons;  // by institution
};

Result<OrgView> show_org(store::Store& store, const Caller& caller);

// A member as written by a user: the group by name, the account by user name.
struct MemberInput {
  int64_t id = 0;  // 0: a new member
  std::string group, name, title;
  bool lead = false;
  std::string phone;     // "" for none; a mainland mobile number otherwise
  std::string username;  // "" for none
};
// Adds or replaces a member; a lead takes the lead from the one before.
Result<int64_t> put_org_member(store::Store& store, const Caller& caller, const MemberInput& in);
Status remove_org_member(store::Store& store, const Caller& caller, int64_t id);

struct LiaisonInput {
  std::string institution;  // 学校代码 of a college (高职 or 高校)
  std::string name, phone, username;
};
// Assigns the college's liaison, replacing the one before.
Result<int64_t> put_org_liaison(store::Store& store, const Caller& caller, const LiaisonInput& in);
Status remove_org_liaison(store::Store& store, const Caller& caller,
                          const std::string& institution);

// The lead of a task group, if it has one: whom its overdue directives
// escalate to. No caller: escalation runs for the whole district.
Result<std::optional<store::OrgMember>> group_lead(store::Store& store, const std::string& group);

std::string org_json(const OrgView& v);
std::string org_text(const OrgView& v);
// Two sheets' worth as two files: the members list and the liaisons list.
Status export_org_members(const OrgView& v, const std::string& path);
Status export_org_liaisons(const OrgView& v, const std::string& path);

}  // namespace fx::app
