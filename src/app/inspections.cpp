// The writes of inspection and rectification: rounds, inspections with their
// findings and directives, evidence, verification, letters, supervisors.
// Everything is checked here before the store is called, so a bad field is
// refused with its name and nothing is stored.
#include "app/inspections.h"

#include <sodium.h>

#include <algorithm>

#include "app/directives.h"
#include "app/inspections_internal.h"
#include "domain/dates.h"
#include "domain/directives.h"

namespace fx::app {
namespace {

using namespace inspections_detail;

constexpr size_t kMaxFiles = 5;
constexpr size_t kMaxFileBytes = 5 * 1024 * 1024;

Status check_finding(const NewFinding& f, const std::string& inspected_on, size_t index,
                     store::FindingRecord& out) {
  const std::string at = "findings[" + std::to_string(index) + "].";
  FX_RETURN_IF_ERROR(required_text(f.category, at + "category", 100));
  if (!parse_severity(f.severity, out.severity))
    return Status::Invalid(at + "severity: 应为 一般、较重 或 严重 (minor, major or critical)");
  FX_RETURN_IF_ERROR(required_text(f.description, at + "description", 5000));
  auto deadline = date_field(f.deadline, at + "deadline");
  if (!deadline.ok()) return deadline.status();
  if (*deadline < inspected_on)
    return Status::Invalid(at + "deadline: 整改期限 " + *deadline + " 早于检查日期 " +
                           inspected_on + " (the deadline is before the inspection)");
  out.category = f.category;
  out.description = f.description;
  out.deadline = *deadline;
  return Status::Ok();
}

// The directive a finding sends to its institution: no people listed; the
// deadline is the end of the deadline's day in Shanghai.
store::NewDirective directive_for(const Caller& caller, const store::FindingRecord& f,
                                  int64_t finding_id, const std::string& round_name,
                                  const std::string& inspected_on, const std::string& now) {
  store::NewDirective n;
  auto& d = n.directive;
  d.title = "整改通知：" + f.category + "（" + severity_name(f.severity) + "）";
  d.body = f.description + "\n\n整改期限：" + f.deadline + "\n检查：" + round_name + " " +
           inspected_on + "\n请上传整改材料（检查整改 → 整改问题 " + std::to_string(finding_id) +
           "）。";
  d.priority = f.severity == "critical" ? "critical" : f.severity == "major" ? "urgent" : "normal";
  d.deadline = f.deadline + "T15:59:59Z";  // 23:59:59 in Asia/Shanghai
  d.sender = caller.actor();
  d.sender_group = caller.role == Role::group ? caller.task_group : "";
  d.source = "inspection";
  d.source_id = finding_id;
  d.created_at = now;
  n.targets.push_back({f.institution_id, {}});
  return n;
}

// Sends the findings' directives in one call and links each to its finding.
void send_directives(store::Store& store, const Caller& caller,
                     const std::vector<store::FindingRecord>& findings,
                     const std::vector<int64_t>& ids, const std::string& round_name,
                     const std::string& inspected_on, const std::string& now,
                     InspectionAdded& out) {
  if (ids.empty()) return;
  std::vector<store::NewDirective> list;
  for (size_t i = 0; i < ids.size(); ++i)
    list.push_back(directive_for(caller, findings[i], ids[i], round_name, inspected_on, now));
  auto sent = store.directives().send(list, caller.actor());
  if (!sent.ok()) {
    out.directive_error = sent.status().message();
    return;
  }
  out.directive_ids = *sent;
  for (size_t i = 0; i < ids.size() && i < sent->size(); ++i) {
    Status s = store.inspections().link_directive(ids[i], (*sent)[i]);
    if (!s.ok()) out.directive_error = s.message();
  }
}

Result<std::string> round_name(store::Store& store, int64_t round_id,
                               store::InspectionRoundRecord* found = nullptr) {
  auto rounds = store.inspections().list_rounds();
  if (!rounds.ok()) return rounds.status();
  for (const auto& r : *rounds)
    if (r.id == round_id) {
      if (found) *found = r;
      return r.name;
    }
  return Status::NotFound("round: 没有检查轮次 " + std::to_string(round_id) +
                          " (no inspection round " + std::to_string(round_id) + ")");
}

std::string hex_sha256(const std::string& data) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string out;
  for (unsigned char b : h) out += "0123456789abcdef"[b >> 4], out += "0123456789abcdef"[b & 15];
  return out;
}

}  // namespace

Result<int64_t> add_inspection_round(store::Store& store, const Caller& caller,
                                     const NewInspectionRound& req) {
  FX_RETURN_IF_ERROR(need(caller, Permission::inspections_manage));
  FX_RETURN_IF_ERROR(required_text(req.name, "name", 200));
  auto start = date_field(req.start_date, "start_date");
  if (!start.ok()) return start.status();
  auto end = date_field(req.end_date, "end_date");
  if (!end.ok()) return end.status();
  if (*end < *start)
    return Status::Invalid("end_date: 结束日期早于开始日期 (the end is before the start)");
  return store.inspections().add_round({0, req.name, *start, *end, caller.actor(), ""});
}

Result<InspectionAdded> record_inspection(store::Store& store, const Caller& caller,
                                          const NewInspection& req) {
  FX_RETURN_IF_ERROR(need(caller, Permission::inspections_manage));
  auto now = now_or(req.now);
  if (!now.ok()) return now.status();
  store::InspectionRoundRecord round;
  auto name = round_name(store, req.round_id, &round);
  if (!name.ok()) return name.status();
  auto index = institutions(store);
  if (!index.ok()) return index.status();
  auto inst = institution_in_scope(*index, caller, req.institution, "institution");
  if (!inst.ok()) return inst.status();
  FX_RETURN_IF_ERROR(required_text(req.inspector, "inspector", 200));
  auto date = date_field(req.date, "date");
  if (!date.ok()) return date.status();
  if (*date < round.start_date || *date > round.end_date)
    return Status::Invalid("date: 检查日期 " + *date + " 不在" + round.name + "期间 " +
                           round.start_date + "—" + round.end_date +
                           " (the date is outside the round)");
  if (req.summary.size() > 20000) return Status::Invalid("summary: 过长 (over 20000 bytes)");
  if (req.items.size() > 500) return Status::Invalid("items: 检查项过多 (over 500 items)");
  for (size_t i = 0; i < req.items.size(); ++i)
    FX_RETURN_IF_ERROR(
        required_text(req.items[i].item, "items[" + std::to_string(i) + "].item", 500));
  store::InspectionRecord in;
  in.round_id = req.round_id;
  in.institution_id = *inst;
  in.inspector = req.inspector;
  in.inspected_on = *date;
  in.summary = req.summary;
  in.items = req.items;
  in.actor = caller.actor();
  in.created_at = *now;
  std::vector<store::FindingRecord> findings;
  for (size_t i = 0; i < req.findings.size(); ++i) {
    store::FindingRecord f;
    FX_RETURN_IF_ERROR(check_finding(req.findings[i], *date, i, f));
    f.institution_id = *inst;
    f.actor = caller.actor();
    f.created_at = *now;
    findings.push_back(std::move(f));
  }
  auto added = store.inspections().add_inspection(in, findings);
  if (!added.ok()) return added.status();
  InspectionAdded out;
  out.inspection_id = added->inspection_id;
  out.finding_ids = added->finding_ids;
  send_directives(store, caller, findings, out.finding_ids, *name, *date, *now, out);
  return out;
}

Result<InspectionAdded> add_finding(store::Store& store, const Caller& caller,
                                    int64_t inspection_id, const NewFinding& req,
                                    const std::string& now_text) {
  FX_RETURN_IF_ERROR(need(caller, Permission::inspections_manage));
  auto now = now_or(now_text);
  if (!now.ok()) return now.status();
  auto list = store.inspections().list_inspections({});
  if (!list.ok()) return list.status();
  auto it = std::find_if(list->begin(), list->end(),
                         [&](const auto& i) { return i.id == inspection_id; });
  if (it == list->end() || !caller.sees(it->institution_id))
    return Status::NotFound("inspection: 没有检查记录 " + std::to_string(inspection_id) +
                            " (no inspection " + std::to_string(inspection_id) + ")");
  store::FindingRecord f;
  FX_RETURN_IF_ERROR(check_finding(req, it->inspected_on, 0, f));
  f.inspection_id = inspection_id;
  f.institution_id = it->institution_id;
  f.actor = caller.actor();
  f.created_at = *now;
  auto id = store.inspections().add_finding(f);
  if (!id.ok()) return id.status();
  auto name = round_name(store, it->round_id);
  InspectionAdded out;
  out.inspection_id = inspection_id;
  out.finding_ids = {*id};
  send_directives(store, caller, {f}, out.finding_ids, name.ok() ? *name : "", it->inspected_on,
                  *now, out);
  return out;
}

Status submit_evidence(store::Store& store, const Caller& caller, int64_t finding_id,
                       const std::string& text, const std::vector<EvidenceUpload>& files,
                       const std::string& now_text) {
  if (!caller.can(Permission::directives_act) && !caller.can(Permission::inspections_manage))
    return need(caller, Permission::directives_act);
  auto now = now_or(now_text);
  if (!now.ok()) return now.status();
  auto f = finding_in_scope(store, caller, finding_id);
  if (!f.ok()) return f.status();
  FX_RETURN_IF_ERROR(required_text(text, "text", 20000));
  if (files.size() > kMaxFiles) return Status::Invalid("files: 最多 5 个附件 (at most 5 files)");
  store::FindingMove m;
  for (size_t i = 0; i < files.size(); ++i) {
    const auto& u = files[i];
    const std::string at = "files[" + std::to_string(i) + "]";
    if (u.name.empty() || u.name.size() > 200 || u.name.find_first_of("/\\") != std::string::npos)
      return Status::Invalid(at + ".name: 文件名无效 (a plain file name, at most 200 bytes)");
    if (u.data.empty()) return Status::Invalid(at + ": 文件为空 (the file is empty)");
    if (u.data.size() > kMaxFileBytes) return Status::TooLarge(at + ": 文件超过 5 MB (over 5 MB)");
    m.files.push_back({0, 0, u.name,
                       u.content_type.empty() ? "application/octet-stream" : u.content_type,
                       static_cast<int64_t>(u.data.size()), hex_sha256(u.data), u.data});
  }
  if (f->status == "closed")
    return Status::Conflict("整改问题已销号, 不能再提交材料 (the finding is closed)");
  m.finding_id = finding_id;
  m.action = "evidence";
  m.from_status = f->status;
  m.to_status = "submitted";
  m.text = text;
  m.actor = caller.actor();
  m.at = *now;
  return store.inspections().move_finding(m);
}

Status verify_finding(store::Store& store, const Caller& caller, int64_t finding_id, bool verified,
                      const std::string& note, const std::string& now_text) {
  auto f = finding_in_scope(store, caller, finding_id);
  if (!f.ok()) return f.status();
  if (!caller.can(Permission::inspections_manage))
    return Status::PermissionDenied(
        "只有检查方可以验收 (only the inspector's side verifies: needs inspections.manage)");
  auto now = now_or(now_text);
  if (!now.ok()) return now.status();
  if (!verified) FX_RETURN_IF_ERROR(required_text(note, "reason", 2000));
  if (note.size() > 2000) return Status::Invalid("note: 过长 (over 2000 bytes)");
  if (f->status != "submitted")
    return Status::Conflict(f->status == "closed"
                                ? "整改问题已销号 (the finding is already closed)"
                                : "尚未提交整改材料 (no evidence is waiting for verification)");
  store::FindingMove m;
  m.finding_id = finding_id;
  m.action = verified ? "verified" : "returned";
  m.from_status = "submitted";
  m.to_status = verified ? "closed" : "open";
  m.text = note;
  m.actor = caller.actor();
  m.at = *now;
  return store.inspections().move_finding(m);
}

std::string letter_number_text(int year, int number) {
  return "京教防提〔" + std::to_string(year) + "〕第" + std::to_string(number) + "号";
}

Result<store::LetterRecord> issue_letter(store::Store& store, const Caller& caller,
                                         const NewLetter& req) {
  FX_RETURN_IF_ERROR(need(caller, Permission::inspections_manage));
  auto now = now_or(req.now);
  if (!now.ok()) return now.status();
  auto index = institutions(store);
  if (!index.ok()) return index.status();
  auto inst = institution_in_scope(*index, caller, req.institution, "institution");
  if (!inst.ok()) return inst.status();
  FX_RETURN_IF_ERROR(required_text(req.title, "title", 300));
  if (req.body.size() > 20000) return Status::Invalid("body: 正文过长 (over 20000 bytes)");
  auto date = date_field(req.date, "date");
  if (!date.ok()) return date.status();
  std::vector<int64_t> findings = req.findings;
  std::sort(findings.begin(), findings.end());
  findings.erase(std::unique(findings.begin(), findings.end()), findings.end());
  for (int64_t id : findings) {
    auto f = store.inspections().get_finding(id);
    if (!f.ok() || f->institution_id != *inst)
      return Status::Invalid("findings: 整改问题 " + std::to_string(id) + " 不属于学校 " +
                             req.institution + " (finding " + std::to_string(id) +
                             " is not this institution's)");
  }
  store::LetterRecord l;
  l.year = std::stoi(date->substr(0, 4));
  l.institution_id = *inst;
  l.title = req.title;
  l.body = req.body;
  l.issued_on = *date;
  l.finding_ids = findings;
  l.actor = caller.actor();
  l.created_at = *now;
  return store.inspections().add_letter(l);
}

Result<int64_t> assign_supervisor(store::Store& store, const Caller& caller,
                                  const NewSupervisor& req) {
  FX_RETURN_IF_ERROR(need(caller, Permission::inspections_manage));
  auto now = now_or(req.now);
  if (!now.ok()) return now.status();
  FX_RETURN_IF_ERROR(required_text(req.name, "name", 100));
  if (req.organisation.size() > 200) return Status::Invalid("organisation: 过长 (over 200 bytes)");
  auto index = institutions(store);
  if (!index.ok()) return index.status();
  auto inst = institution_in_scope(*index, caller, req.institution, "institution");
  if (!inst.ok()) return inst.status();
  auto start = date_field(req.start_date, "start_date");
  if (!start.ok()) return start.status();
  std::string end;
  if (!req.end_date.empty()) {
    auto e = date_field(req.end_date, "end_date");
    if (!e.ok()) return e.status();
    if (*e < *start)
      return Status::Invalid("end_date: 结束日期早于开始日期 (the end is before the start)");
    end = *e;
  }
  return store.inspections().add_supervisor(
      {0, req.name, req.organisation, *inst, *start, end, caller.actor(), *now});
}

}  // namespace fx::app
