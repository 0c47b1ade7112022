#include "app/policies.h"

#include <gtest/gtest.h>

namespace fx::app {
namespace {

TEST(Policies, EveryBuiltInPolicyReads) {
  const auto ids = policy_ids();
  for (const char* id : {"covid-8th", "covid-9th", "influenza", "norovirus", "measles"})
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  for (const std::string& id : ids) {
    auto p = find_policy(id);
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_EQ(p->id, id);
  }
}

TEST(Policies, NinthProtocolPlansSevenPlusThreeDays) {
  auto p = find_policy("covid-9th");
  ASSERT_TRUE(p.ok());
  const int64_t last = 1646362800;  // 2022-03-04 11:00 Asia/Shanghai
  const auto plan = domain::plan_quarantine(p->close, last);
  ASSERT_EQ(plan.stages.size(), 2u);
  EXPECT_EQ(plan.stages[0].kind, "centralised");
  EXPECT_EQ(plan.stages[1].end - last, 10 * 86400);
  ASSERT_EQ(plan.tests.size(), 6u);
  EXPECT_EQ(plan.tests[0].date, "2022-03-05");
  EXPECT_EQ(plan.tests[4].date, "2022-03-11");  // day 7
  const auto secondary = domain::plan_quarantine(p->secondary, last);
  ASSERT_EQ(secondary.stages.size(), 1u);
  EXPECT_EQ(secondary.stages[0].kind, "home");
  EXPECT_EQ(thresholds_of(*p).seconds[1], 900);
  EXPECT_EQ(thresholds_of(*p).seconds[0], 0);  // a shared dorm night is enough
}

TEST(Policies, ABadFileNamesTheField) {
  auto p = parse_policy(R"({"id":"x","exposure_days_before":2,"contact_minutes":{"dorm_room":0}})",
                        "policies/x.json");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("policies/x.json"), std::string::npos);
  EXPECT_NE(p.status().message().find("contact_minutes.classroom"), std::string::npos);
  p = parse_policy("{not json", "y.json");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("y.json"), std::string::npos);
  auto missing = find_policy("/nonexistent/policy.json");
  EXPECT_FALSE(missing.ok());
  auto unknown = find_policy("covid-10th");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("covid-9th"), std::string::npos);
}

}  // namespace
}  // namespace fx::app
