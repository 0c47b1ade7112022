#include "app/teaching_resolve.h"

#include "domain/directives.h"
#include "domain/rounds.h"

namespace fx::app {

Result<Resolver> Resolver::load(store::Store& store, const Caller& caller) {
  Resolver r;
  r.store_ = &store;
  r.caller_ = &caller;
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  for (const auto& i : *insts)
    if (caller.sees(i.id)) r.code_to_id_[i.code] = i.id;
  return r;
}

int64_t Resolver::institution(const InputRow& row, RowErrors& errors) {
  const std::string code = row.get("institution");
  if (code.empty()) {
    if (!caller_->all_institutions && caller_->institutions.size() == 1)
      return caller_->institutions.front();
    errors.add(row.number, "institution", "必填: 学校代码 (required)");
    return 0;
  }
  auto it = code_to_id_.find(code);
  if (it != code_to_id_.end()) return it->second;
  errors.add(row.number, "institution",
             "没有学校 " + code + ", 或不在您的范围内 (no such institution in your scope)");
  return 0;
}

Status Resolver::load_institution(int64_t inst) {
  if (loaded_.count(inst)) return loaded_[inst].status;
  Loaded& l = loaded_[inst];
  auto units = store_->list_units(inst);
  if (!units.ok()) return l.status = units.status();
  for (const auto& u : *units) {
    if (u.kind != domain::UnitKind::class_) continue;
    l.class_by_path[u.path] = u.id;
    auto [it, fresh] = l.class_by_name.emplace(u.name, u.id);
    if (!fresh) it->second = 0;
  }
  auto people = store_->teaching().people_of(inst);
  if (!people.ok()) return l.status = people.status();
  for (auto& p : *people) l.people.emplace(p.person_code, std::move(p));
  return Status::Ok();
}

int64_t Resolver::class_of(int64_t inst, const InputRow& row, RowErrors& errors) {
  const std::string text = row.get("class");
  if (text.empty()) return errors.add(row.number, "class", "必填 (required)"), 0;
  if (Status s = load_institution(inst); !s.ok())
    return errors.add(row.number, "class", s.message()), 0;
  const Loaded& l = loaded_[inst];
  if (auto it = l.class_by_path.find(text); it != l.class_by_path.end()) return it->second;
  auto it = l.class_by_name.find(text);
  if (it != l.class_by_name.end() && it->second) return it->second;
  errors.add(row.number, "class",
             it != l.class_by_name.end()
                 ? "班级名 “" + text + "” 不唯一, 请写完整路径 (ambiguous: write the class's path)"
                 : "本校没有班级 “" + text + "” (no such class in this institution)");
  return 0;
}

const store::PersonRef* Resolver::person(int64_t inst, const InputRow& row,
                                         const std::string& field, const std::string& role,
                                         RowErrors& errors) {
  const std::string code = row.get(field);
  if (code.empty()) return errors.add(row.number, field, "必填: 学号/工号 (required)"), nullptr;
  if (Status s = load_institution(inst); !s.ok())
    return errors.add(row.number, field, s.message()), nullptr;
  const Loaded& l = loaded_[inst];
  auto it = l.people.find(code);
  if (it == l.people.end())
    return errors.add(row.number, field,
                      "本校没有学号/工号 " + code + " (no such person in this institution)"),
           nullptr;
  if (it->second.role != role) {
    const char* want = role == "student" ? "学生" : role == "teacher" ? "教师" : "职工";
    return errors.add(row.number, field,
                      code + " 不是" + want + " (not a " + role + " in the roster)"),
           nullptr;
  }
  return &it->second;
}

bool time_of(const InputRow& row, const std::string& field, RowErrors& errors, std::string& utc) {
  const std::string t = row.get(field);
  if (t.empty()) return errors.add(row.number, field, "必填 (required)"), false;
  std::string iso;
  if (!domain::parse_local_time(t, iso) || !domain::utc_seconds(iso))
    return errors.add(row.number, field,
                      "无法识别的时间 “" + t + "” (not a time; write 2022-03-15 10:30)"),
           false;
  utc = domain::utc_iso(*domain::utc_seconds(iso));
  return true;
}

}  // namespace fx::app
