#include "app/inspection_scenario.h"

#include <algorithm>

#include "app/inspections.h"

namespace fx::app {
namespace {

// 10:00 in Changchun on a date.
std::string morning(const std::string& date) { return date + "T02:00:00Z"; }
std::string afternoon(const std::string& date) { return date + "T07:00:00Z"; }

}  // namespace

Result<InspectionScenario> run_inspection_scenario(store::Store& store, const Caller& caller,
                                                   const sim::InspectionShape& shape) {
  auto existing = store.inspections().list_rounds();
  if (!existing.ok()) return existing.status();
  if (!existing->empty())
    return Status::AlreadyExists(
        "已有检查轮次, 情景需要空的检查数据 (inspection rounds exist; run the scenario on a "
        "store without them)");
  auto list = store.list_institutions();
  if (!list.ok()) return list.status();
  if (list->empty())
    return Status::Invalid("没有学校, 请先导入学校名单 (no institutions: import them first)");
  std::vector<domain::Institution> insts = *list;
  std::sort(insts.begin(), insts.end(),
            [](const auto& a, const auto& b) { return a.code < b.code; });
  const sim::InspectionPlan plan = sim::plan_inspections(insts.size(), shape);

  InspectionScenario out;
  out.end_date = plan.end_date;
  std::vector<int64_t> round_ids;
  for (const auto& r : plan.rounds) {
    auto id = add_inspection_round(store, caller, {r.name, r.start_date, r.end_date});
    if (!id.ok()) return id.status();
    round_ids.push_back(*id);
    ++out.rounds;
  }
  std::vector<std::vector<int64_t>> finding_ids(plan.inspections.size());
  for (size_t i = 0; i < plan.inspections.size(); ++i) {
    const auto& p = plan.inspections[i];
    NewInspection req;
    req.round_id = round_ids[p.round];
    req.institution = insts[p.institution].code;
    req.inspector = p.inspector;
    req.date = p.date;
    req.summary = p.findings.empty() ? "各项防控措施落实到位" : "发现问题，限期整改";
    for (const auto& [item, passed] : p.items) req.items.push_back({item, passed, ""});
    for (const auto& f : p.findings)
      req.findings.push_back({f.category, f.severity, f.description, f.deadline});
    req.now = morning(p.date);
    auto added = record_inspection(store, caller, req);
    if (!added.ok()) return added.status();
    finding_ids[i] = added->finding_ids;
    ++out.inspections;
    out.findings += static_cast<int>(added->finding_ids.size());
    out.directives += static_cast<int>(added->directive_ids.size());
    if (!added->directive_error.empty()) out.directive_error = added->directive_error;
  }
  for (const auto& l : plan.letters) {
    NewLetter req;
    req.institution = insts[l.institution].code;
    for (auto [in, f] : l.findings) req.findings.push_back(finding_ids[in][f]);
    req.title = l.title;
    req.body = l.body;
    req.date = l.date;
    req.now = morning(l.date);
    auto letter = issue_letter(store, caller, req);
    if (!letter.ok()) return letter.status();
    ++out.letters;
  }
  for (size_t i = 0; i < plan.inspections.size(); ++i) {
    const auto& p = plan.inspections[i];
    for (size_t k = 0; k < p.findings.size(); ++k) {
      const auto& f = p.findings[k];
      if (f.outcome == "open") continue;
      const int64_t id = finding_ids[i][k];
      FX_RETURN_IF_ERROR(submit_evidence(store, caller, id, f.evidence, {}, morning(f.deadline)));
      if (f.outcome == "closed")
        FX_RETURN_IF_ERROR(
            verify_finding(store, caller, id, true, "复查属实，同意销号", afternoon(f.deadline)));
      if (f.outcome == "returned")
        FX_RETURN_IF_ERROR(verify_finding(store, caller, id, false,
                                          "整改材料不完整，请补充现场照片", afternoon(f.deadline)));
    }
  }
  for (const auto& s : plan.supervisors) {
    auto id = assign_supervisor(store, caller,
                                {s.name, s.organisation, insts[s.institution].code, s.start_date,
                                 "", morning(s.start_date)});
    if (!id.ok()) return id.status();
    ++out.supervisors;
  }
  return out;
}

}  // namespace fx::app
