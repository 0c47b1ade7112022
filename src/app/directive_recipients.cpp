#include "app/directive_recipients.h"

namespace fx::app {
namespace {

constexpr std::string_view kGroup = "group:", kLiaison = "liaison:";

Status unknown(const std::string& key, const std::string& what_zh, const std::string& what_en) {
  return Status::Invalid("to: 没有" + what_zh + " " + key + " (unknown recipient " + what_en + " " +
                         key + ")");
}

}  // namespace

Result<RecipientIndex> RecipientIndex::load(store::Store& store, const Caller& caller) {
  RecipientIndex x;
  x.caller_ = &caller;
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  for (auto& i : *insts) x.institutions_[i.id] = std::move(i);
  auto groups = store.org().groups();
  if (!groups.ok()) return groups.status();
  for (const auto& g : *groups) {
    x.group_names_[g.id] = g.name;
    if (caller.role == Role::group && caller.task_group == g.name) x.my_groups_.insert(g.id);
  }
  // Accounts linked as a group's member act for that group too.
  if (caller.user_id) {
    auto members = store.org().members(0);
    if (!members.ok()) return members.status();
    for (const auto& m : *members)
      if (m.user_id == caller.user_id) x.my_groups_.insert(m.group_id);
  }
  auto liaisons = store.org().liaisons();
  if (!liaisons.ok()) return liaisons.status();
  for (const auto& l : *liaisons) {
    auto inst = x.institutions_.find(l.institution_id);
    if (inst != x.institutions_.end()) x.liaison_by_college_[inst->second.code] = l.user_id;
    if (!l.user_id || x.liaison_users_.count(l.user_id)) continue;
    auto user = store.accounts().get_user(l.user_id);
    if (!user.ok()) return user.status();
    if (!*user) continue;
    x.liaison_users_[l.user_id] = (*user)->username;
    x.liaison_names_[l.user_id] = l.name;
  }
  return x;
}

Result<store::NewDirective::Target> RecipientIndex::resolve(const std::string& key) const {
  store::NewDirective::Target t;
  if (key.starts_with(kGroup)) {
    const std::string name = key.substr(kGroup.size());
    for (const auto& [id, n] : group_names_)
      if (n == name) return t.kind = "group", t.group_id = id, t;
    return unknown(key, "工作组", "group");
  }
  if (key.starts_with(kLiaison)) {
    const std::string who = key.substr(kLiaison.size());
    for (const auto& [id, username] : liaison_users_)
      if (username == who) return t.kind = "liaison", t.user_id = id, t;
    auto college = liaison_by_college_.find(who);
    if (college != liaison_by_college_.end() && college->second)
      return t.kind = "liaison", t.user_id = college->second, t;
    if (college != liaison_by_college_.end())
      return Status::Invalid("to: 学校 " + who + " 的联络员未关联账号 " + key +
                             " (the college's liaison has no account to receive it)");
    return unknown(key, "联络员", "liaison");
  }
  for (const auto& [id, inst] : institutions_)
    if (inst.code == key && caller_->sees(id)) return t.institution_id = id, t;
  return unknown(key, "学校", "institution");
}

std::vector<store::NewDirective::Target> RecipientIndex::all_institutions() const {
  std::vector<store::NewDirective::Target> out;
  for (const auto& [id, inst] : institutions_)
    if (caller_->sees(id)) out.push_back({id, {}});
  return out;
}

std::string RecipientIndex::key_of(const store::RecipientRecord& r) const {
  if (r.kind == "group") {
    auto g = group_names_.find(r.group_id);
    return std::string(kGroup) + (g == group_names_.end() ? std::to_string(r.group_id) : g->second);
  }
  if (r.kind == "liaison") {
    auto u = liaison_users_.find(r.user_id);
    return std::string(kLiaison) +
           (u == liaison_users_.end() ? std::to_string(r.user_id) : u->second);
  }
  return code_of(r);
}

std::string RecipientIndex::name_of(const store::RecipientRecord& r) const {
  if (r.kind == "group") {
    auto g = group_names_.find(r.group_id);
    return (g == group_names_.end() ? std::string("工作组") : g->second) + "组";
  }
  if (r.kind == "liaison") {
    auto n = liaison_names_.find(r.user_id);
    // A liaison no longer assigned keeps their row; the key still names them.
    return (n == liaison_names_.end() ? std::string() : n->second + " ") + "(联络员)";
  }
  auto i = institutions_.find(r.institution_id);
  return i == institutions_.end() ? "" : i->second.name;
}

std::string RecipientIndex::code_of(const store::RecipientRecord& r) const {
  if (r.kind != "institution") return "";
  auto i = institutions_.find(r.institution_id);
  return i == institutions_.end() ? "" : i->second.code;
}

bool RecipientIndex::own(const store::RecipientRecord& r) const {
  if (r.kind == "group") return my_groups_.count(r.group_id) > 0;
  if (r.kind == "liaison") return caller_->user_id != 0 && caller_->user_id == r.user_id;
  return !caller_->all_institutions && caller_->sees(r.institution_id);
}

bool RecipientIndex::acts_for(const store::RecipientRecord& r) const {
  if (caller_->role == Role::command) return true;
  if (r.kind == "institution") return caller_->sees(r.institution_id);
  return own(r);
}

bool RecipientIndex::sees(const store::DirectiveRecord& d, const store::RecipientRecord& r) const {
  if (acts_for(r)) return true;
  return r.kind != "institution" && caller_->role == Role::group && !d.sender_group.empty() &&
         caller_->task_group == d.sender_group;
}

}  // namespace fx::app
