// Inspection and rectification as JSON (API, `--json`) and the figures as text.
#include <boost/json.hpp>

#include "app/inspections.h"

namespace fx::app {
namespace {

namespace json = boost::json;

json::object institution(const Named& n) { return {{"code", n.code}, {"name", n.name}}; }

json::array ids(const std::vector<int64_t>& v) {
  json::array a;
  for (int64_t x : v) a.push_back(x);
  return a;
}

json::object finding_object(const FindingView& v) {
  const auto& f = v.row;
  json::array letters;
  for (const auto& l : v.letters) letters.push_back(json::string(l));
  json::object o{{"id", f.id},
                 {"inspection_id", f.inspection_id},
                 {"round_id", f.round_id},
                 {"round", v.round_name},
                 {"institution", institution(v.institution)},
                 {"category", f.category},
                 {"severity", f.severity},
                 {"severity_name", severity_name(f.severity)},
                 {"description", f.description},
                 {"deadline", f.deadline},
                 {"status", f.status},
                 {"status_name", finding_status_name(f.status)},
                 {"overdue", v.overdue},
                 {"directive_id", f.directive_id},
                 {"letters", std::move(letters)},
                 {"created_at", f.created_at},
                 {"updated_at", f.updated_at},
                 {"closed_at", f.closed_at}};
  return o;
}

json::object letter_object(const LetterView& v) {
  const auto& l = v.row;
  return {{"id", l.id},
          {"year", l.year},
          {"number", l.number},
          {"number_text", v.number_text},
          {"institution", institution(v.institution)},
          {"title", l.title},
          {"body", l.body},
          {"issued_on", l.issued_on},
          {"findings", ids(l.finding_ids)},
          {"actor", l.actor},
          {"created_at", l.created_at}};
}

}  // namespace

std::string rounds_json(const std::vector<store::InspectionRoundRecord>& list) {
  json::array a;
  for (const auto& r : list)
    a.push_back(json::object{{"id", r.id},
                             {"name", r.name},
                             {"start_date", r.start_date},
                             {"end_date", r.end_date},
                             {"created_at", r.created_at}});
  return json::serialize(json::object{{"rounds", std::move(a)}});
}

std::string inspections_json(const std::vector<InspectionView>& list) {
  json::array a;
  for (const auto& v : list) {
    json::array items;
    for (const auto& i : v.row.items)
      items.push_back(json::object{{"item", i.item}, {"passed", i.passed}, {"note", i.note}});
    a.push_back(json::object{{"id", v.row.id},
                             {"round_id", v.row.round_id},
                             {"round", v.round_name},
                             {"institution", institution(v.institution)},
                             {"inspector", v.row.inspector},
                             {"date", v.row.inspected_on},
                             {"summary", v.row.summary},
                             {"items", std::move(items)},
                             {"findings", v.findings}});
  }
  return json::serialize(json::object{{"inspections", std::move(a)}});
}

std::string findings_json(const std::vector<FindingView>& list) {
  json::array a;
  for (const auto& v : list) a.push_back(finding_object(v));
  return json::serialize(json::object{{"findings", std::move(a)}});
}

std::string finding_json(const FindingView& v) {
  json::object o = finding_object(v);
  json::array history;
  for (const auto& e : v.history) {
    json::array files;
    for (const auto& f : e.files)
      files.push_back(json::object{{"id", f.id},
                                   {"name", f.name},
                                   {"content_type", f.content_type},
                                   {"size", f.size},
                                   {"sha256", f.sha256}});
    history.push_back(json::object{{"id", e.id},
                                   {"action", e.action},
                                   {"from", e.from_status},
                                   {"to", e.to_status},
                                   {"text", e.text},
                                   {"actor", e.actor},
                                   {"at", e.at},
                                   {"files", std::move(files)}});
  }
  o["history"] = std::move(history);
  return json::serialize(o);
}

std::string letters_json(const std::vector<LetterView>& list) {
  json::array a;
  for (const auto& v : list) a.push_back(letter_object(v));
  return json::serialize(json::object{{"letters", std::move(a)}});
}

std::string letter_json(const LetterView& v) { return json::serialize(letter_object(v)); }

std::string supervisors_json(const std::vector<SupervisorView>& list) {
  json::array a;
  for (const auto& v : list)
    a.push_back(json::object{{"id", v.row.id},
                             {"name", v.row.name},
                             {"organisation", v.row.organisation},
                             {"institution", institution(v.institution)},
                             {"start_date", v.row.start_date},
                             {"end_date", v.row.end_date},
                             {"on_site", v.on_site}});
  return json::serialize(json::object{{"supervisors", std::move(a)}});
}

std::string inspection_figures_json(const InspectionFigures& f) {
  json::array coverage;
  for (const auto& c : f.coverage)
    coverage.push_back(json::object{{"id", c.id},
                                    {"name", c.name},
                                    {"start_date", c.start_date},
                                    {"end_date", c.end_date},
                                    {"inspected", c.inspected},
                                    {"total", c.total},
                                    {"findings", c.findings}});
  return json::serialize(json::object{{"today", f.today},
                                      {"rounds", f.rounds},
                                      {"institutions", f.institutions},
                                      {"coverage", std::move(coverage)},
                                      {"inspections", f.inspections},
                                      {"findings", f.findings},
                                      {"open", f.open},
                                      {"submitted", f.submitted},
                                      {"closed", f.closed},
                                      {"overdue", f.overdue},
                                      {"letters", f.letters},
                                      {"supervisors", f.supervisors},
                                      {"on_site", f.on_site},
                                      {"supervised_institutions", f.supervised_institutions}});
}

std::string inspection_figures_text(const InspectionFigures& f) {
  std::string out = "检查整改 " + f.today + "\n";
  out += "督导检查轮次 rounds\t" + std::to_string(f.rounds) + "\n";
  for (const auto& c : f.coverage)
    out += "  " + c.name + " " + c.start_date + "—" + c.end_date + "\t覆盖 " +
           std::to_string(c.inspected) + "/" + std::to_string(c.total) + "\t问题 " +
           std::to_string(c.findings) + "\n";
  out += "检查次数 inspections\t" + std::to_string(f.inspections) + "\n";
  out += "整改问题 findings\t" + std::to_string(f.findings) + "\n";
  out += "  已销号 closed\t" + std::to_string(f.closed) + "\n";
  out += "  未销号 open\t" + std::to_string(f.open) + "（待验收 submitted " +
         std::to_string(f.submitted) + "）\n";
  out += "  逾期 overdue\t" + std::to_string(f.overdue) + "\n";
  out += "提醒函 letters\t" + std::to_string(f.letters) + "\n";
  out += "驻点督导员 supervisors\t" + std::to_string(f.supervisors) + "（在岗 on site " +
         std::to_string(f.on_site) + "，驻点学校 " + std::to_string(f.supervised_institutions) +
         "）\n";
  return out;
}

}  // namespace fx::app
