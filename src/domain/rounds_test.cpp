// Pool derivation: each rule of docs/test-rounds.md as a case.
#include "domain/rounds.h"

#include <gtest/gtest.h>

namespace fx::domain {
namespace {

using PS = PersonStatus;
using TR = TestResult;

TEST(RoundsTest, ParsesResultsInChineseAndEnglish) {
  TestResult r;
  ASSERT_TRUE(parse_test_result("阴性", r));
  EXPECT_EQ(r, TR::negative);
  ASSERT_TRUE(parse_test_result(" Positive ", r));
  EXPECT_EQ(r, TR::positive);
  ASSERT_TRUE(parse_test_result("无效", r));
  EXPECT_EQ(r, TR::invalid);
  EXPECT_FALSE(parse_test_result("待定", r));
  EXPECT_FALSE(parse_test_result("", r));
}

TEST(RoundsTest, PoolSizes) {
  for (int n : {1, 5, 10, 20}) EXPECT_TRUE(valid_pool_size(n));
  for (int n : {0, 2, 11, 50}) EXPECT_FALSE(valid_pool_size(n));
}

TEST(RoundsTest, ApplyTubeRules) {
  EXPECT_EQ(apply_tube(PS::due, 10, TR::none), PS::sampled);
  EXPECT_EQ(apply_tube(PS::due, 10, TR::negative), PS::negative);
  EXPECT_EQ(apply_tube(PS::due, 10, TR::positive), PS::pool_positive);
  EXPECT_EQ(apply_tube(PS::due, 1, TR::positive), PS::positive);
  EXPECT_EQ(apply_tube(PS::due, 10, TR::invalid), PS::invalid);
  // Re-test of a pool-positive member: awaiting, negative clears, positive confirms.
  EXPECT_EQ(apply_tube(PS::pool_positive, 1, TR::none), PS::pool_positive);
  EXPECT_EQ(apply_tube(PS::pool_positive, 1, TR::negative), PS::negative);
  EXPECT_EQ(apply_tube(PS::pool_positive, 1, TR::positive), PS::positive);
  EXPECT_EQ(apply_tube(PS::pool_positive, 1, TR::invalid), PS::pool_positive);
  // Re-sample after an invalid tube.
  EXPECT_EQ(apply_tube(PS::invalid, 10, TR::none), PS::sampled);
  EXPECT_EQ(apply_tube(PS::invalid, 10, TR::negative), PS::negative);
  // Positive stays positive until confirmation or release.
  EXPECT_EQ(apply_tube(PS::positive, 1, TR::negative), PS::positive);
}

struct Case {
  std::vector<DeriveTube> tubes;
  std::vector<DeriveSample> samples;
};

std::vector<PS> run(size_t people, const Case& c, bool passed = false,
                    std::vector<uint32_t> exempt = {}) {
  std::vector<uint32_t> due;
  for (uint32_t i = 0; i < people; ++i) due.push_back(i);
  DeriveInput in;
  in.people = people;
  in.due = due;
  in.exempt = exempt;
  in.samples = c.samples;
  in.tubes = c.tubes;
  in.deadline_passed = passed;
  return derive_round(in);
}

TEST(RoundsTest, NegativePoolClearsEveryMember) {
  Case c{{{3, TR::negative}}, {{0, 0, 1}, {1, 0, 1}, {2, 0, 1}}};
  EXPECT_EQ(run(4, c), (std::vector<PS>{PS::negative, PS::negative, PS::negative, PS::due}));
  EXPECT_EQ(run(4, c, true),
            (std::vector<PS>{PS::negative, PS::negative, PS::negative, PS::missed}));
}

TEST(RoundsTest, PositivePoolThenSingleTubeRetests) {
  // Tube 0: a pool of three, positive. Tubes 1–3: single-tube re-tests.
  Case c{{{3, TR::positive}, {1, TR::negative}, {1, TR::positive}, {1, TR::none}},
         {{0, 0, 10}, {1, 0, 10}, {2, 0, 10}, {0, 1, 20}, {1, 2, 20}, {2, 3, 20}}};
  EXPECT_EQ(run(3, c), (std::vector<PS>{PS::negative, PS::positive, PS::pool_positive}));
  // Before the re-tests: all three pool positive.
  Case before{{{3, TR::positive}}, {{0, 0, 10}, {1, 0, 10}, {2, 0, 10}}};
  EXPECT_EQ(run(3, before), (std::vector<PS>(3, PS::pool_positive)));
}

TEST(RoundsTest, OrderIsSamplingTimeNotArrival) {
  // The re-test arrives first in the data but was sampled later.
  Case c{{{1, TR::negative}, {2, TR::positive}}, {{0, 0, 20}, {0, 1, 10}, {1, 1, 10}}};
  EXPECT_EQ(run(2, c), (std::vector<PS>{PS::negative, PS::pool_positive}));
}

TEST(RoundsTest, InvalidThenResample) {
  Case c{{{2, TR::invalid}, {2, TR::none}}, {{0, 0, 1}, {1, 0, 1}, {0, 1, 5}}};
  EXPECT_EQ(run(2, c), (std::vector<PS>{PS::sampled, PS::invalid}));
}

TEST(RoundsTest, SinglePositiveAndAwaiting) {
  Case c{{{1, TR::positive}, {5, TR::none}}, {{0, 0, 1}, {1, 1, 1}, {2, 1, 1}}};
  EXPECT_EQ(run(4, c, true), (std::vector<PS>{PS::positive, PS::sampled, PS::sampled, PS::missed}));
}

TEST(RoundsTest, ExemptAndNotDueIgnoreSamples) {
  std::vector<uint32_t> due = {0, 1};
  std::vector<uint32_t> exempt = {1};
  std::vector<DeriveTube> tubes = {{3, TR::negative}};
  std::vector<DeriveSample> samples = {{0, 0, 1}, {1, 0, 1}, {2, 0, 1}};
  DeriveInput in;
  in.people = 3;
  in.due = due;
  in.exempt = exempt;
  in.samples = samples;
  in.tubes = tubes;
  EXPECT_EQ(derive_round(in), (std::vector<PS>{PS::negative, PS::exempt, PS::not_due}));
}

TEST(RoundsTest, LocalTimesToUtc) {
  std::string t;
  ASSERT_TRUE(parse_local_time("2022-03-10 08:15", t));
  EXPECT_EQ(t, "2022-03-10T00:15:00Z");
  ASSERT_TRUE(parse_local_time("2022/3/1 7:05:09", t));
  EXPECT_EQ(t, "2022-02-28T23:05:09Z");
  ASSERT_TRUE(parse_local_time("2022-03-10", t));
  EXPECT_EQ(t, "2022-03-09T16:00:00Z");
  ASSERT_TRUE(parse_local_time("2022-03-10T01:02:03Z", t));
  EXPECT_EQ(t, "2022-03-10T01:02:03Z");
  EXPECT_FALSE(parse_local_time("2022-02-30 08:00", t));
  EXPECT_FALSE(parse_local_time("2022-03-10 25:00", t));
  EXPECT_FALSE(parse_local_time("yesterday", t));
  EXPECT_EQ(local_time_text("2022-03-10T00:15:00Z"), "2022-03-10 08:15");
  EXPECT_EQ(local_time_text("2022-03-09T16:00:00.123Z"), "2022-03-10 00:00");
}

}  // namespace
}  // namespace fx::domain
