#include "app/outbreak_figures.h"

#include <map>
#include <unordered_map>

#include "app/presence_time.h"

namespace fx::app {
namespace {

// Open directive rows (not yet reported done) and those past their deadline.
Status count_directives(store::Store& store, const Caller& caller, OutbreakFigures& out) {
  store::RecipientFilter open;
  open.open_only = true;
  auto rows = store.directives().recipients(open);
  if (!rows.ok()) return rows.status();
  std::map<int64_t, std::string> deadline;
  for (const auto& r : *rows) deadline[r.directive_id];
  std::vector<int64_t> ids;  // each directive once, not once per recipient
  for (const auto& [id, due] : deadline) ids.push_back(id);
  if (!ids.empty()) {
    auto directives = store.directives().list(ids);
    if (!directives.ok()) return directives.status();
    for (const auto& d : *directives) deadline[d.id] = d.deadline;
  }
  const std::string now = store::utc_now_iso();
  for (const auto& r : *rows) {
    // Per-institution figures: a group's or liaison's row has no institution.
    if (r.kind != "institution" || !caller.sees(r.institution_id)) continue;
    InstitutionFigures& f = out.by_institution[r.institution_id];
    ++f.directives_open;
    const std::string& due = deadline[r.directive_id];
    if (!due.empty() && due < now) ++f.directives_overdue;
  }
  return Status::Ok();
}

}  // namespace

Result<OutbreakFigures> outbreak_figures(store::Store& store, const Caller& caller,
                                         RoundViews& rounds) {
  if (!caller.can(Permission::figures_read))
    return Status::PermissionDenied("此角色不能查看统计 (this role cannot read figures)");
  OutbreakFigures out;
  auto cases = store.tracking().list_cases();
  if (!cases.ok()) return cases.status();
  auto keys = store.tracking().list_key_people({});
  if (!keys.ok()) return keys.status();
  if (!cases->empty() || !keys->empty()) {
    // One read of every person's institution, only when there is something to place.
    auto placements = store.rounds().people_placements();
    if (!placements.ok()) return placements.status();
    std::unordered_map<int64_t, int64_t> inst_of;
    inst_of.reserve(placements->size());
    for (const auto& p : *placements) inst_of[p.id] = p.institution_id;
    auto figures_of = [&](int64_t person) -> InstitutionFigures* {
      auto it = inst_of.find(person);
      if (it == inst_of.end() || !caller.sees(it->second)) return nullptr;
      return &out.by_institution[it->second];
    };
    auto day = [](int64_t t) { return local_text(t).substr(0, 10); };
    for (const auto& c : *cases)
      if (auto* f = figures_of(c.person_id)) {
        ++f->cases;
        ++out.daily[day(c.confirmed_at)].cases;
      }
    for (const auto& k : *keys) {
      auto* f = figures_of(k.person_id);
      if (!f) continue;
      DayFigures& d = out.daily[day(k.start_at)];
      if (k.category == "close") ++d.close;
      if (k.category == "secondary") ++d.secondary;
      if (k.category == "close") ++f->close;
      if (k.category == "secondary") ++f->secondary;
      if (k.status == "quarantined") ++f->quarantined;
    }
  }
  auto list = store.rounds().list_rounds();
  if (!list.ok()) return list.status();
  if (!list->empty()) {
    out.latest_round = list->back().id;
    auto table = rounds.table(store, caller, out.latest_round, TableBy::institution, "");
    if (!table.ok()) return table.status();
    for (const auto& row : table->rows) {
      InstitutionFigures& f = out.by_institution[row.institution_id];
      f.due = row.due;
      f.sampled = row.sampled;
      f.missed = row.missed;
      f.coverage = row.coverage;
    }
    out.total.due = table->total.due;
    out.total.sampled = table->total.sampled;
    out.total.missed = table->total.missed;
    out.total.coverage = table->total.coverage;
  }
  FX_RETURN_IF_ERROR(count_directives(store, caller, out));
  for (const auto& [id, f] : out.by_institution) {
    out.total.directives_open += f.directives_open;
    out.total.directives_overdue += f.directives_overdue;
    out.total.cases += f.cases;
    out.total.close += f.close;
    out.total.secondary += f.secondary;
    out.total.quarantined += f.quarantined;
  }
  return out;
}

}  // namespace fx::app
