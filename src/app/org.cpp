#include "app/org.h"

#include <boost/json.hpp>
#include <map>

#include "app/health_access.h"
#include "domain/phone.h"
#include "ingest/table.h"

namespace fx::app {
namespace {

namespace json = boost::json;

Status need(const Caller& caller, Permission p) {
  if (caller.can(p)) return Status::Ok();
  return Status::PermissionDenied(std::string("需要权限 ") + permission_name(p) + " (needs " +
                                  permission_name(p) + ")");
}

Status check_name(const std::string& name, const char* field) {
  if (name.empty()) return Status::Invalid(std::string(field) + ": 不能为空 (required)");
  if (name.size() > 100) return Status::Invalid(std::string(field) + ": 过长 (too long)");
  return Status::Ok();
}

// The phone normalised, "" kept as none.
Result<std::string> check_phone(const std::string& phone) {
  if (phone.empty()) return std::string();
  std::string normalized;
  Status s = domain::validate_mobile(phone, normalized);
  if (!s.ok()) return Status::Invalid("phone: " + s.message());
  return normalized;
}

Result<int64_t> user_id_of(store::Store& store, const std::string& username) {
  if (username.empty()) return int64_t{0};
  auto u = store.accounts().find_user(username);
  if (!u.ok()) return u.status();
  if (!*u) return Status::Invalid("user: 没有账号 " + username + " (no such account)");
  return (*u)->id;
}

Result<int64_t> group_id_of(store::Store& store, const std::string& name) {
  auto groups = store.org().groups();
  if (!groups.ok()) return groups.status();
  for (const auto& g : *groups)
    if (g.name == name) return g.id;
  return Status::Invalid(
      "group: 应为六个工作组之一 (one of 综合调度, 人员管控, 物资保障, "
      "舆论引导, 监督检查, 教学保障): " +
      name);
}

Result<domain::Institution> college(store::Store& store, const std::string& code) {
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  for (const auto& i : *insts) {
    if (i.code != code) continue;
    if (i.kind != domain::InstitutionKind::college && i.kind != domain::InstitutionKind::university)
      return Status::Invalid("institution: " + code + " 不是高校 (liaisons serve colleges)");
    return i;
  }
  return Status::Invalid("institution: 没有学校 " + code + " (no such institution)");
}

Status audit(store::Store& store, const Caller& caller, const std::string& action,
             const std::string& kind, int64_t id, int64_t institution_id,
             const std::string& detail) {
  return audit_health(store, caller, action, kind, id, institution_id, detail);
}

}  // namespace

Result<OrgView> show_org(store::Store& store, const Caller& caller) {
  if (!caller.can(Permission::directives_act) && !caller.can(Permission::org_manage))
    return need(caller, Permission::directives_act);
  OrgView v;
  auto groups = store.org().groups();
  if (!groups.ok()) return groups.status();
  v.groups = std::move(*groups);
  std::map<int64_t, std::string> group_name, user_name;
  for (const auto& g : v.groups) group_name[g.id] = g.name;
  auto users = store.accounts().list_users();
  if (!users.ok()) return users.status();
  for (const auto& u : *users) user_name[u.id] = u.username;
  auto members = store.org().members(0);
  if (!members.ok()) return members.status();
  for (auto& m : *members) {
    OrgMemberView mv{std::move(m), "", ""};
    mv.group = group_name[mv.member.group_id];
    if (mv.member.user_id) mv.username = user_name[mv.member.user_id];
    v.members.push_back(std::move(mv));
  }
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  std::map<int64_t, const domain::Institution*> inst;
  for (const auto& i : *insts) inst[i.id] = &i;
  auto liaisons = store.org().liaisons();
  if (!liaisons.ok()) return liaisons.status();
  for (auto& l : *liaisons) {
    OrgLiaisonView lv{std::move(l), "", "", ""};
    if (auto it = inst.find(lv.liaison.institution_id); it != inst.end()) {
      lv.institution_code = it->second->code;
      lv.institution_name = it->second->name;
    }
    if (lv.liaison.user_id) lv.username = user_name[lv.liaison.user_id];
    v.liaisons.push_back(std::move(lv));
  }
  return v;
}

Result<int64_t> put_org_member(store::Store& store, const Caller& caller, const MemberInput& in) {
  FX_RETURN_IF_ERROR(need(caller, Permission::org_manage));
  FX_RETURN_IF_ERROR(check_name(in.name, "name"));
  if (in.title.size() > 100) return Status::Invalid("title: 过长 (too long)");
  auto group = group_id_of(store, in.group);
  if (!group.ok()) return group.status();
  auto phone = check_phone(in.phone);
  if (!phone.ok()) return phone.status();
  auto user = user_id_of(store, in.username);
  if (!user.ok()) return user.status();
  store::OrgMember m;
  m.id = in.id;
  m.group_id = *group;
  m.name = in.name;
  m.title = in.title.empty() ? (in.lead ? "组长" : "成员") : in.title;
  m.lead = in.lead;
  m.phone = *phone;
  m.user_id = *user;
  auto id = store.org().put_member(m, caller.actor());
  if (!id.ok()) return id.status();
  FX_RETURN_IF_ERROR(audit(store, caller, in.id ? "org.member.update" : "org.member.add",
                           "org_member", *id, 0, in.group + (in.lead ? " 组长" : "")));
  return *id;
}

Status remove_org_member(store::Store& store, const Caller& caller, int64_t id) {
  FX_RETURN_IF_ERROR(need(caller, Permission::org_manage));
  FX_RETURN_IF_ERROR(store.org().remove_member(id, caller.actor()));
  return audit(store, caller, "org.member.remove", "org_member", id, 0, "");
}

Result<int64_t> put_org_liaison(store::Store& store, const Caller& caller, const LiaisonInput& in) {
  FX_RETURN_IF_ERROR(need(caller, Permission::org_manage));
  FX_RETURN_IF_ERROR(check_name(in.name, "name"));
  auto inst = college(store, in.institution);
  if (!inst.ok()) return inst.status();
  auto phone = check_phone(in.phone);
  if (!phone.ok()) return phone.status();
  auto user = user_id_of(store, in.username);
  if (!user.ok()) return user.status();
  store::OrgLiaison l;
  l.institution_id = inst->id;
  l.name = in.name;
  l.phone = *phone;
  l.user_id = *user;
  auto id = store.org().put_liaison(l, caller.actor());
  if (!id.ok()) return id.status();
  FX_RETURN_IF_ERROR(
      audit(store, caller, "org.liaison.assign", "org_liaison", *id, inst->id, in.institution));
  return *id;
}

Status remove_org_liaison(store::Store& store, const Caller& caller,
                          const std::string& institution) {
  FX_RETURN_IF_ERROR(need(caller, Permission::org_manage));
  auto inst = college(store, institution);
  if (!inst.ok()) return inst.status();
  FX_RETURN_IF_ERROR(store.org().remove_liaison(inst->id, caller.actor()));
  return audit(store, caller, "org.liaison.remove", "org_liaison", 0, inst->id, institution);
}

Result<std::optional<store::OrgMember>> group_lead(store::Store& store, const std::string& group) {
  auto groups = store.org().groups();
  if (!groups.ok()) return groups.status();
  for (const auto& g : *groups) {
    if (g.name != group) continue;
    auto members = store.org().members(g.id);
    if (!members.ok()) return members.status();
    for (auto& m : *members)
      if (m.lead) return std::optional<store::OrgMember>(std::move(m));
  }
  return std::optional<store::OrgMember>();
}

std::string org_json(const OrgView& v) {
  json::array groups;
  for (const auto& g : v.groups) {
    json::array members;
    std::string lead;
    for (const auto& mv : v.members) {
      const auto& m = mv.member;
      if (m.group_id != g.id) continue;
      if (m.lead) lead = m.name;
      members.push_back(json::object{{"id", m.id},
                                     {"name", m.name},
                                     {"title", m.title},
                                     {"lead", m.lead},
                                     {"phone", m.phone_masked},
                                     {"user", mv.username},
                                     {"updated_at", m.updated_at},
                                     {"updated_by", m.updated_by}});
    }
    groups.push_back(json::object{{"id", g.id},
                                  {"name", g.name},
                                  {"duty", g.duty},
                                  {"lead", lead},
                                  {"members", std::move(members)}});
  }
  json::array liaisons;
  for (const auto& lv : v.liaisons) {
    const auto& l = lv.liaison;
    liaisons.push_back(json::object{{"id", l.id},
                                    {"institution", lv.institution_code},
                                    {"institution_name", lv.institution_name},
                                    {"name", l.name},
                                    {"phone", l.phone_masked},
                                    {"user", lv.username},
                                    {"updated_at", l.updated_at},
                                    {"updated_by", l.updated_by}});
  }
  return json::serialize(
      json::object{{"groups", std::move(groups)}, {"liaisons", std::move(liaisons)}});
}

std::string org_text(const OrgView& v) {
  std::string out;
  for (const auto& g : v.groups) {
    out += g.name + "组  " + g.duty + "\n";
    for (const auto& mv : v.members) {
      const auto& m = mv.member;
      if (m.group_id != g.id) continue;
      out += "  " + std::to_string(m.id) + "\t" + m.title + "\t" + m.name + "\t" + m.phone_masked +
             (mv.username.empty() ? "" : "\t@" + mv.username) + "\n";
    }
  }
  out += "联络员 (liaisons)\n";
  for (const auto& lv : v.liaisons)
    out += "  " + lv.institution_code + "\t" + lv.institution_name + "\t" + lv.liaison.name + "\t" +
           lv.liaison.phone_masked + (lv.username.empty() ? "" : "\t@" + lv.username) + "\n";
  return out;
}

namespace {

Result<std::unique_ptr<ingest::TableWriter>> writer(const std::string& path, const char* sheet,
                                                    std::vector<double> widths) {
  ingest::WriteOptions opt;
  opt.sheet_name = sheet;
  opt.title = sheet;
  opt.column_widths = std::move(widths);
  return ingest::create_table(
      path, path.ends_with(".xlsx") ? ingest::FileFormat::xlsx : ingest::FileFormat::csv,
      ingest::TextEncoding::utf8_bom, opt);
}

}  // namespace

Status export_org_members(const OrgView& v, const std::string& path) {
  auto w = writer(path, "工作组成员", {12, 10, 12, 14, 14});
  if (!w.ok()) return w.status();
  FX_RETURN_IF_ERROR((*w)->write_row({"工作组", "职务", "姓名", "电话", "账号"}));
  for (const auto& mv : v.members)
    FX_RETURN_IF_ERROR((*w)->write_row(
        {mv.group, mv.member.title, mv.member.name, mv.member.phone_masked, mv.username}));
  return (*w)->close();
}

Status export_org_liaisons(const OrgView& v, const std::string& path) {
  auto w = writer(path, "高校联络员", {12, 28, 12, 14, 14});
  if (!w.ok()) return w.status();
  FX_RETURN_IF_ERROR((*w)->write_row({"学校代码", "学校名称", "联络员", "电话", "账号"}));
  for (const auto& lv : v.liaisons)
    FX_RETURN_IF_ERROR((*w)->write_row({lv.institution_code, lv.institution_name, lv.liaison.name,
                                        lv.liaison.phone_masked, lv.username}));
  return (*w)->close();
}

}  // namespace fx::app
