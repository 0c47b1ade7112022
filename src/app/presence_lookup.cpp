#include "app/presence_lookup.h"

#include <cstring>

#include "app/text_checks.h"
#include "store/sealed_person.h"

namespace fx::app {

size_t PresenceLookup::HashKey::operator()(const Vault::Hash& h) const {
  size_t v;
  std::memcpy(&v, h.data(), sizeof v);
  return v;
}

Status PresenceLookup::load(store::Store& store, const Vault& vault) {
  vault_ = &vault;
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  for (const auto& i : *insts) institutions_[i.code] = i.id;
  auto units = store.list_units(0);
  if (!units.ok()) return units.status();
  for (const auto& u : *units) {
    unit_by_path_[key(u.institution_id, u.path)] = u.id;
    if (u.kind != domain::UnitKind::class_) continue;
    auto [it, fresh] = unit_by_name_.emplace(key(u.institution_id, u.name), u.id);
    if (!fresh) it->second = -1;
  }
  auto places = store.list_places(0);
  if (!places.ok()) return places.status();
  for (const auto& p : *places) places_[key(p.institution_id, p.name)].push_back({p.kind, p.id});
  return store.for_each_person_digest([&](const store::PersonDigest& d) {
    by_hash_.emplace(d.id_hash, d.id);
    by_code_.emplace(key(d.institution_id, d.person_code), d.id);
    institution_of_.emplace(d.id, d.institution_id);
  });
}

int64_t PresenceLookup::institution(std::string_view code) const {
  auto it = institutions_.find(std::string(code));
  return it == institutions_.end() ? 0 : it->second;
}

int64_t PresenceLookup::person_by_code(int64_t inst, std::string_view code) const {
  scratch_ = std::to_string(inst);
  scratch_.push_back('\x1f');
  scratch_.append(code);
  auto it = by_code_.find(scratch_);
  return it == by_code_.end() ? 0 : it->second;
}

int64_t PresenceLookup::person_by_id_number(std::string_view text, std::string& why) const {
  std::string resident_error;
  bool valid = false;
  for (auto kind : {domain::IdKind::resident, domain::IdKind::hk_macao_permit,
                    domain::IdKind::taiwan_permit, domain::IdKind::passport}) {
    std::string normalized;
    Status s = domain::validate_id_number(kind, text, normalized);
    if (!s.ok()) {
      if (kind == domain::IdKind::resident) resident_error = s.message();
      continue;
    }
    valid = true;
    auto it = by_hash_.find(store::id_number_hash(*vault_, kind, normalized));
    if (it != by_hash_.end()) return it->second;
    if (kind == domain::IdKind::resident) break;  // a valid resident ID is no other kind
  }
  bool resident_like = text.size() == 18 && !resident_error.empty();
  why =
      valid && !resident_like ? std::string("不在人员台账中 (not in the roster)") : resident_error;
  return 0;
}

int64_t PresenceLookup::person(std::string_view text, int64_t inst, std::string& why) const {
  if (inst) {
    if (int64_t id = person_by_code(inst, text)) return id;
  }
  std::string id_why;
  if (int64_t id = person_by_id_number(text, id_why)) return id;
  why = inst ? "证件号码或学号/工号不在人员台账中 (neither an ID number nor a person code on the "
               "roster)"
             : "不在人员台账中；按学号/工号须填学校代码 (not on the roster; a person code needs "
               "the institution code)";
  return 0;
}

int64_t PresenceLookup::institution_of(int64_t person_id) const {
  auto it = institution_of_.find(person_id);
  return it == institution_of_.end() ? 0 : it->second;
}

int64_t PresenceLookup::unit(int64_t inst, std::string_view text, std::string& why) const {
  std::string t = trimmed(text);
  if (auto it = unit_by_path_.find(key(inst, t)); it != unit_by_path_.end()) return it->second;
  if (auto it = unit_by_name_.find(key(inst, t)); it != unit_by_name_.end()) {
    if (it->second > 0) return it->second;
    why =
        "班级名称在本校不唯一，请写完整路径（如 本部/护理学院/2021级/护理2101） (class name is "
        "not unique: write the unit path)";
    return 0;
  }
  why = "本校没有此班级 (no such class in the institution)";
  return 0;
}

int64_t PresenceLookup::place(int64_t inst, std::string_view name,
                              const domain::PlaceKind* kind) const {
  auto it = places_.find(key(inst, name));
  if (it == places_.end()) return 0;
  if (kind) {
    for (const auto& p : it->second)
      if (p.kind == *kind) return p.id;
    return 0;
  }
  return it->second.size() == 1 ? it->second.front().id : kAmbiguous;
}

void PresenceLookup::add_place(int64_t inst, domain::PlaceKind kind, const std::string& name,
                               int64_t id) {
  places_[key(inst, name)].push_back({kind, id});
}

}  // namespace fx::app
