#include "app/roster_view.h"

#include <algorithm>

#include "core/utf8.h"
#include "domain/phone.h"
#include "store/sealed_person.h"

namespace fx::app {
namespace {

Result<const domain::Institution*> find_code(const std::vector<domain::Institution>& all,
                                             const Caller& caller, const std::string& code) {
  for (const auto& i : all)
    if (i.code == code && caller.sees(i.id)) return &i;
  return Status::NotFound("没有学校 no institution '" + code + "'");
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Fills the search terms of `q` from `text`: an ID number of any kind or a
// phone is looked up by keyed hash, anything else as part of a name.
void search_terms(const Vault& vault, const std::string& text, store::PeopleQuery& q) {
  std::string norm;
  if (domain::validate_id_number(domain::IdKind::resident, text, norm).ok()) {
    q.id_hashes.push_back(store::id_number_hash(vault, domain::IdKind::resident, norm));
    return;
  }
  if (domain::validate_mobile(text, norm).ok()) {
    q.phone_hash = store::phone_hash(vault, norm);
    return;
  }
  for (auto kind :
       {domain::IdKind::passport, domain::IdKind::hk_macao_permit, domain::IdKind::taiwan_permit})
    if (domain::validate_id_number(kind, text, norm).ok())
      q.id_hashes.push_back(store::id_number_hash(vault, kind, norm));
  q.name_contains = text;
}

}  // namespace

Result<std::vector<InstitutionView>> list_institutions(store::Store& store, const Caller& caller) {
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  auto counts = store.roster_counts();
  if (!counts.ok()) return counts.status();
  std::vector<InstitutionView> out;
  for (auto& i : *insts) {
    if (!caller.sees(i.id)) continue;
    InstitutionView v;
    v.institution = std::move(i);
    for (const auto& c : *counts)
      if (c.institution_id == v.institution.id) v.counts = c;
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<domain::Unit>> list_units(store::Store& store, const Caller& caller,
                                             const std::string& code) {
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  auto inst = find_code(*insts, caller, code);
  if (!inst.ok()) return inst.status();
  return store.list_units((*inst)->id);
}

Result<store::PeoplePage> list_people(store::Store& store, const Vault& vault, const Caller& caller,
                                      const PeopleFilter& f) {
  if (!caller.can(Permission::people_list))
    return Status::PermissionDenied("此角色不能查看人员 (this role cannot list people)");
  if (f.page < 1 || f.page > 1000000)
    return Status::Invalid("page 须为 1 起的页码 (page must be >= 1)");
  if (f.per_page < 1 || f.per_page > kMaxPerPage)
    return Status::Invalid("per_page 须在 1–500 之间 (per_page must be 1–500)");
  if (f.q.size() > 64) return Status::Invalid("查询过长 (q is longer than 64 bytes)");
  if (!valid_utf8(f.q)) return Status::Invalid("查询不是有效的 UTF-8 (q is not valid UTF-8)");
  store::PeopleQuery q;
  q.all_institutions = caller.all_institutions;
  q.scope_institutions = caller.institutions;
  if (!f.institution.empty()) {
    auto insts = store.list_institutions();
    if (!insts.ok()) return insts.status();
    auto inst = find_code(*insts, caller, f.institution);
    if (!inst.ok()) return inst.status();
    q.institution_id = (*inst)->id;
  }
  q.unit_id = f.unit_id;
  if (!f.role.empty()) {
    domain::Role r;
    if (!domain::parse_role(f.role, r))
      return Status::Invalid("未知人员类别 unknown role '" + f.role +
                             "' (student, teacher, staff)");
    q.role = r;
  }
  std::string text = trim(f.q);
  if (!text.empty()) search_terms(vault, text, q);
  q.offset = (f.page - 1) * f.per_page;
  q.limit = f.per_page;
  return store.list_people(q);
}

Result<PersonView> read_person(store::Store& store, const Caller& caller, int64_t id) {
  if (!caller.can(Permission::people_list))
    return Status::PermissionDenied("此角色不能查看人员 (this role cannot read people)");
  auto p = store.get_person(id);
  if (!p.ok()) {
    if (p.status().code() == Status::Code::not_found)
      return Status::NotFound("没有此人 no person " + std::to_string(id));
    return p.status();
  }
  // Outside the scope it does not exist, with the same message.
  if (!caller.sees(p->institution_id))
    return Status::NotFound("没有此人 no person " + std::to_string(id));
  PersonView v;
  v.person = std::move(*p);
  v.id_masked = domain::mask_id_number(v.person.id_number);
  v.phone_masked = v.person.phone.empty() ? "" : domain::mask_phone(v.person.phone);
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  for (const auto& i : *insts)
    if (i.id == v.person.institution_id) v.institution_code = i.code, v.institution_name = i.name;
  if (v.person.unit_id || v.person.dorm_id) {
    auto units = store.list_units(v.person.institution_id);
    if (!units.ok()) return units.status();
    for (const auto& u : *units)
      if (u.id == v.person.unit_id) v.unit_path = u.path;
    auto places = store.list_places(v.person.institution_id);
    if (!places.ok()) return places.status();
    for (const auto& pl : *places)
      if (pl.id == v.person.dorm_id) v.dorm = pl.name;
  }
  v.full = caller.can(Permission::person_read_full);
  if (!v.full) {
    v.person.id_number = v.id_masked;
    v.person.phone = v.phone_masked;
    return v;
  }
  store::AuditEntry e;
  e.actor = caller.actor();
  e.action = "person.read";
  e.route = caller.route;
  e.subject_kind = "person";
  e.subject_id = v.person.id;
  e.institution_id = v.person.institution_id;
  e.detail = v.institution_code + " " + v.person.person_code;
  e.remote = caller.remote;
  auto audited = store.accounts().append_audit(e);
  if (!audited.ok()) return audited.status();
  return v;
}

Result<RosterStats> scoped_roster_stats(store::Store& store, const Caller& caller) {
  auto all = roster_stats(store);
  if (!all.ok() || caller.all_institutions) return all;
  RosterStats s;
  for (const auto& c : all->institutions) {
    if (!caller.sees(c.institution_id)) continue;
    for (KindTotals* t : {&s.total, &s.by_kind[c.kind]}) {
      ++t->institutions;
      t->people += c.people;
      t->students += c.students;
      t->teachers += c.teachers;
      t->staff += c.staff;
      t->dorm_residents += c.dorm_residents;
    }
    s.units += c.units;
    s.institutions.push_back(c);
  }
  return s;
}

}  // namespace fx::app
