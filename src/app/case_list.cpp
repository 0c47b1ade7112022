#include "app/case_list.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "app/health_access.h"
#include "app/presence_time.h"

namespace fx::app {

namespace json = boost::json;

Result<std::vector<CaseListItem>> list_cases(store::Store& store, const Caller& caller) {
  auto cases = store.tracking().list_cases();
  if (!cases.ok()) return cases.status();
  auto placements = store.rounds().people_placements();
  if (!placements.ok()) return placements.status();
  std::map<int64_t, store::PersonPlacement> placed;
  for (const auto& p : *placements) placed[p.id] = p;

  std::vector<CaseListItem> out;
  std::map<int64_t, size_t> by_person, by_case;
  std::vector<int64_t> ids;
  for (const auto& c : *cases) {
    auto p = placed.find(c.person_id);
    if (p == placed.end() || !caller.sees(p->second.institution_id)) continue;
    by_person[c.person_id] = out.size();
    by_case[c.id] = out.size();
    ids.push_back(c.person_id);
    out.push_back({c, "", "", "", "", 0, 0});
  }
  if (out.empty()) return out;

  auto keys = store.tracking().list_key_people({});
  if (!keys.ok()) return keys.status();
  for (const auto& k : *keys) {
    if (k.category == "close")
      for (const auto& s : k.sources)
        if (auto it = by_person.find(s.source_person_id); it != by_person.end())
          ++out[it->second].close;
    if (k.category == "secondary")
      if (auto it = by_case.find(k.case_id); it != by_case.end()) ++out[it->second].secondary;
  }
  auto briefs = store.rounds().people_briefs(ids);
  if (!briefs.ok()) return briefs.status();
  for (const auto& b : *briefs) {
    auto& item = out[by_person[b.id]];
    item.name = b.name;
    item.id_masked = b.id_masked;
  }
  auto institutions = store.list_institutions();
  if (!institutions.ok()) return institutions.status();
  std::map<int64_t, std::string> inst_name;
  for (const auto& i : *institutions) inst_name[i.id] = i.name;
  auto units = store.list_units(0);
  if (!units.ok()) return units.status();
  std::map<int64_t, std::string> unit_path;
  for (const auto& u : *units) unit_path[u.id] = u.path;
  for (auto& item : out) {
    const auto& p = placed[item.record.person_id];
    item.institution = inst_name[p.institution_id];
    item.unit = unit_path[p.unit_id];
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.record.id > b.record.id; });
  FX_RETURN_IF_ERROR(audit_health(store, caller, "cases.list", "case", 0, 0,
                                  "cases " + std::to_string(out.size())));
  return out;
}

std::string cases_json(const std::vector<CaseListItem>& items) {
  json::array a;
  for (const auto& c : items)
    a.push_back(json::object{{"id", c.record.id},
                             {"person", c.record.person_id},
                             {"name", c.name},
                             {"institution", c.institution},
                             {"unit", c.unit},
                             {"id_masked", c.id_masked},
                             {"sample_time", local_text(c.record.sample_time)},
                             {"confirmed_at", local_text(c.record.confirmed_at)},
                             {"onset_date", c.record.onset_date},
                             {"policy", c.record.policy_id},
                             {"close", c.close},
                             {"secondary", c.secondary}});
  return json::serialize(json::object{{"items", std::move(a)}});
}

}  // namespace fx::app
