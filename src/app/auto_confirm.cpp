#include "app/auto_confirm.h"

#include <boost/json.hpp>

#include "domain/directives.h"

namespace fx::app {

Result<AutoConfirmed> confirm_positives(store::Store& store, CaseDesk& desk, const Caller& caller,
                                        const RoundImportReport& report) {
  AutoConfirmed out;
  for (const PositiveSample& p : report.positives) {
    ConfirmCase req;
    req.person_id = p.person_id;
    auto sampled = domain::utc_seconds(p.sampled_at);
    if (!sampled) {
      out.errors.push_back("tube " + p.tube_code + ": sampled_at " + p.sampled_at);
      continue;
    }
    req.sample_time = *sampled;
    req.note = "核酸检测第 " + std::to_string(report.round_id) + " 轮单管阳性 (round " +
               std::to_string(report.round_id) + ", tube " + p.tube_code + ")";
    auto done = desk.confirm_positive(store, caller, req);
    if (!done.ok()) {
      const Status& s = done.status();
      if (s.code() == Status::Code::already_exists) {
        ++out.already_cases;
        continue;
      }
      if (s.code() != Status::Code::invalid_argument && s.code() != Status::Code::not_found)
        return s;
      out.errors.push_back("tube " + p.tube_code + ": " + s.message());
      continue;
    }
    const CaseOutcome& o = done->outcome;
    out.cases.push_back({o.case_id, done->policy, o.close, o.secondary, o.without_site,
                         done->directives, done->directive_error});
  }
  return out;
}

boost::json::object to_json(const AutoConfirmed& a) {
  namespace json = boost::json;
  json::array cases;
  for (const auto& c : a.cases) {
    json::array ids;
    for (int64_t d : c.directives) ids.push_back(d);
    json::object o{{"case", c.case_id},
                   {"policy", c.policy},
                   {"close", c.close},
                   {"secondary", c.secondary},
                   {"without_site", c.without_site},
                   {"directives", std::move(ids)}};
    if (!c.directive_error.empty()) o["directive_error"] = c.directive_error;
    cases.push_back(std::move(o));
  }
  json::array errors;
  for (const auto& e : a.errors) errors.push_back(json::string(e));
  return json::object{{"cases", std::move(cases)},
                      {"already_cases", a.already_cases},
                      {"errors", std::move(errors)}};
}

std::string to_text(const AutoConfirmed& a) {
  std::string out;
  for (const auto& c : a.cases) {
    out += "自动确诊 auto-confirmed: 病例 case " + std::to_string(c.case_id) + " (" + c.policy +
           "): 密接 " + std::to_string(c.close) + " close, 次密接 " + std::to_string(c.secondary) +
           " secondary; 指令 " + std::to_string(c.directives.size()) + " directives sent\n";
    if (!c.directive_error.empty())
      out += "  指令未发出 directives not sent: " + c.directive_error + "\n";
  }
  if (a.already_cases > 0)
    out += "已是病例 already cases: " + std::to_string(a.already_cases) + "\n";
  for (const auto& e : a.errors) out += "未能自动确诊 not confirmed: " + e + "\n";
  return out;
}

}  // namespace fx::app
