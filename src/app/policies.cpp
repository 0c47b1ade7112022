#include "app/policies.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

namespace fx::app {

namespace json = boost::json;

namespace {

const char* const kContactKeys[domain::kPolicyContactKinds] = {
    "dorm_room", "classroom", "canteen", "gate", "library", "bus", "other", "pairwise"};

Status bad(const std::string& origin, const std::string& field, const std::string& why) {
  return Status::Invalid(origin + ": " + field + ": " + why);
}

Result<int> read_int(const json::object& o, const char* key, const std::string& origin,
                     const std::string& where, int lo, int hi) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_int64()) return bad(origin, where + key, "需要整数 (an integer)");
  const int64_t n = v->as_int64();
  if (n < lo || n > hi)
    return bad(origin, where + key,
               "超出范围 " + std::to_string(lo) + "–" + std::to_string(hi) + " (out of range)");
  return static_cast<int>(n);
}

std::string read_text(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

Result<domain::CategoryRule> read_rule(const json::object& categories, const char* key,
                                       const std::string& origin) {
  const std::string where = std::string("categories.") + key;
  const json::value* v = categories.if_contains(key);
  if (v == nullptr || !v->is_object()) return bad(origin, where, "缺少 (missing)");
  const json::object& o = v->as_object();
  domain::CategoryRule rule;
  const json::value* stages = o.if_contains("stages");
  if (stages == nullptr || !stages->is_array()) return bad(origin, where + ".stages", "需要数组");
  for (size_t i = 0; i < stages->as_array().size(); ++i) {
    const json::value& s = stages->as_array()[i];
    const std::string at = where + ".stages[" + std::to_string(i) + "].";
    if (!s.is_object()) return bad(origin, at, "需要对象 (an object)");
    domain::QuarantineStage stage;
    stage.kind = read_text(s.as_object(), "kind");
    if (stage.kind != "centralised" && stage.kind != "home" && stage.kind != "home_monitoring")
      return bad(origin, at + "kind", "应为 centralised、home 或 home_monitoring");
    auto days = read_int(s.as_object(), "days", origin, at, 1, 60);
    if (!days.ok()) return days.status();
    stage.days = *days;
    rule.stages.push_back(stage);
  }
  const json::value* tests = o.if_contains("tests");
  if (tests == nullptr || !tests->is_array()) return bad(origin, where + ".tests", "需要数组");
  for (size_t i = 0; i < tests->as_array().size(); ++i) {
    const json::value& t = tests->as_array()[i];
    const std::string at = where + ".tests[" + std::to_string(i) + "].";
    if (!t.is_object()) return bad(origin, at, "需要对象 (an object)");
    auto day = read_int(t.as_object(), "day", origin, at, 1, 60);
    if (!day.ok()) return day.status();
    rule.tests.push_back({*day, read_text(t.as_object(), "note")});
  }
  return rule;
}

}  // namespace

Result<domain::Policy> parse_policy(std::string_view text, const std::string& origin) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec) return bad(origin, "(file)", "不是有效的 JSON (not valid JSON): " + ec.message());
  if (!doc.is_object()) return bad(origin, "(file)", "需要一个 JSON 对象 (a JSON object)");
  const json::object& o = doc.as_object();
  domain::Policy p;
  p.id = read_text(o, "id");
  if (p.id.empty()) return bad(origin, "id", "缺少 (missing)");
  p.name = read_text(o, "name");
  p.name_en = read_text(o, "name_en");
  p.disease = read_text(o, "disease");
  p.in_force_from = read_text(o, "in_force_from");
  p.note = read_text(o, "note");
  auto days = read_int(o, "exposure_days_before", origin, "", 0, 30);
  if (!days.ok()) return days.status();
  p.exposure_days_before = *days;
  const json::value* minutes = o.if_contains("contact_minutes");
  if (minutes == nullptr || !minutes->is_object()) return bad(origin, "contact_minutes", "缺少");
  for (int k = 0; k < domain::kPolicyContactKinds; ++k) {
    auto m = read_int(minutes->as_object(), kContactKeys[k], origin, "contact_minutes.", 0, 1440);
    if (!m.ok()) return m.status();
    p.contact_minutes[k] = *m;
  }
  const json::value* dwell = o.if_contains("dwell_minutes");
  if (dwell == nullptr || !dwell->is_object()) return bad(origin, "dwell_minutes", "缺少");
  // Swipes happen at canteens, gates, libraries, buses and other places; the
  // dorm and classroom dwell are not used (nights and timetables say when).
  for (int k = 2; k < domain::kPolicyPlaceKinds; ++k) {
    auto m = read_int(dwell->as_object(), kContactKeys[k], origin, "dwell_minutes.", 1, 720);
    if (!m.ok()) return m.status();
    p.dwell_minutes[k] = *m;
  }
  const json::value* categories = o.if_contains("categories");
  if (categories == nullptr || !categories->is_object()) return bad(origin, "categories", "缺少");
  auto close = read_rule(categories->as_object(), "close", origin);
  if (!close.ok()) return close.status();
  auto secondary = read_rule(categories->as_object(), "secondary", origin);
  if (!secondary.ok()) return secondary.status();
  p.close = std::move(*close);
  p.secondary = std::move(*secondary);
  for (const char* other : {"returnee", "symptomatic"}) {
    if (!categories->as_object().contains(other)) continue;  // optional
    auto rule = read_rule(categories->as_object(), other, origin);
    if (!rule.ok()) return rule.status();
    p.others[other] = std::move(*rule);
  }
  return p;
}

Result<domain::Policy> find_policy(const std::string& id_or_path) {
  if (id_or_path.size() > 5 && id_or_path.ends_with(".json")) {
    std::ifstream in(id_or_path, std::ios::binary);
    if (!in)
      return Status::NotFound(id_or_path + ": 无法打开策略文件 (cannot open the policy file)");
    std::stringstream text;
    text << in.rdbuf();
    return parse_policy(text.str(), id_or_path);
  }
  for (const EmbeddedPolicy& e : embedded_policies())
    if (id_or_path == e.id) return parse_policy(e.json, std::string("policies/") + e.id + ".json");
  std::string known;
  for (const std::string& id : policy_ids()) known += (known.empty() ? "" : ", ") + id;
  return Status::NotFound("没有策略 (no policy) '" + id_or_path + "'; 可选 (known): " + known);
}

std::vector<std::string> policy_ids() {
  std::vector<std::string> ids;
  for (const EmbeddedPolicy& e : embedded_policies()) ids.push_back(e.id);
  return ids;
}

trace::Thresholds thresholds_of(const domain::Policy& policy) {
  trace::Thresholds t;
  for (int k = 0; k < trace::kContactKinds; ++k)
    t.seconds[k] = int64_t{policy.contact_minutes[k]} * 60;
  return t;
}

}  // namespace fx::app
