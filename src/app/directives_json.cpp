// Directives as JSON (API, `--json`) and as text (the CLI).
#include <boost/json.hpp>

#include "app/directives.h"
#include "domain/rounds.h"

namespace fx::app {
namespace {

namespace json = boost::json;

json::value opt(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

std::string state_name(const std::string& code) {
  domain::RecipientState s;
  return domain::parse_recipient_state(code, s) ? domain::recipient_state_name(s) : code;
}

std::string priority_name(const std::string& code) {
  domain::Priority p;
  return domain::parse_priority(code, p) ? domain::priority_name(p) : code;
}

json::object to_object(const DirectiveView& v, bool with_history) {
  const auto& d = v.directive;
  const auto& s = v.summary;
  json::array recipients;
  for (const auto& rv : v.recipients) {
    const auto& r = rv.row;
    json::array people;
    for (int64_t p : r.people) people.push_back(p);
    recipients.push_back(json::object{
        {"id", r.id},
        {"kind", r.kind},
        {"key", rv.key},
        {"name", rv.name},
        {"institution", json::object{{"code", rv.institution_code}, {"name", rv.institution_name}}},
        {"state", r.state},
        {"state_name", state_name(r.state)},
        {"delivered_at", r.delivered_at},
        {"read_at", r.read_at},
        {"acknowledged_at", r.acknowledged_at},
        {"done_at", r.done_at},
        {"accepted_at", r.accepted_at},
        {"feedback", r.feedback},
        {"return_reason", r.return_reason},
        {"returns", r.returns},
        {"overdue", rv.overdue},
        {"escalated_at", r.escalated_at},
        {"escalated_to", r.escalated_to},
        {"minutes_to_ack", opt(rv.minutes_to_ack)},
        {"minutes_to_done", opt(rv.minutes_to_done)},
        {"people", std::move(people)}});
  }
  json::object o{
      {"id", d.id},
      {"title", d.title},
      {"body", d.body},
      {"priority", d.priority},
      {"priority_name", priority_name(d.priority)},
      {"deadline", d.deadline},
      {"deadline_local", d.deadline.empty() ? "" : domain::local_time_text(d.deadline)},
      {"sender", d.sender},
      {"sender_group", d.sender_group},
      {"source", d.source},
      {"source_id", d.source_id},
      {"created_at", d.created_at},
      {"summary", json::object{{"recipients", s.recipients},
                               {"acknowledged", s.acknowledged},
                               {"done", s.done},
                               {"accepted", s.accepted},
                               {"overdue", s.overdue},
                               {"escalated", s.escalated},
                               {"median_minutes_to_ack", opt(s.median_minutes_to_ack)},
                               {"median_minutes_to_done", opt(s.median_minutes_to_done)}}},
      {"recipients", std::move(recipients)}};
  if (with_history) {
    json::array h;
    for (const auto& e : v.history)
      h.push_back(json::object{{"recipient_id", e.recipient_id},
                               {"action", e.action},
                               {"from", e.from_state},
                               {"to", e.to_state},
                               {"actor", e.actor},
                               {"at", e.at},
                               {"note", e.note}});
    o["history"] = std::move(h);
  }
  return o;
}

std::string minutes(const std::optional<double>& m) {
  if (!m) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *m);
  return buf;
}

}  // namespace

std::string directive_json(const DirectiveView& v) { return json::serialize(to_object(v, true)); }

std::string directives_json(const std::vector<DirectiveView>& list) {
  json::array a;
  for (const auto& v : list) a.push_back(to_object(v, false));
  return json::serialize(json::object{{"items", std::move(a)}});
}

std::string directive_text(const DirectiveView& v) {
  const auto& d = v.directive;
  const auto& s = v.summary;
  std::string out =
      "指令 #" + std::to_string(d.id) + " [" + priority_name(d.priority) + "] " + d.title + "\n";
  out += "发出 (from): " + (d.sender_group.empty() ? std::string("指挥部") : d.sender_group) + " " +
         d.sender + "  " + domain::local_time_text(d.created_at) + "\n";
  if (!d.deadline.empty()) out += "截止 (deadline): " + domain::local_time_text(d.deadline) + "\n";
  if (!d.body.empty()) out += d.body + "\n";
  out += "接收 " + std::to_string(s.recipients) + " 确认 " + std::to_string(s.acknowledged) +
         " 办结 " + std::to_string(s.done) + " 验收 " + std::to_string(s.accepted) + " 逾期 " +
         std::to_string(s.overdue) + " 升级 " + std::to_string(s.escalated) +
         "  中位用时(分钟) 确认 " + minutes(s.median_minutes_to_ack) + " 办结 " +
         minutes(s.median_minutes_to_done) + "\n";
  for (const auto& rv : v.recipients) {
    const auto& r = rv.row;
    out += "  " + rv.key + "\t" + rv.name + "\t" + state_name(r.state) +
           (rv.overdue ? "\t逾期" : "\t") +
           (r.escalated_to.empty() ? "" : "\t已升级至 " + r.escalated_to) + "\t确认 " +
           minutes(rv.minutes_to_ack) + " 分\t办结 " + minutes(rv.minutes_to_done) + " 分";
    if (!r.people.empty()) out += "\t名单 " + std::to_string(r.people.size()) + " 人";
    if (!r.feedback.empty()) out += "\t反馈: " + r.feedback;
    out += "\n";
  }
  for (const auto& e : v.history)
    out += "    " + domain::local_time_text(e.at) + "  " + e.action + "  " + e.actor +
           (e.note.empty() ? "" : "  " + e.note) + "\n";
  return out;
}

}  // namespace fx::app
