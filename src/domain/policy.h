// A disease-control policy as data (policies/*.json): the exposure window,
// what makes a contact at each kind of place, and what each category of key
// person must do — quarantine stages and test days. Versioned as the national
// protocol was (covid-8th, covid-9th, …); an order keeps the policy it was
// made under, so switching policy mid-outbreak changes only new orders.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fx::domain {

// Contact kinds in the order of trace::ContactKind.
inline constexpr int kPolicyContactKinds = 8;
// Place kinds in the order of domain::PlaceKind.
inline constexpr int kPolicyPlaceKinds = 7;

enum class KeyCategory { close, secondary };
const char* key_category_code(KeyCategory c);  // "close", "secondary"
const char* key_category_name(KeyCategory c);  // 密接, 次密接

struct QuarantineStage {
  std::string kind;  // centralised (集中隔离), home (居家隔离), home_monitoring (居家健康监测)
  int days = 0;
};
const char* stage_kind_name(const std::string& kind);  // Chinese

struct TestDay {
  int day = 0;  // day 1 is the first day after the last exposure
  std::string note;
};

struct CategoryRule {
  std::vector<QuarantineStage> stages;  // one after the other
  std::vector<TestDay> tests;
};

struct Policy {
  std::string id, name, name_en, disease, in_force_from, note;
  int exposure_days_before = 2;  // before onset, or else the first positive sample
  int contact_minutes[kPolicyContactKinds] = {0, 15, 15, 15, 15, 15, 15, 15};
  int dwell_minutes[kPolicyPlaceKinds] = {10, 10, 20, 1, 60, 30, 10};
  CategoryRule close, secondary;
  // Key people no trace finds, when the policy provides for them: risk-area
  // returnees (中高风险地区返校人员), symptomatic people (有症状人员).
  std::map<std::string, CategoryRule> others;

  const CategoryRule& rule(KeyCategory c) const {
    return c == KeyCategory::close ? close : secondary;
  }
  // close, secondary, or one of `others`; nullptr when the policy has none.
  const CategoryRule* find_rule(const std::string& code) const {
    if (code == "close") return &close;
    if (code == "secondary") return &secondary;
    auto it = others.find(code);
    return it == others.end() ? nullptr : &it->second;
  }
};

// What one key person must do, computed from the policy.
struct QuarantinePlan {
  struct Stage {
    std::string kind;
    int64_t start = 0, end = 0;  // Unix seconds
  };
  struct Test {
    int day = 0;
    std::string date;  // YYYY-MM-DD, Asia/Shanghai
    std::string note;
  };
  std::vector<Stage> stages;
  std::vector<Test> tests;
  int64_t planned_end = 0;  // end of the last stage (0 without stages)
};

// Stages run back to back from the last exposure (national protocols count
// quarantine from it); a stage that would end before `start` (the moment the
// person is actually put in quarantine) still shows, so the table says how
// long is left. Test day N falls on the local date of the last exposure plus
// N days.
QuarantinePlan plan_quarantine(const CategoryRule& rule, int64_t last_exposure);

// The local (Asia/Shanghai) date of a Unix time, as YYYY-MM-DD.
std::string local_date(int64_t unix_seconds);

}  // namespace fx::domain
