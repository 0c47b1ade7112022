#include "app/chain.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "app/health_access.h"

namespace fx::app {

Result<Chain> transmission_chain(store::Store& store, const Caller& caller) {
  if (!caller.can(Permission::people_list))
    return Status::PermissionDenied("此角色不能查看传播链 (this role cannot read the chain)");
  auto cases = store.tracking().list_cases();
  if (!cases.ok()) return cases.status();
  auto keys = store.tracking().list_key_people({});
  if (!keys.ok()) return keys.status();

  std::map<int64_t, ChainNode> nodes;  // by person
  auto rank = [](const std::string& kind) { return kind == "case" ? 0 : kind == "close" ? 1 : 2; };
  auto put = [&](int64_t person, const std::string& kind) {
    ChainNode& n = nodes[person];
    n.person = person;
    if (n.kind.empty() || rank(kind) < rank(n.kind)) n.kind = kind;
  };
  for (const auto& c : *cases) {
    put(c.person_id, "case");
    nodes[c.person_id].case_id = c.id;
  }
  Chain chain;
  for (const auto& k : *keys) {
    if (k.category != "close" && k.category != "secondary") continue;  // not from a trace
    put(k.person_id, k.category);
    for (const auto& s : k.sources) {
      put(s.source_person_id, "close");  // a source is a case or a close contact
      chain.edges.push_back({s.source_person_id, k.person_id, k.category, s.seconds / 60});
    }
  }
  // Names and institutions; outside the scope, the node stays but anonymous.
  std::vector<int64_t> ids;
  for (const auto& [id, n] : nodes) ids.push_back(id);
  auto briefs = store.rounds().people_briefs(ids);
  if (!briefs.ok()) return briefs.status();
  std::map<int64_t, std::string> name;
  for (const auto& b : *briefs) name[b.id] = b.name;
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  std::map<int64_t, std::string> inst_name;
  for (const auto& i : *insts) inst_name[i.id] = i.name;
  // Every person's institution in one read (no decryption), not one per node.
  auto placements = store.rounds().people_placements();
  if (!placements.ok()) return placements.status();
  std::map<int64_t, int64_t> inst_of;
  for (const auto& p : *placements)
    if (nodes.count(p.id)) inst_of[p.id] = p.institution_id;
  std::set<int64_t> visible;
  for (auto& [id, n] : nodes) {
    int64_t inst = inst_of[id];
    n.in_scope = inst != 0 && caller.sees(inst);
    if (!n.in_scope) continue;
    visible.insert(id);
    n.name = name[id];
    n.institution = inst_name[inst];
  }
  // Only the links that touch the caller's scope, and the nodes they join.
  std::vector<ChainEdge> kept;
  std::set<int64_t> used;
  for (const auto& e : chain.edges)
    if (visible.count(e.from) || visible.count(e.to)) {
      kept.push_back(e);
      used.insert(e.from);
      used.insert(e.to);
    }
  chain.edges = std::move(kept);
  for (auto& [id, n] : nodes) {
    if (!visible.count(id) && !used.count(id)) continue;
    if (n.kind == "case" && n.in_scope) ++chain.cases;
    if (n.kind == "close" && n.in_scope) ++chain.close;
    if (n.kind == "secondary" && n.in_scope) ++chain.secondary;
    chain.nodes.push_back(n);
  }
  std::stable_sort(
      chain.nodes.begin(), chain.nodes.end(),
      [&](const ChainNode& a, const ChainNode& b) { return rank(a.kind) < rank(b.kind); });
  // A case whose person was listed as a contact of another case came from it.
  std::set<int64_t> case_people;
  for (const auto& c : *cases) case_people.insert(c.person_id);
  std::set<int64_t> became;
  for (const auto& e : chain.edges)
    if (case_people.count(e.to)) became.insert(e.to);
  chain.became_cases = static_cast<long>(became.size());
  FX_RETURN_IF_ERROR(audit_health(store, caller, "chain.read", "chain", 0, 0,
                                  std::to_string(chain.nodes.size()) + " nodes"));
  return chain;
}

std::string chain_json(const Chain& c) {
  namespace json = boost::json;
  json::array nodes, edges;
  for (const auto& n : c.nodes)
    nodes.push_back(
        json::object{{"person", n.person},
                     {"name", n.in_scope ? json::value(n.name) : json::value("（外单位）")},
                     {"institution", n.institution},
                     {"kind", n.kind},
                     {"case", n.case_id},
                     {"in_scope", n.in_scope}});
  for (const auto& e : c.edges)
    edges.push_back(json::object{
        {"from", e.from}, {"to", e.to}, {"category", e.category}, {"minutes", e.minutes}});
  return json::serialize(json::object{{"cases", c.cases},
                                      {"close", c.close},
                                      {"secondary", c.secondary},
                                      {"became_cases", c.became_cases},
                                      {"nodes", std::move(nodes)},
                                      {"edges", std::move(edges)}});
}

}  // namespace fx::app
