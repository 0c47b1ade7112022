#include "app/tracking_add.h"

#include <algorithm>
#include <boost/json.hpp>
#include <ctime>

#include "app/health_access.h"
#include "app/policies.h"
#include "app/presence_time.h"
#include "app/tracing.h"
#include "domain/policy.h"

namespace fx::app {

namespace json = boost::json;

namespace {

std::string plan_json(const domain::QuarantinePlan& plan) {
  json::array stages;
  for (const auto& s : plan.stages)
    stages.push_back(json::object{{"kind", s.kind}, {"start", s.start}, {"end", s.end}});
  return json::serialize(json::object{{"stages", std::move(stages)}});
}

// COVID-19 reached no school before this; an earlier date is a typo.
constexpr int64_t kEarliestSince = 1577808000 - 8 * 3600;  // 2020-01-01 local

}  // namespace

Result<TrackingRow> add_key_person(store::Store& store, const Vault& vault, const Caller& caller,
                                   const KeyPersonRequest& r) {
  if (!caller.can(Permission::cases_manage))
    return Status::PermissionDenied("此角色不能管理重点人员 (this role cannot manage key people)");
  if (r.category != "returnee" && r.category != "symptomatic")
    return Status::Invalid(
        "category: 应为 returnee (中高风险地区返校) 或 symptomatic (有症状) — close and secondary "
        "contacts come from a trace");
  const std::string policy_id = r.policy.empty() ? kDefaultPolicy : r.policy;
  const auto ids = policy_ids();  // built-in only: a path would read the server's files
  if (std::find(ids.begin(), ids.end(), policy_id) == ids.end())
    return Status::Invalid("policy: 没有此防控方案 (no such policy) '" + policy_id + "'");
  auto policy = find_policy(policy_id);
  if (!policy.ok()) return policy.status();
  const domain::CategoryRule* rule = policy->find_rule(r.category);
  if (rule == nullptr)
    return Status::Invalid("category: 防控方案 " + policy_id + " 没有 " + r.category +
                           " 的管控要求 (the policy has no rule for this category)");

  std::string iso;
  int64_t days = 0, since = 0;
  if (r.since.empty()) return Status::Invalid("since: 必填 (required: a date)");
  if (!parse_day(r.since, iso, days) || !parse_local_instant(iso, since))
    return Status::Invalid("since: 日期格式应为 2022-03-07 (a date)");
  if (since < kEarliestSince || since > std::time(nullptr))
    return Status::Invalid("since: 日期不合理 (implausible: before 2020 or in the future): " + iso);
  if (r.area.size() > 200) return Status::Invalid("area: 过长 (at most 200 bytes)");

  if (r.person.empty()) return Status::Invalid("person: 必填 (required)");
  auto person = resolve_person(store, vault, r.person);
  int64_t institution = 0;
  if (person.ok()) {
    auto inst = institution_of(store, *person);
    if (inst.ok() && caller.sees(*inst)) institution = *inst;
  }
  if (institution == 0)
    return Status::Invalid("person: 没有此人 (no such person: an ID number, or 学校代码:学号)");
  auto existing_case = store.tracking().find_case_by_person(*person);
  if (!existing_case.ok()) return existing_case.status();
  if (existing_case->has_value())
    return Status::AlreadyExists("person: 此人已是确诊病例 (already a case)");

  // Day 1 is the day after the return or the onset, as for contacts.
  const domain::QuarantinePlan plan = domain::plan_quarantine(*rule, since);
  store::KeyPersonRecord k;
  k.person_id = *person;
  k.category = r.category;
  k.area = r.area;
  k.policy_id = policy->id;
  k.first_exposure = k.last_exposure = since;
  k.quarantine_kind = plan.stages.empty() ? "none" : plan.stages.front().kind;
  k.start_at = since;
  k.planned_end = plan.planned_end;
  k.plan = plan_json(plan);
  for (const auto& t : plan.tests) k.tests.push_back({t.day, t.date, t.note});
  auto id = store.tracking().add_key_person(k, caller.actor());
  if (!id.ok()) return id.status();
  FX_RETURN_IF_ERROR(
      audit_health(store, caller, "tracking.add", "key_person", *id, institution, r.category));
  TrackingQuery q;
  q.id = *id;
  auto table = tracking_table(store, caller, q);
  if (!table.ok()) return table.status();
  if (table->rows.empty()) return Status::NotFound("key person vanished");
  return std::move(table->rows.front());
}

}  // namespace fx::app
