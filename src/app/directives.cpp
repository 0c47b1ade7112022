#include "app/directives.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "app/directive_recipients.h"
#include "app/org.h"
#include "app/rounds_board.h"
#include "domain/rounds.h"

namespace fx::app {
namespace {

using domain::DirectiveAction;
using domain::RecipientState;

Result<std::string> now_or(const std::string& now) {
  if (now.empty()) return directive_now();
  auto t = domain::utc_seconds(now);
  if (!t) return Status::Invalid("now: 时间格式应为 UTC ISO 8601 (now must be UTC ISO 8601)");
  return domain::utc_iso(*t);
}

// A deadline as written (local time, or UTC ending in Z) → UTC ISO with
// whole seconds, after `now`. Empty stays empty (no deadline).
Result<std::string> parse_deadline(const std::string& text, const std::string& now) {
  if (text.empty()) return std::string();
  std::string utc;
  if (!domain::parse_local_time(text, utc) || !domain::utc_seconds(utc))
    return Status::Invalid("deadline: 无法识别的时间 “" + text +
                           "” (unparseable deadline; write 2022-03-11 18:00)");
  utc = domain::utc_iso(*domain::utc_seconds(utc));
  if (utc <= now)
    return Status::Invalid("deadline: 截止时间已过 " + domain::local_time_text(utc) +
                           " (the deadline is in the past)");
  return utc;
}

Status check_text(const std::string& title, const std::string& body) {
  auto blank = [](const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
  };
  if (blank(title)) return Status::Invalid("title: 标题不能为空 (title is empty)");
  if (title.size() > 300) return Status::Invalid("title: 标题过长 (title over 300 bytes)");
  if (body.size() > 20000) return Status::Invalid("body: 正文过长 (body over 20000 bytes)");
  return Status::Ok();
}

Result<domain::Priority> parse_priority(const std::string& text) {
  domain::Priority p;
  if (!domain::parse_priority(text, p))
    return Status::Invalid(
        "priority: 应为 普通、紧急 或 特急 (priority: normal, urgent or critical)");
  return p;
}

store::DirectiveRecord header(const Caller& caller, const std::string& title,
                              const std::string& body, domain::Priority p,
                              const std::string& deadline, const std::string& now) {
  store::DirectiveRecord d;
  d.title = title;
  d.body = body;
  d.priority = domain::priority_code(p);
  d.deadline = deadline;
  d.sender = caller.actor();
  d.sender_group = caller.role == Role::group ? caller.task_group : "";
  d.created_at = now;
  return d;
}

Status need(const Caller& caller, Permission p) {
  if (caller.can(p)) return Status::Ok();
  return Status::PermissionDenied(std::string("需要权限 ") + permission_name(p) + " (needs " +
                                  permission_name(p) + ")");
}

std::optional<double> minutes_between(const std::string& from, const std::string& to) {
  auto a = domain::utc_seconds(from), b = domain::utc_seconds(to);
  if (!a || !b) return std::nullopt;
  return static_cast<double>(*b - *a) / 60.0;
}

std::optional<double> median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool overdue(const store::DirectiveRecord& d, const store::RecipientRecord& r,
             const std::string& now) {
  RecipientState s;
  return !d.deadline.empty() && d.deadline < now && domain::parse_recipient_state(r.state, s) &&
         domain::is_open(s);
}

using InstitutionIndex = std::map<int64_t, domain::Institution>;

Result<InstitutionIndex> institutions(store::Store& store) {
  auto list = store.list_institutions();
  if (!list.ok()) return list.status();
  InstitutionIndex out;
  for (auto& i : *list) out[i.id] = std::move(i);
  return out;
}

DirectiveView build(const store::DirectiveRecord& d,
                    const std::vector<store::RecipientRecord>& rows, const RecipientIndex& index,
                    const std::string& now) {
  DirectiveView v;
  v.directive = d;
  std::vector<double> to_ack, to_done;
  for (const auto& r : rows) {
    RecipientView rv;
    rv.row = r;
    rv.key = index.key_of(r);
    rv.name = index.name_of(r);
    if (r.kind == "institution") {
      rv.institution_code = rv.key;
      rv.institution_name = rv.name;
    }
    rv.overdue = overdue(d, r, now);
    if (!r.acknowledged_at.empty())
      rv.minutes_to_ack = minutes_between(d.created_at, r.acknowledged_at);
    if (!r.done_at.empty()) rv.minutes_to_done = minutes_between(d.created_at, r.done_at);
    auto& s = v.summary;
    ++s.recipients;
    s.acknowledged += !r.acknowledged_at.empty();
    s.done += r.state == "done" || r.state == "accepted";
    s.accepted += r.state == "accepted";
    s.overdue += rv.overdue;
    s.escalated += !r.escalated_at.empty();
    if (rv.minutes_to_ack) to_ack.push_back(*rv.minutes_to_ack);
    if (rv.minutes_to_done) to_done.push_back(*rv.minutes_to_done);
    v.recipients.push_back(std::move(rv));
  }
  v.summary.median_minutes_to_ack = median(to_ack);
  v.summary.median_minutes_to_done = median(to_done);
  return v;
}

// The recipient rows of one directive the caller sees; NotFound when none.
Result<std::vector<store::RecipientRecord>> visible_rows(store::Store& store,
                                                         const RecipientIndex& index,
                                                         const store::DirectiveRecord& d) {
  const int64_t id = d.id;
  auto rows = store.directives().recipients({id, 0, false});
  if (!rows.ok()) return rows.status();
  std::vector<store::RecipientRecord> out;
  for (auto& r : *rows)
    if (index.sees(d, r)) out.push_back(std::move(r));
  if (out.empty())
    return Status::NotFound("没有指令 " + std::to_string(id) + " (no directive " +
                            std::to_string(id) + ")");
  return out;
}

// Whom a group's overdue directives escalate to: its lead from the
// organisation ("人员管控组长 张伟 @zhangwei"), or the group's role name while it
// has none; command's own go to command.
Result<std::string> escalation_target(store::Store& store, const std::string& group) {
  if (group.empty()) return std::string("指挥部 (command)");
  auto lead = group_lead(store, group);
  if (!lead.ok()) return lead.status();
  if (!*lead) return group + "组长 (group lead, none named)";
  std::string to = group + "组长 " + (*lead)->name;
  if ((*lead)->user_id) {
    auto user = store.accounts().get_user((*lead)->user_id);
    if (!user.ok()) return user.status();
    if (*user) to += " @" + (*user)->username;
  }
  return to;
}

// A recipient key that names nobody, as NotFound: reading or acting on it.
Status no_recipient(const Status& s) {
  std::string m = s.message();
  if (m.starts_with("to: ")) m = m.substr(4);
  return Status::NotFound("recipient: " + m);
}

Status not_found(int64_t id) {
  return Status::NotFound("没有指令 " + std::to_string(id) + " (no directive " +
                          std::to_string(id) + ")");
}

}  // namespace

std::string directive_now() {
  return domain::utc_iso(domain::utc_seconds(store::utc_now_iso()).value_or(0));
}

Result<int64_t> send_directive(store::Store& store, const Caller& caller,
                               const SendDirective& req) {
  FX_RETURN_IF_ERROR(need(caller, Permission::directives_send));
  auto now = now_or(req.now);
  if (!now.ok()) return now.status();
  FX_RETURN_IF_ERROR(check_text(req.title, req.body));
  auto prio = parse_priority(req.priority);
  if (!prio.ok()) return prio.status();
  auto deadline = parse_deadline(req.deadline, *now);
  if (!deadline.ok()) return deadline.status();
  if (req.to.empty()) return Status::Invalid("to: 请指定接收方 (no recipients)");
  auto index = RecipientIndex::load(store, caller);
  if (!index.ok()) return index.status();
  store::NewDirective n;
  n.directive = header(caller, req.title, req.body, *prio, *deadline, *now);
  if (req.to.size() == 1 && req.to[0] == "all") {
    n.targets = index->all_institutions();
  } else {
    // Every key is checked before anything is stored; a key written twice is sent once.
    std::set<std::tuple<std::string, int64_t, int64_t, int64_t>> seen;
    for (const auto& key : req.to) {
      auto t = index->resolve(key);
      if (!t.ok()) return t.status();
      if (seen.insert({t->kind, t->institution_id, t->group_id, t->user_id}).second)
        n.targets.push_back(std::move(*t));
    }
  }
  if (n.targets.empty()) return Status::Invalid("to: 没有可发送的学校 (no institutions)");
  auto ids = store.directives().send({n}, caller.actor());
  if (!ids.ok()) return ids.status();
  return ids->front();
}

Result<std::vector<int64_t>> directives_from_missed(store::Store& store, const Caller& caller,
                                                    const FromMissed& req) {
  FX_RETURN_IF_ERROR(need(caller, Permission::directives_send));
  auto now = now_or(req.now);
  if (!now.ok()) return now.status();
  auto prio = parse_priority(req.priority);
  if (!prio.ok()) return prio.status();
  auto deadline = parse_deadline(req.deadline, *now);
  if (!deadline.ok()) return deadline.status();
  auto board = RoundBoard::load(store);
  if (!board.ok()) return board.status();
  FX_RETURN_IF_ERROR(board->load_round(store, req.round_id, *now));
  const domain::Round& round = *board->round(req.round_id);
  auto index = institutions(store);
  if (!index.ok()) return index.status();
  std::vector<const domain::Institution*> by_code;
  for (const auto& [id, inst] : *index)
    if (caller.sees(id)) by_code.push_back(&inst);
  std::sort(by_code.begin(), by_code.end(), [](auto* a, auto* b) { return a->code < b->code; });
  std::vector<store::NewDirective> out;
  for (const auto* inst : by_code) {
    auto people = board->people_with(
        req.round_id, {domain::PersonStatus::due, domain::PersonStatus::missed}, inst->id);
    if (people.empty()) continue;
    store::NewDirective n;
    const std::string count = std::to_string(people.size());
    n.directive = header(caller, round.name + " 漏检人员补检: " + inst->name + " " + count + " 人",
                         "检测轮次 " + round.name + "(" + round.date + ")中,贵单位有 " + count +
                             " 人尚未采样,名单附后。请组织补检,完成后反馈。 (" + count +
                             " people of your institution were not sampled in this round; "
                             "arrange their tests and report back.)",
                         *prio, *deadline, *now);
    n.directive.source = "round_missed";
    n.directive.source_id = req.round_id;
    n.targets.push_back({inst->id, std::move(people)});
    out.push_back(std::move(n));
  }
  if (out.empty()) return std::vector<int64_t>{};
  return store.directives().send(out, caller.actor());
}

Result<std::vector<DirectiveView>> list_directives(store::Store& store, const Caller& caller,
                                                   const std::string& recipient,
                                                   const std::string& now_text) {
  FX_RETURN_IF_ERROR(need(caller, Permission::directives_act));
  auto now = now_or(now_text);
  if (!now.ok()) return now.status();
  auto index = RecipientIndex::load(store, caller);
  if (!index.ok()) return index.status();
  // Which rows to read: one recipient's, everything (then filtered), or the
  // caller's institutions, groups and liaison rows.
  std::vector<store::RecipientFilter> filters;
  if (!recipient.empty()) {
    auto t = index->resolve(recipient);
    if (!t.ok()) return no_recipient(t.status());
    filters.push_back({0, t->institution_id, false, t->group_id, t->user_id});
  } else if (caller.all_institutions) {
    filters.push_back({});
  } else {
    for (int64_t inst : caller.institutions) filters.push_back({0, inst, false});
    for (int64_t g : index->my_groups()) filters.push_back({0, 0, false, g, 0});
    if (caller.user_id) filters.push_back({0, 0, false, 0, caller.user_id});
  }
  std::map<int64_t, store::DirectiveRecord, std::greater<>> directives;
  std::map<int64_t, std::vector<store::RecipientRecord>> rows;
  std::set<int64_t> seen;
  for (const auto& f : filters) {
    auto rs = store.directives().recipients(f);
    if (!rs.ok()) return rs.status();
    for (auto& r : *rs) {
      if (!seen.insert(r.id).second) continue;
      auto it = directives.find(r.directive_id);
      if (it == directives.end()) {
        auto d = store.directives().get(r.directive_id);
        if (!d.ok()) return d.status();
        it = directives.emplace(r.directive_id, std::move(*d)).first;
      }
      if (index->sees(it->second, r)) rows[r.directive_id].push_back(std::move(r));
    }
  }
  std::vector<DirectiveView> out;
  for (const auto& [id, d] : directives)
    if (rows.count(id)) out.push_back(build(d, rows[id], *index, *now));
  return out;
}

Result<DirectiveView> show_directive(store::Store& store, const Caller& caller, int64_t id,
                                     const std::string& now_text) {
  FX_RETURN_IF_ERROR(need(caller, Permission::directives_act));
  auto now = now_or(now_text);
  if (!now.ok()) return now.status();
  auto d = store.directives().get(id);
  if (d.status().code() == Status::Code::not_found) return not_found(id);
  if (!d.ok()) return d.status();
  auto index = RecipientIndex::load(store, caller);
  if (!index.ok()) return index.status();
  auto rows = visible_rows(store, *index, *d);
  if (!rows.ok()) return rows.status();
  // Opened by the recipient itself: its delivered rows are now read.
  bool moved = false;
  for (const auto& r : *rows) {
    if (r.state != "delivered" || !index->own(r)) continue;
    Status s =
        store.directives().move({r.id, "read", "delivered", "read", caller.actor(), *now, ""});
    if (!s.ok() && s.code() != Status::Code::conflict) return s;
    moved = true;
  }
  if (moved) rows = visible_rows(store, *index, *d);
  if (!rows.ok()) return rows.status();
  DirectiveView v = build(*d, *rows, *index, *now);
  auto events = store.directives().events(id);
  if (!events.ok()) return events.status();
  std::set<int64_t> mine;
  for (const auto& r : *rows) mine.insert(r.id);
  for (auto& e : *events)
    if (mine.count(e.recipient_id)) v.history.push_back(std::move(e));
  return v;
}

Status act_on_directive(store::Store& store, const Caller& caller, int64_t id,
                        const std::string& recipient, DirectiveAction action,
                        const std::string& text, const std::string& now_text) {
  const bool sender_side =
      action == DirectiveAction::accept || action == DirectiveAction::send_back;
  FX_RETURN_IF_ERROR(
      need(caller, sender_side ? Permission::directives_send : Permission::directives_act));
  auto now = now_or(now_text);
  if (!now.ok()) return now.status();
  auto index = RecipientIndex::load(store, caller);
  if (!index.ok()) return index.status();
  auto t = index->resolve(recipient);
  if (!t.ok()) return no_recipient(t.status());
  auto d = store.directives().get(id);
  if (!d.ok()) return d.status();
  auto rows =
      store.directives().recipients({id, t->institution_id, false, t->group_id, t->user_id});
  if (!rows.ok()) return rows.status();
  // Another group's or liaison's row is as absent as another institution's.
  if (rows->empty() ||
      !(sender_side ? index->sees(*d, rows->front()) : index->acts_for(rows->front())))
    return Status::NotFound("recipient: " + recipient + " 不是指令 " + std::to_string(id) +
                            " 的接收方 (not a recipient of this directive)");
  const store::RecipientRecord& r = rows->front();
  if (sender_side && caller.role != Role::command && caller.task_group != d->sender_group)
    return Status::PermissionDenied(
        "只有发出指令的工作组或指挥部可以验收或退回 (only the sender's group or command)");
  std::string note = text;
  if (action == DirectiveAction::done && note.find_first_not_of(" \t\r\n") == std::string::npos)
    return Status::Invalid("feedback: 办结须填写反馈 (feedback is required to report done)");
  if (action == DirectiveAction::send_back &&
      note.find_first_not_of(" \t\r\n") == std::string::npos)
    return Status::Invalid("reason: 退回须写明原因 (a reason is required to return)");
  if (note.size() > 20000) return Status::Invalid("feedback: 过长 (over 20000 bytes)");
  if ((action == DirectiveAction::acknowledge || action == DirectiveAction::accept) &&
      !note.empty())
    return Status::Invalid("feedback: 此操作不带文字 (this action takes no text)");
  RecipientState from;
  if (!domain::parse_recipient_state(r.state, from))
    return Status::Internal("unknown stored state " + r.state);
  auto to = domain::next_state(from, action);
  if (!to.ok()) return to.status();
  if (action == DirectiveAction::read && *to == from) return Status::Ok();
  return store.directives().move({r.id, domain::directive_action_code(action), r.state,
                                  domain::recipient_state_code(*to), caller.actor(), *now, note});
}

Result<int> escalate_overdue(store::Store& store, const Caller& caller,
                             const std::string& now_text) {
  FX_RETURN_IF_ERROR(need(caller, Permission::directives_send));
  auto now = now_or(now_text);
  if (!now.ok()) return now.status();
  auto rows = store.directives().recipients({0, 0, true});
  if (!rows.ok()) return rows.status();
  std::map<int64_t, store::DirectiveRecord> cache;
  std::map<std::string, std::string> lead_of;  // sender group → whom to escalate to
  int flagged = 0;
  for (const auto& r : *rows) {
    if (!r.escalated_at.empty()) continue;
    auto it = cache.find(r.directive_id);
    if (it == cache.end()) {
      auto d = store.directives().get(r.directive_id);
      if (!d.ok()) return d.status();
      it = cache.emplace(r.directive_id, std::move(*d)).first;
    }
    const auto& d = it->second;
    if (!overdue(d, r, *now)) continue;
    auto target = lead_of.find(d.sender_group);
    if (target == lead_of.end()) {
      auto to = escalation_target(store, d.sender_group);
      if (!to.ok()) return to.status();
      target = lead_of.emplace(d.sender_group, std::move(*to)).first;
    }
    const std::string& to = target->second;
    auto done = store.directives().escalate(r.id, to, *now, caller.actor());
    if (!done.ok()) return done.status();
    flagged += *done;
  }
  return flagged;
}

}  // namespace fx::app
