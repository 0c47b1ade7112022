// Whom a directive goes to and who acts for each recipient row. A recipient
// is written as a key: an institution by its 学校代码 ("S001"), a task group
// ("group:人员管控") or a college liaison by their account
// ("liaison:liu.wei", or "liaison:<学校代码>" for that college's liaison).
// Institution rows are seen by whoever sees the institution; a group row by
// users of role group in that group and accounts linked as its members; a
// liaison row by the liaison's own account. Command sees and acts for all;
// the sender's group sees (to accept or return) every row of its own
// directives. docs/directives.md describes it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/caller.h"
#include "domain/roster.h"
#include "store/store.h"

namespace fx::app {

class RecipientIndex {
 public:
  static Result<RecipientIndex> load(store::Store& store, const Caller& caller);

  // A key → the row to store; Invalid naming the key when no such
  // institution (in the caller's scope), group or liaison exists.
  Result<store::NewDirective::Target> resolve(const std::string& key) const;
  // Every institution the caller sees ("all").
  std::vector<store::NewDirective::Target> all_institutions() const;

  std::string key_of(const store::RecipientRecord& r) const;  // "S001", "group:人员管控" …
  std::string name_of(const store::RecipientRecord& r) const;  // "净月一中", "人员管控组" …
  std::string code_of(const store::RecipientRecord& r) const;  // 学校代码, "" for the others

  // The caller's own row: their institution's, their group's, their liaison row.
  bool own(const store::RecipientRecord& r) const;
  // May acknowledge, report done and attach feedback files.
  bool acts_for(const store::RecipientRecord& r) const;
  // May see the row (acts for it, or sent the directive).
  bool sees(const store::DirectiveRecord& d, const store::RecipientRecord& r) const;

  // The rows a caller without all institutions may own: by group and account.
  const std::set<int64_t>& my_groups() const { return my_groups_; }
  const Caller& caller() const { return *caller_; }
  const std::map<int64_t, domain::Institution>& institutions() const { return institutions_; }

 private:
  const Caller* caller_ = nullptr;
  std::map<int64_t, domain::Institution> institutions_;
  std::map<int64_t, std::string> group_names_;         // org_groups id → name
  std::map<int64_t, std::string> liaison_names_;       // user id → 联络员 name
  std::map<int64_t, std::string> liaison_users_;       // user id → username
  std::map<std::string, int64_t> liaison_by_college_;  // 学校代码 → user id (0: no account)
  std::set<int64_t> my_groups_;
};

}  // namespace fx::app
