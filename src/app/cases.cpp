#include "app/cases.h"

#include <algorithm>
#include <boost/json.hpp>
#include <ctime>
#include <map>
#include <set>

namespace fx::app {

namespace json = boost::json;

std::string exposures_text(const TraceIndex& index, const trace::SourceLink& link) {
  json::array out;
  for (const trace::Exposure& e : link.exposures)
    out.push_back(json::object{{"place_id", index.place_id(e.place)},
                               {"kind", trace::contact_kind_code(e.kind)},
                               {"first", e.first},
                               {"last", e.last},
                               {"seconds", e.seconds},
                               {"times", e.times}});
  return json::serialize(out);
}

namespace {

std::string plan_json(const domain::QuarantinePlan& plan) {
  json::array stages;
  for (const auto& s : plan.stages)
    stages.push_back(json::object{{"kind", s.kind}, {"start", s.start}, {"end", s.end}});
  return json::serialize(json::object{{"stages", std::move(stages)}});
}

int rank(const std::string& category) { return category == "close" ? 2 : 1; }

// The row for one contact, merged with what is already stored for the person.
store::KeyPersonRecord key_person(const TraceIndex& index, const domain::Policy& policy,
                                  domain::KeyCategory category, const trace::Contact& c,
                                  const store::KeyPersonRecord* existing, int64_t at) {
  store::KeyPersonRecord k;
  k.person_id = index.person_id(c.person);
  k.category = domain::key_category_code(category);
  k.first_exposure = c.first;
  k.last_exposure = c.last;
  k.exposure_seconds = c.seconds;
  std::map<int64_t, store::KeySource> sources;
  if (existing != nullptr && existing->status == "quarantined") {
    if (rank(existing->category) > rank(k.category)) k.category = existing->category;
    k.first_exposure = std::min(k.first_exposure, existing->first_exposure);
    k.last_exposure = std::max(k.last_exposure, existing->last_exposure);
    k.exposure_seconds += existing->exposure_seconds;
    k.site_id = existing->site_id;
    for (const auto& s : existing->sources) sources[s.source_person_id] = s;
  }
  for (const trace::SourceLink& s : c.sources)
    sources[index.person_id(s.source)] = {index.person_id(s.source), s.seconds, s.first, s.last,
                                          exposures_text(index, s)};
  for (auto& [id, s] : sources) k.sources.push_back(std::move(s));
  const domain::KeyCategory effective =
      k.category == "close" ? domain::KeyCategory::close : domain::KeyCategory::secondary;
  const domain::QuarantinePlan plan =
      domain::plan_quarantine(policy.rule(effective), k.last_exposure);
  k.policy_id = policy.id;
  k.quarantine_kind = plan.stages.empty() ? "none" : plan.stages.front().kind;
  k.start_at = at;
  k.planned_end = plan.planned_end;
  k.plan = plan_json(plan);
  for (const auto& t : plan.tests) k.tests.push_back({t.day, t.date, t.note});
  return k;
}

}  // namespace

Result<CaseOutcome> confirm_case(store::Store& store, const TraceIndex& index,
                                 const domain::Policy& policy, const ConfirmCase& request) {
  auto& tracking = store.tracking();
  auto existing_case = tracking.find_case_by_person(request.person_id);
  if (!existing_case.ok()) return existing_case.status();
  if (existing_case->has_value())
    return Status::AlreadyExists("此人已是确诊病例 (already a case): 病例 " +
                                 std::to_string((*existing_case)->id));
  const int64_t at = request.confirmed_at != 0 ? request.confirmed_at : std::time(nullptr);
  if (request.sample_time > at)
    return Status::Invalid("--sample-time: 采样时间晚于确诊时间 (sampled after the confirmation)");

  CaseOutcome out;
  CaseWindow window{request.person_id, request.sample_time, request.onset_date, at};
  auto lists = trace_cases(index, policy, {window}, at);
  if (!lists.ok()) return lists.status();
  out.lists = std::move(*lists);

  auto cases = tracking.list_cases();
  if (!cases.ok()) return cases.status();
  std::set<int64_t> case_people;
  for (const auto& c : *cases) case_people.insert(c.person_id);
  auto stored = tracking.list_key_people({});
  if (!stored.ok()) return stored.status();
  std::map<int64_t, const store::KeyPersonRecord*> by_person;
  for (const auto& k : *stored) by_person[k.person_id] = &k;

  store::CaseRecord record;
  record.person_id = request.person_id;
  record.sample_time = request.sample_time;
  record.onset_date = request.onset_date;
  record.confirmed_at = at;
  record.isolated_at = at;
  record.window_from = window_start(policy, window);
  record.policy_id = policy.id;
  record.symptoms = request.symptoms;
  record.note = request.note;
  record.actor = request.actor;
  if (auto it = by_person.find(request.person_id);
      it != by_person.end() && it->second->status == "quarantined")
    record.from_key_person = it->second->id;

  std::vector<store::KeyPersonRecord> people;
  auto add = [&](domain::KeyCategory category, const std::vector<trace::Contact>& contacts) {
    for (const trace::Contact& c : contacts) {
      const int64_t id = index.person_id(c.person);
      if (case_people.count(id)) continue;  // already a case: traced when confirmed
      auto it = by_person.find(id);
      if (it != by_person.end() && it->second->status == "became_case") continue;
      const store::KeyPersonRecord* before = it == by_person.end() ? nullptr : it->second;
      people.push_back(key_person(index, policy, category, c, before, at));
      (people.back().category == "close" ? out.close : out.secondary)++;
      if (before == nullptr || before->status != "quarantined" ||
          rank(before->category) < rank(people.back().category))
        out.listed.push_back(id);
    }
  };
  add(domain::KeyCategory::close, out.lists.close);
  add(domain::KeyCategory::secondary, out.lists.secondary);

  auto id = tracking.record_case(record, people);
  if (!id.ok()) return id.status();
  out.case_id = *id;
  auto listed = tracking.list_key_people(
      {.category = "", .status = "quarantined", .quarantine_kind = "centralised"});
  if (listed.ok())
    for (const auto& k : *listed)
      if (k.case_id == out.case_id && k.site_id == 0) ++out.without_site;
  return out;
}

}  // namespace fx::app
