#include "app/case_desk.h"

#include <algorithm>
#include <ctime>

#include "app/contact_directives.h"
#include "app/health_access.h"
#include "app/policies.h"
#include "app/presence_time.h"
#include "app/trace_report.h"
#include "domain/dates.h"
#include "store/feed_signal.h"

namespace fx::app {

namespace {

// Presence imports feed the index directly; roster imports bring the class
// units and dorm rooms it expands into sessions.
bool changes_presence(const std::string& kind) {
  return kind.starts_with("presence.") || kind.starts_with("roster.");
}

Result<int64_t> parse_time_field(const std::string& field, const std::string& text, int64_t now) {
  int64_t t = 0;
  if (!parse_local_instant(text, t))
    return Status::Invalid(field + ": 时间格式应为 2022-03-08 12:00 (a local time)");
  if (std::string why = implausible_time(t, now); !why.empty())
    return Status::Invalid(field + ": " + why);
  return t;
}

}  // namespace

long CaseDesk::builds() {
  std::lock_guard lock(mutex_);
  return builds_;
}

Result<std::shared_ptr<const TraceIndex>> CaseDesk::index_locked(store::Store& store,
                                                                 const domain::Policy& policy) {
  Cached& c = cache_[policy.id];
  const std::string today = domain::today_ymd();
  bool stale = !c.index || c.day != today;
  while (!stale) {
    if (auto heard = store::heard_change_seq(store); heard && *heard <= c.seq) break;  // no news
    auto changes = store.changes_after(c.seq, 1000);
    if (!changes.ok()) return changes.status();
    if (changes->empty()) break;
    for (const auto& ch : *changes) stale = stale || changes_presence(ch.kind);
    if (!stale) c.seq = changes->back().seq;
  }
  if (!stale) return c.index;
  // Read the feed's position first: what is written during the build is
  // looked at again next time.
  auto seq = store.last_change_seq();
  if (!seq.ok()) return seq.status();
  auto built = TraceIndex::build(store, policy);
  if (!built.ok()) return built.status();
  c.index = std::shared_ptr<const TraceIndex>(std::move(*built));
  c.seq = *seq;
  c.day = today;
  ++builds_;
  return c.index;
}

Result<CaseConfirmed> CaseDesk::confirm(store::Store& store, const Vault& vault,
                                        const Caller& caller, const CaseRequest& r) {
  if (!caller.can(Permission::cases_manage))
    return Status::PermissionDenied("此角色不能确诊病例 (this role cannot confirm cases)");
  const std::string policy_id = r.policy.empty() ? kDefaultPolicy : r.policy;
  const auto ids = policy_ids();  // built-in only: a path would read the server's files
  if (std::find(ids.begin(), ids.end(), policy_id) == ids.end()) {
    std::string known;
    for (const auto& id : ids) known += (known.empty() ? "" : ", ") + id;
    return Status::Invalid("policy: 没有此防控方案 (no such policy) '" + policy_id +
                           "'; 可选 (known): " + known);
  }
  auto policy = find_policy(policy_id);
  if (!policy.ok()) return policy.status();

  const int64_t now = std::time(nullptr);
  ConfirmCase req;
  if (r.sample_time.empty()) return Status::Invalid("sample_time: 必填 (required)");
  auto sampled = parse_time_field("sample_time", r.sample_time, now);
  if (!sampled.ok()) return sampled.status();
  req.sample_time = *sampled;
  req.confirmed_at = now;
  if (!r.confirmed_at.empty()) {
    auto at = parse_time_field("confirmed_at", r.confirmed_at, now);
    if (!at.ok()) return at.status();
    req.confirmed_at = *at;
  }
  if (req.sample_time > req.confirmed_at)
    return Status::Invalid("sample_time: 采样时间晚于确诊时间 (sampled after the confirmation)");
  if (!r.onset.empty()) {
    int64_t days = 0;
    if (!parse_day(r.onset, req.onset_date, days))
      return Status::Invalid("onset: 日期格式应为 2022-03-07 (a date)");
  }
  if (r.person.empty()) return Status::Invalid("person: 必填 (required)");
  auto person = resolve_person(store, vault, r.person);
  int64_t institution = 0;
  if (person.ok()) {
    auto inst = institution_of(store, *person);
    if (inst.ok() && caller.sees(*inst)) institution = *inst;
  }
  if (institution == 0)
    return Status::Invalid("person: 没有此人 (no such person: an ID number, or 学校代码:学号)");
  req.person_id = *person;
  req.symptoms = r.symptoms;
  req.note = r.note;
  req.actor = caller.actor();

  std::lock_guard lock(mutex_);
  auto out = confirm_locked(store, caller, *policy, req, true);
  if (!out.ok()) return out.status();
  FX_RETURN_IF_ERROR(audit_health(store, caller, "case.confirm", "case", out->outcome.case_id,
                                  institution,
                                  "close " + std::to_string(out->outcome.close) + " secondary " +
                                      std::to_string(out->outcome.secondary)));
  return out;
}

Result<CaseConfirmed> CaseDesk::confirm_locked(store::Store& store, const Caller& caller,
                                               const domain::Policy& policy, const ConfirmCase& req,
                                               bool with_lists) {
  // A person already a case (or a store without case tracking) is answered
  // before the index is built: building it is the slow part.
  auto existing = store.tracking().find_case_by_person(req.person_id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value())
    return Status::AlreadyExists("person: 此人已是确诊病例 (already a case): 病例 " +
                                 std::to_string((*existing)->id));
  auto index = index_locked(store, policy);
  if (!index.ok()) return index.status();
  auto outcome = confirm_case(store, **index, policy, req);
  if (!outcome.ok()) return outcome.status();
  CaseConfirmed out{std::move(*outcome), policy.id, {}, {}, {}};
  if (with_lists) {
    auto report = TraceReport::load(store, **index, out.outcome.lists);
    if (!report.ok()) return report.status();
    out.lists = report->json(out.outcome.lists);
  }
  // The case is stored; the directives are a second transaction, repeatable
  // without duplicates (send_contact_directives skips people already told).
  auto sent =
      send_contact_directives(store, {out.outcome.case_id, out.outcome.listed, caller.actor(), ""});
  if (sent.ok())
    out.directives = std::move(*sent);
  else
    out.directive_error = sent.status().message();
  return out;
}

Result<CaseConfirmed> CaseDesk::confirm_positive(store::Store& store, const Caller& caller,
                                                 ConfirmCase req) {
  const int64_t now = std::time(nullptr);
  if (req.confirmed_at == 0) req.confirmed_at = now;
  if (std::string why = implausible_time(req.sample_time, now); !why.empty())
    return Status::Invalid("sampled_at: " + why);
  auto policy = find_policy(policy_in_force(req.sample_time));
  if (!policy.ok()) return policy.status();
  auto inst = institution_of(store, req.person_id);
  if (!inst.ok()) return inst.status();
  req.actor = caller.actor();
  std::lock_guard lock(mutex_);
  auto out = confirm_locked(store, caller, *policy, req, false);
  if (!out.ok()) return out.status();
  FX_RETURN_IF_ERROR(audit_health(store, caller, "case.auto_confirm", "case", out->outcome.case_id,
                                  *inst,
                                  req.note + "; close " + std::to_string(out->outcome.close) +
                                      " secondary " + std::to_string(out->outcome.secondary)));
  return out;
}

Status CaseDesk::warm(store::Store& store, const std::string& policy_id) {
  auto policy = find_policy(policy_id.empty() ? kDefaultPolicy : policy_id);
  if (!policy.ok()) return policy.status();
  std::lock_guard lock(mutex_);
  auto index = index_locked(store, *policy);
  return index.ok() ? Status::Ok() : index.status();
}

std::string policy_in_force(int64_t at) {
  const std::string day = local_text(at).substr(0, 10);
  auto fallback = find_policy(kDefaultPolicy);
  if (!fallback.ok()) return kDefaultPolicy;
  std::string best = kDefaultPolicy, best_from;
  for (const auto& id : policy_ids()) {
    auto p = find_policy(id);
    if (!p.ok() || p->disease != fallback->disease) continue;
    if (p->in_force_from <= day && p->in_force_from > best_from) {
      best = p->id;
      best_from = p->in_force_from;
    }
  }
  return best;
}

}  // namespace fx::app
