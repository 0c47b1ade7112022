#include "app/tracking_actions.h"

#include <boost/json.hpp>
#include <ctime>

#include "app/health_access.h"

namespace fx::app {

namespace json = boost::json;

namespace {

Status may_manage(const Caller& caller) {
  if (!caller.can(Permission::cases_manage))
    return Status::PermissionDenied("此角色不能管理重点人员 (this role cannot manage key people)");
  return Status::Ok();
}

Status no_key_person(int64_t id) {
  return Status::NotFound("没有重点人员 " + std::to_string(id) + " (no such key person)");
}

// The institution of the key person `id` when the caller sees it.
Result<int64_t> key_person_institution(store::Store& store, const Caller& caller, int64_t id) {
  auto all = store.tracking().list_key_people({});
  if (!all.ok()) return all.status();
  for (const auto& k : *all) {
    if (k.id != id) continue;
    auto inst = institution_of(store, k.person_id);
    if (!inst.ok() || !caller.sees(*inst)) break;
    return *inst;
  }
  return no_key_person(id);
}

Result<TrackingRow> row_of(store::Store& store, const Caller& caller, int64_t id) {
  TrackingQuery q;
  q.id = id;
  auto t = tracking_table(store, caller, q);
  if (!t.ok()) return t.status();
  if (t->rows.empty()) return no_key_person(id);
  return std::move(t->rows.front());
}

}  // namespace

Result<TrackingRow> transfer_key_person(store::Store& store, const Caller& caller, int64_t id,
                                        int64_t site_id, const std::string& state) {
  FX_RETURN_IF_ERROR(may_manage(caller));
  auto inst = key_person_institution(store, caller, id);
  if (!inst.ok()) return inst.status();
  const std::string s = state.empty() ? "dispatched" : state;
  FX_RETURN_IF_ERROR(store.tracking().assign_site(id, site_id, s, caller.actor()));
  FX_RETURN_IF_ERROR(audit_health(store, caller, "tracking.transfer", "key_person", id, *inst,
                                  "site " + std::to_string(site_id) + " " + s));
  return row_of(store, caller, id);
}

Result<TrackingRow> release_key_person(store::Store& store, const Caller& caller, int64_t id,
                                       const std::string& note) {
  FX_RETURN_IF_ERROR(may_manage(caller));
  auto inst = key_person_institution(store, caller, id);
  if (!inst.ok()) return inst.status();
  FX_RETURN_IF_ERROR(store.tracking().release(id, std::time(nullptr), caller.actor()));
  FX_RETURN_IF_ERROR(
      audit_health(store, caller, "tracking.release", "key_person", id, *inst, note));
  return row_of(store, caller, id);
}

Result<std::vector<store::QuarantineSite>> list_sites(store::Store& store, const Caller& caller) {
  if (!caller.can(Permission::people_list))
    return Status::PermissionDenied("此角色不能查看隔离点 (this role cannot list sites)");
  return store.tracking().list_sites();
}

Result<store::QuarantineSite> add_site(store::Store& store, const Caller& caller,
                                       store::QuarantineSite site) {
  FX_RETURN_IF_ERROR(may_manage(caller));
  if (site.name.empty()) return Status::Invalid("name: 必填 (required)");
  if (site.capacity < 0 || site.capacity > 100000)
    return Status::Invalid("capacity: 应为 0–100000 (capacity must be in 0–100000)");
  auto id = store.tracking().add_site(site);
  if (!id.ok()) return id.status();
  site.id = *id;
  site.occupied = 0;
  FX_RETURN_IF_ERROR(audit_health(store, caller, "site.add", "site", site.id, 0, ""));
  return site;
}

namespace {
json::object site_object(const store::QuarantineSite& s) {
  return json::object{{"id", s.id},
                      {"name", s.name},
                      {"address", s.address},
                      {"capacity", s.capacity},
                      {"occupied", s.occupied}};
}
}  // namespace

std::string site_json(const store::QuarantineSite& site) {
  return json::serialize(site_object(site));
}

std::string sites_json(const std::vector<store::QuarantineSite>& sites) {
  json::array a;
  for (const auto& s : sites) a.push_back(site_object(s));
  return json::serialize(json::object{{"items", std::move(a)}});
}

}  // namespace fx::app
