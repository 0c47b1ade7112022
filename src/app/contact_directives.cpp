#include "app/contact_directives.h"

#include <algorithm>
#include <map>
#include <set>

#include "app/directives.h"
#include "domain/directives.h"

namespace fx::app {
namespace {

// People already told about for this case (earlier directives of it).
Result<std::set<int64_t>> already_listed(store::Store& store, int64_t case_id) {
  std::set<int64_t> out;
  auto all = store.directives().list_all(0);
  if (!all.ok()) return all.status();
  for (const auto& d : *all) {
    if (d.source != kContactDirectiveSource || d.source_id != case_id) continue;
    auto rows = store.directives().recipients({d.id, 0, false});
    if (!rows.ok()) return rows.status();
    for (const auto& r : *rows) out.insert(r.people.begin(), r.people.end());
  }
  return out;
}

// Each person's institution: one lookup each for a case's few hundred
// people, every placement at once for thousands (a city's busy case).
Result<std::map<int64_t, int64_t>> institutions_of(store::Store& store,
                                                   const std::vector<int64_t>& people) {
  std::map<int64_t, int64_t> out;
  if (people.size() <= 2000) {
    for (int64_t p : people) {
      auto person = store.get_person(p);
      if (!person.ok()) return person.status();
      out[p] = person->institution_id;
    }
    return out;
  }
  auto placements = store.rounds().people_placements();
  if (!placements.ok()) return placements.status();
  for (const auto& x : *placements)
    if (std::binary_search(people.begin(), people.end(), x.id)) out[x.id] = x.institution_id;
  return out;
}

struct Counts {
  long close = 0, secondary = 0, centralised = 0, transfers = 0;
};

std::string body_text(const store::CaseRecord& c, const Counts& n, long people) {
  const std::string total = std::to_string(people);
  std::string text = "病例 " + std::to_string(c.id) + " 已确诊,流调追踪出贵单位新增重点人员 " +
                     total + " 人:密接 " + std::to_string(n.close) + " 人,次密接 " +
                     std::to_string(n.secondary) + " 人";
  if (n.centralised > 0)
    text += ",其中集中隔离 " + std::to_string(n.centralised) + " 人(转运任务 " +
            std::to_string(n.transfers) + " 个)";
  text +=
      "。名单附后(跟踪表中可见每人的接触原因、隔离期和检测日)。请立即通知本人、落实管控、"
      "配合转运,完成后反馈。 (Case " +
      std::to_string(c.id) + " was confirmed; tracing lists " + total +
      " new key people of your institution: " + std::to_string(n.close) + " close, " +
      std::to_string(n.secondary) + " secondary, " + std::to_string(n.transfers) +
      " transfer tasks. Inform them, put them under control and report back.)";
  return text;
}

}  // namespace

Result<std::vector<int64_t>> send_contact_directives(store::Store& store,
                                                     const ContactNotice& notice) {
  if (notice.people.empty()) return std::vector<int64_t>{};
  std::string now = notice.now.empty() ? directive_now() : notice.now;
  auto at = domain::utc_seconds(now);
  if (!at) return Status::Invalid("now: 时间格式应为 UTC ISO 8601 (now must be UTC ISO 8601)");
  auto kase = store.tracking().get_case(notice.case_id);
  if (!kase.ok()) return kase.status();
  auto told = already_listed(store, notice.case_id);
  if (!told.ok()) return told.status();
  std::vector<int64_t> fresh;
  for (int64_t p : notice.people)
    if (!told->count(p)) fresh.push_back(p);
  std::sort(fresh.begin(), fresh.end());
  fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
  if (fresh.empty()) return std::vector<int64_t>{};

  store::KeyPersonFilter filter;
  filter.person_ids = fresh;
  auto rows = store.tracking().list_key_people(filter);
  if (!rows.ok()) return rows.status();
  std::map<int64_t, const store::KeyPersonRecord*> row_of;
  for (const auto& k : *rows) row_of[k.person_id] = &k;
  auto placed = institutions_of(store, fresh);
  if (!placed.ok()) return placed.status();
  auto institutions = store.list_institutions();
  if (!institutions.ok()) return institutions.status();
  std::map<int64_t, const domain::Institution*> inst_of;
  for (const auto& i : *institutions) inst_of[i.id] = &i;

  // By institution code, so the directives go out in a stable order.
  std::map<std::string, std::pair<int64_t, std::vector<int64_t>>> by_code;
  std::map<int64_t, Counts> counts;
  for (int64_t p : fresh) {
    auto row = row_of.find(p);
    if (row == row_of.end() || row->second->status != "quarantined") continue;
    auto where = placed->find(p);
    if (where == placed->end()) continue;
    auto inst = inst_of.find(where->second);
    if (inst == inst_of.end()) continue;
    auto& entry = by_code[inst->second->code];
    entry.first = inst->first;
    entry.second.push_back(p);
    Counts& n = counts[inst->first];
    (row->second->category == "close" ? n.close : n.secondary)++;
    if (row->second->quarantine_kind == "centralised") ++n.centralised;
    if (!row->second->transfer.empty()) ++n.transfers;
  }
  std::vector<store::NewDirective> out;
  for (auto& [code, entry] : by_code) {
    const auto& [inst, people] = entry;
    store::NewDirective d;
    d.directive.title = "病例 " + std::to_string(kase->id) +
                        " 新增密接/次密接管控: " + inst_of[inst]->name + " " +
                        std::to_string(people.size()) + " 人";
    d.directive.body = body_text(*kase, counts[inst], static_cast<long>(people.size()));
    d.directive.priority = domain::priority_code(domain::Priority::critical);
    d.directive.deadline = domain::utc_iso(*at + kContactDirectiveHours * 3600);
    d.directive.sender = notice.actor;
    d.directive.sender_group = "人员管控";
    d.directive.source = kContactDirectiveSource;
    d.directive.source_id = kase->id;
    d.directive.created_at = domain::utc_iso(*at);
    d.targets.push_back({inst, people});
    out.push_back(std::move(d));
  }
  if (out.empty()) return std::vector<int64_t>{};
  return store.directives().send(out, notice.actor);
}

}  // namespace fx::app
