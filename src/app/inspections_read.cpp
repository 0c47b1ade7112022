// The reads of inspection and rectification: the lists as the caller may see
// them, one finding with its history, a letter's printable text, and the
// source's figures.
#include <algorithm>
#include <map>
#include <set>

#include "app/inspections.h"
#include "app/inspections_internal.h"

namespace fx::app {
namespace {

using namespace inspections_detail;

Named named(const InstitutionIndex& index, int64_t id) {
  auto it = index.find(id);
  if (it == index.end()) return {};
  return {it->second.code, it->second.name};
}

// The filter of a query: the caller's scope, narrowed to one institution.
Result<store::InspectionFilter> filter_of(const InstitutionIndex& index, const Caller& caller,
                                          const InspectionQuery& q) {
  store::InspectionFilter f;
  f.round_id = q.round_id;
  if (!q.institution.empty()) {
    auto id = institution_in_scope(index, caller, q.institution, "institution");
    if (!id.ok()) return id.status();
    f.institutions = {*id};
  } else {
    f.institutions = scope_filter(caller);
  }
  return f;
}

std::map<int64_t, std::string> round_names(store::Store& store) {
  std::map<int64_t, std::string> out;
  auto rounds = store.inspections().list_rounds();
  if (rounds.ok())
    for (const auto& r : *rounds) out[r.id] = r.name;
  return out;
}

bool is_overdue(const store::FindingRecord& f, const std::string& today) {
  return f.status != "closed" && f.deadline < today;
}

bool on_site(const store::SupervisorRecord& s, const std::string& today) {
  return s.start_date <= today && (s.end_date.empty() || s.end_date >= today);
}

}  // namespace

Result<std::vector<store::InspectionRoundRecord>> list_inspection_rounds(store::Store& store,
                                                                         const Caller& caller) {
  if (!caller.can(Permission::figures_read)) return need(caller, Permission::figures_read);
  return store.inspections().list_rounds();
}

Result<std::vector<InspectionView>> list_inspections(store::Store& store, const Caller& caller,
                                                     const InspectionQuery& q) {
  FX_RETURN_IF_ERROR(need_list(caller));
  auto index = institutions(store);
  if (!index.ok()) return index.status();
  auto f = filter_of(*index, caller, q);
  if (!f.ok()) return f.status();
  auto rows = store.inspections().list_inspections(*f);
  if (!rows.ok()) return rows.status();
  auto findings = store.inspections().list_findings(*f);
  if (!findings.ok()) return findings.status();
  std::map<int64_t, int> per;
  for (const auto& x : *findings) ++per[x.inspection_id];
  auto names = round_names(store);
  std::vector<InspectionView> out;
  for (auto& r : *rows) {
    InspectionView v;
    v.institution = named(*index, r.institution_id);
    v.round_name = names[r.round_id];
    v.findings = per[r.id];
    v.row = std::move(r);
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<FindingView>> list_findings(store::Store& store, const Caller& caller,
                                               const InspectionQuery& q) {
  FX_RETURN_IF_ERROR(need_list(caller));
  if (!q.status.empty() && q.status != "open" && q.status != "submitted" && q.status != "closed" &&
      q.status != "overdue")
    return Status::Invalid("status: 应为 open、submitted、closed 或 overdue");
  auto today = today_or(q.today);
  if (!today.ok()) return today.status();
  auto index = institutions(store);
  if (!index.ok()) return index.status();
  auto f = filter_of(*index, caller, q);
  if (!f.ok()) return f.status();
  auto rows = store.inspections().list_findings(*f);
  if (!rows.ok()) return rows.status();
  auto letters = store.inspections().list_letters(*f);
  if (!letters.ok()) return letters.status();
  std::map<int64_t, std::vector<std::string>> cited;
  for (const auto& l : *letters)
    for (int64_t id : l.finding_ids) cited[id].push_back(letter_number_text(l.year, l.number));
  auto names = round_names(store);
  std::vector<FindingView> out;
  for (auto& r : *rows) {
    FindingView v;
    v.overdue = is_overdue(r, *today);
    if (q.status == "overdue" ? !v.overdue : !q.status.empty() && r.status != q.status) continue;
    v.institution = named(*index, r.institution_id);
    v.round_name = names[r.round_id];
    v.letters = cited[r.id];
    v.row = std::move(r);
    out.push_back(std::move(v));
  }
  return out;
}

Result<FindingView> show_finding(store::Store& store, const Caller& caller, int64_t id,
                                 const std::string& today_text) {
  FX_RETURN_IF_ERROR(need_list(caller));
  auto today = today_or(today_text);
  if (!today.ok()) return today.status();
  auto f = finding_in_scope(store, caller, id);
  if (!f.ok()) return f.status();
  auto index = institutions(store);
  if (!index.ok()) return index.status();
  auto history = store.inspections().finding_history(id);
  if (!history.ok()) return history.status();
  auto letters = store.inspections().list_letters({0, {f->institution_id}});
  if (!letters.ok()) return letters.status();
  FindingView v;
  v.overdue = is_overdue(*f, *today);
  v.institution = named(*index, f->institution_id);
  v.round_name = round_names(store)[f->round_id];
  for (const auto& l : *letters)
    if (std::count(l.finding_ids.begin(), l.finding_ids.end(), id))
      v.letters.push_back(letter_number_text(l.year, l.number));
  v.history = std::move(*history);
  v.row = std::move(*f);
  return v;
}

Result<store::EvidenceFile> evidence_file(store::Store& store, const Caller& caller,
                                          int64_t file_id) {
  FX_RETURN_IF_ERROR(need_list(caller));
  auto file = store.inspections().evidence_file(file_id);
  if (!file.ok() || !finding_in_scope(store, caller, file->finding_id).ok())
    return Status::NotFound("没有该整改材料 (no such evidence file)");
  return file;
}

Result<std::vector<LetterView>> list_letters(store::Store& store, const Caller& caller,
                                             const InspectionQuery& q) {
  FX_RETURN_IF_ERROR(need_list(caller));
  auto index = institutions(store);
  if (!index.ok()) return index.status();
  auto f = filter_of(*index, caller, q);
  if (!f.ok()) return f.status();
  auto rows = store.inspections().list_letters(*f);
  if (!rows.ok()) return rows.status();
  std::vector<LetterView> out;
  for (auto& r : *rows) {
    LetterView v;
    v.institution = named(*index, r.institution_id);
    v.number_text = letter_number_text(r.year, r.number);
    v.row = std::move(r);
    out.push_back(std::move(v));
  }
  return out;
}

Result<LetterView> show_letter(store::Store& store, const Caller& caller, int64_t id) {
  FX_RETURN_IF_ERROR(need_list(caller));
  auto l = store.inspections().get_letter(id);
  if (!l.ok() || !caller.sees(l->institution_id))
    return Status::NotFound("没有提醒函 " + std::to_string(id) + " (no letter " +
                            std::to_string(id) + ")");
  auto index = institutions(store);
  if (!index.ok()) return index.status();
  LetterView v;
  v.institution = named(*index, l->institution_id);
  v.number_text = letter_number_text(l->year, l->number);
  v.row = std::move(*l);
  return v;
}

Result<std::string> letter_text(store::Store& store, const Caller& caller, int64_t id) {
  auto v = show_letter(store, caller, id);
  if (!v.ok()) return v.status();
  std::string out = v->row.title + "\n" + v->number_text + "\n\n" + v->institution.name + "：\n\n" +
                    v->row.body + "\n";
  if (!v->row.finding_ids.empty()) {
    out += "\n附：需整改问题\n";
    int n = 0;
    for (int64_t fid : v->row.finding_ids) {
      auto f = store.inspections().get_finding(fid);
      if (!f.ok()) continue;
      out += std::to_string(++n) + ". 【" + f->category + "·" + severity_name(f->severity) + "】" +
             f->description + "（整改期限 " + f->deadline + "，" + finding_status_name(f->status) +
             "）\n";
    }
  }
  out += "\n区教育系统疫情防控指挥部 监督检查组\n" + v->row.issued_on + "\n";
  return out;
}

Result<std::vector<SupervisorView>> list_supervisors(store::Store& store, const Caller& caller,
                                                     const InspectionQuery& q) {
  FX_RETURN_IF_ERROR(need_list(caller));
  auto today = today_or(q.today);
  if (!today.ok()) return today.status();
  auto index = institutions(store);
  if (!index.ok()) return index.status();
  auto f = filter_of(*index, caller, q);
  if (!f.ok()) return f.status();
  auto rows = store.inspections().list_supervisors(*f);
  if (!rows.ok()) return rows.status();
  std::vector<SupervisorView> out;
  for (auto& r : *rows) {
    SupervisorView v;
    v.institution = named(*index, r.institution_id);
    v.on_site = on_site(r, *today);
    v.row = std::move(r);
    out.push_back(std::move(v));
  }
  return out;
}

Result<InspectionFigures> inspection_figures(store::Store& store, const Caller& caller,
                                             const std::string& today_text) {
  FX_RETURN_IF_ERROR(need(caller, Permission::figures_read));
  auto today = today_or(today_text);
  if (!today.ok()) return today.status();
  auto index = institutions(store);
  if (!index.ok()) return index.status();
  store::InspectionFilter scope;
  scope.institutions = scope_filter(caller);
  auto rounds = store.inspections().list_rounds();
  if (!rounds.ok()) return rounds.status();
  auto inspections = store.inspections().list_inspections(scope);
  if (!inspections.ok()) return inspections.status();
  auto findings = store.inspections().list_findings(scope);
  if (!findings.ok()) return findings.status();
  auto letters = store.inspections().list_letters(scope);
  if (!letters.ok()) return letters.status();
  auto supervisors = store.inspections().list_supervisors(scope);
  if (!supervisors.ok()) return supervisors.status();

  InspectionFigures out;
  out.today = *today;
  for (const auto& [id, inst] : *index) out.institutions += caller.sees(id) ? 1 : 0;
  out.rounds = static_cast<int>(rounds->size());
  std::map<int64_t, std::set<int64_t>> inspected;
  std::map<int64_t, int> found;
  for (const auto& i : *inspections) inspected[i.round_id].insert(i.institution_id);
  for (const auto& f : *findings) {
    ++found[f.round_id];
    ++out.findings;
    if (f.status == "closed")
      ++out.closed;
    else
      ++out.open;
    if (f.status == "submitted") ++out.submitted;
    if (is_overdue(f, *today)) ++out.overdue;
  }
  for (const auto& r : *rounds)
    out.coverage.push_back({r.id, r.name, r.start_date, r.end_date,
                            static_cast<int>(inspected[r.id].size()), out.institutions,
                            found[r.id]});
  out.inspections = static_cast<int>(inspections->size());
  out.letters = static_cast<int>(letters->size());
  std::set<std::string> people, here;
  std::set<int64_t> places;
  for (const auto& s : *supervisors) {
    people.insert(s.name);
    if (on_site(s, *today)) {
      here.insert(s.name);
      places.insert(s.institution_id);
    }
  }
  out.supervisors = static_cast<int>(people.size());
  out.on_site = static_cast<int>(here.size());
  out.supervised_institutions = static_cast<int>(places.size());
  return out;
}

}  // namespace fx::app
