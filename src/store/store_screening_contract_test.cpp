// The screening part of the store's contract (home-bound ranges, daily
// reports and their history, the day's counts, symptomatic key people), run
// on both backends like store_tracking_contract_test.cpp.
#include <gtest/gtest.h>

#include "store/sealed_person.h"
#include "store/store.h"
#include "tests/pg_test_support.h"
#include "tests/test_support.h"

namespace fx::store {
namespace {

class ScreeningContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto location = GetParam() == "sqlite" ? Result<std::string>(dir_.file("fx.db"))
                                           : fx::testing::pg_fresh_database();
    ASSERT_TRUE(location.ok()) << location.status().message();
    auto s = open_store(*location, vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto tx = store_->begin();
    ASSERT_TRUE(tx.ok()) << tx.status().message();
    for (int i = 0; i < 2; ++i) {
      domain::Institution inst;
      inst.code = "A0" + std::to_string(i);
      inst.name = "学校" + std::to_string(i);
      insts_.push_back(*(*tx)->insert_institution(inst));
    }
    domain::Unit cls;
    cls.institution_id = insts_[0];
    cls.name = cls.path = "一年级1班";
    int64_t unit = *(*tx)->insert_unit(cls);
    for (int n = 0; n < 6; ++n) {
      domain::Person p;
      p.institution_id = insts_[n < 4 ? 0 : 1];
      p.unit_id = n < 4 ? unit : 0;
      p.person_code = "S" + std::to_string(n);
      p.name = "学生" + std::to_string(n);
      p.role = domain::Role::student;
      p.id_kind = domain::IdKind::passport;
      p.id_number = "X" + std::to_string(n);
      auto id = (*tx)->insert_person(p, seal_person(vault_, p), vault_.hash("row", p.name));
      ASSERT_TRUE(id.ok()) << id.status().message();
      people_.push_back(*id);
    }
    ASSERT_TRUE((*tx)->commit().ok());
  }

  HomeBoundRecord range(int64_t person, std::string from, std::string to) {
    HomeBoundRecord h;
    h.person_id = person;
    h.from_date = std::move(from);
    h.to_date = std::move(to);
    h.reason = "密接家属";
    return h;
  }

  ScreeningReport report(int64_t person, std::string day, int tenths, bool abnormal = false) {
    ScreeningReport r;
    r.person_id = person;
    r.day = std::move(day);
    r.temperature_tenths = tenths;
    r.symptoms = abnormal ? "cough" : "";
    r.location = "家中\t幸福小区";  // a tab: text columns keep it
    r.at_home = true;
    r.reporter = "parent";
    r.abnormal = abnormal;
    r.actor = "teacher1";
    r.reported_at = "2022-03-10T01:00:00.000Z";
    auto checks =
        store_->screening().check(r.day, {person});  // kept: ranged-for over *temp dangles
    for (const auto& c : *checks) r.institution_id = c.institution_id;
    return r;
  }

  fx::testing::TempDir dir_;
  Vault vault_ = Vault::for_testing(9);
  std::unique_ptr<Store> store_;
  std::vector<int64_t> insts_, people_;
};

TEST_P(ScreeningContract, RangesMergeAndCoverDays) {
  auto& s = store_->screening();
  auto ids = s.add_home_bound(
      {range(people_[0], "2022-03-10", "2022-03-12"), range(people_[1], "2022-03-10", "2022-03-10"),
       range(people_[4], "2022-03-11", "2022-03-20")},
      "cli");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  ASSERT_EQ(ids->size(), 3u);
  // Overlapping ranges of one person widen into one: a day is never counted twice.
  auto again = s.add_home_bound({range(people_[0], "2022-03-12", "2022-03-14"),
                                 range(people_[0], "2022-03-08", "2022-03-10")},
                                "cli");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ((*again)[0], (*ids)[0]);
  auto on = s.home_bound_on("2022-03-14", 0);
  ASSERT_EQ(on->size(), 2u);
  EXPECT_EQ((*on)[0].person_id, people_[0]);
  EXPECT_EQ((*on)[0].from_date, "2022-03-08");
  EXPECT_EQ((*on)[0].to_date, "2022-03-14");
  EXPECT_EQ((*on)[0].institution_id, insts_[0]);
  EXPECT_EQ((*on)[0].reason, "密接家属");
  EXPECT_EQ(s.home_bound_on("2022-03-11", insts_[0])->size(), 1u);
  EXPECT_EQ(s.home_bound_on("2022-03-10", insts_[0])->size(), 2u);
  EXPECT_TRUE(s.home_bound_on("2022-03-21", 0)->empty());
  EXPECT_EQ(s.totals({})->home_bound, 3);

  // An unknown person: nothing of the batch is stored.
  auto bad = s.add_home_bound(
      {range(people_[2], "2022-03-10", "2022-03-10"), range(999999, "2022-03-10", "2022-03-10")},
      "cli");
  EXPECT_EQ(bad.status().code(), Status::Code::invalid_argument);
  EXPECT_NE(bad.status().message().find("records[1].person"), std::string::npos);
  EXPECT_EQ(s.home_bound_on("2022-03-10", insts_[0])->size(), 2u);
}

TEST_P(ScreeningContract, ReportsCountsListsAndHistory) {
  auto& s = store_->screening();
  ASSERT_TRUE(s.add_home_bound({range(people_[0], "2022-03-10", "2022-03-11"),
                                range(people_[1], "2022-03-10", "2022-03-11"),
                                range(people_[2], "2022-03-10", "2022-03-10"),
                                range(people_[4], "2022-03-10", "2022-03-10")},
                               "cli")
                  .ok());
  auto checks = s.check("2022-03-10", {people_[0], people_[3], 999999});
  ASSERT_TRUE(checks.ok()) << checks.status().message();
  ASSERT_EQ(checks->size(), 3u);
  EXPECT_TRUE((*checks)[0].exists && (*checks)[0].home_bound);
  EXPECT_EQ((*checks)[0].institution_id, insts_[0]);
  EXPECT_EQ((*checks)[0].report_id, 0);
  EXPECT_TRUE((*checks)[1].exists);
  EXPECT_FALSE((*checks)[1].home_bound);
  EXPECT_FALSE((*checks)[2].exists);
  EXPECT_EQ((*checks)[2].person_id, 999999);

  auto n = s.add_reports({report(people_[0], "2022-03-10", 365),
                          report(people_[1], "2022-03-10", 381, true),
                          report(people_[4], "2022-03-10", 362)});
  ASSERT_TRUE(n.ok()) << static_cast<int>(n.status().code()) << " " << n.status().message();
  EXPECT_EQ(*n, 3);
  EXPECT_EQ((*s.check("2022-03-10", {people_[1]}))[0].report_version, 1);

  // A second report for the same day is refused and the batch leaves no trace.
  auto dup =
      s.add_reports({report(people_[2], "2022-03-10", 365), report(people_[0], "2022-03-10", 366)});
  EXPECT_EQ(dup.status().code(), Status::Code::already_exists);
  EXPECT_EQ((*s.check("2022-03-10", {people_[2]}))[0].report_id, 0);

  auto counts = s.day_counts("2022-03-10");
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  ASSERT_EQ(counts->size(), 2u);
  EXPECT_EQ((*counts)[0].institution_id, insts_[0]);
  EXPECT_EQ((*counts)[0].due, 3);
  EXPECT_EQ((*counts)[0].reported, 2);
  EXPECT_EQ((*counts)[0].abnormal, 1);
  EXPECT_EQ((*counts)[1].due, 1);
  EXPECT_EQ((*counts)[1].reported, 1);
  EXPECT_EQ((*counts)[1].abnormal, 0);
  EXPECT_EQ((*s.day_counts("2022-03-11"))[0].reported, 0);

  auto missing = s.not_reported("2022-03-10", 0);
  ASSERT_EQ(missing->size(), 1u);
  EXPECT_EQ((*missing)[0].person_id, people_[2]);
  EXPECT_EQ((*missing)[0].name, "学生2");
  EXPECT_EQ((*missing)[0].unit, "一年级1班");
  EXPECT_TRUE(s.not_reported("2022-03-10", insts_[1])->empty());
  auto abnormal = s.reports_on("2022-03-10", insts_[0], true);
  ASSERT_EQ(abnormal->size(), 1u);
  EXPECT_EQ((*abnormal)[0].report.temperature_tenths, 381);
  EXPECT_EQ((*abnormal)[0].report.symptoms, "cough");
  EXPECT_EQ((*abnormal)[0].report.location, "家中\t幸福小区");
  EXPECT_EQ((*abnormal)[0].report.reporter, "parent");
  EXPECT_EQ(s.reports_on("2022-03-10", 0, false)->size(), 3u);

  // A correction keeps the earlier version.
  ScreeningReport fix = report(people_[1], "2022-03-10", 366);
  fix.actor = "teacher2";
  fix.reported_at = "2022-03-10T02:00:00.000Z";
  EXPECT_EQ(s.correct_report(fix, 2).status().code(), Status::Code::conflict);
  auto fixed = s.correct_report(fix, 1);
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  EXPECT_EQ(fixed->version, 2);
  EXPECT_EQ(s.correct_report(report(people_[2], "2022-03-10", 366), 0).status().code(),
            Status::Code::not_found);
  auto history = s.report_history(people_[1], "2022-03-10");
  ASSERT_TRUE(history.ok()) << history.status().message();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].version, 2);
  EXPECT_EQ((*history)[0].temperature_tenths, 366);
  EXPECT_FALSE((*history)[0].abnormal);
  EXPECT_EQ((*history)[1].version, 1);
  EXPECT_EQ((*history)[1].temperature_tenths, 381);
  EXPECT_TRUE((*history)[1].abnormal);
  EXPECT_EQ((*history)[1].replaced_by, "teacher2");
  EXPECT_EQ((*history)[1].actor, "teacher1");
  EXPECT_EQ((*s.day_counts("2022-03-10"))[0].abnormal, 0);

  auto t = s.totals({});
  EXPECT_EQ(s.totals({insts_[1]})->reports, 1);
  EXPECT_EQ(t->reports, 3);
  EXPECT_EQ(t->people, 3);
  EXPECT_EQ(t->days, 1);
  EXPECT_EQ(t->abnormal, 0);
  EXPECT_EQ(t->corrections, 1);

  std::vector<std::string> kinds;
  auto changes = store_->changes_after(0, 100);
  for (const auto& c : *changes) kinds.push_back(c.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"screening.home_bound", "screening.reported",
                                             "screening.corrected"}));
}

TEST_P(ScreeningContract, SymptomaticKeyPeopleAndHomeKeyPeopleAreHomeBound) {
  KeyPersonRecord k;
  k.person_id = people_[3];
  k.category = "symptomatic";
  k.policy_id = "screening";
  k.first_exposure = 1646870400;  // 2022-03-10 08:00 Shanghai
  k.quarantine_kind = "home_monitoring";
  k.start_at = 1646870400;
  k.planned_end = 1647129600;  // 2022-03-13 08:00
  k.plan = "[]";
  auto id = store_->tracking().add_key_person(k, "cli");
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(store_->tracking().add_key_person(k, "cli").status().code(),
            Status::Code::already_exists);
  KeyPersonFilter f;
  f.category = "symptomatic";
  auto rows = store_->tracking().list_key_people(f);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].case_id, 0);
  EXPECT_EQ((*rows)[0].status, "quarantined");

  auto& s = store_->screening();
  auto added = s.sync_home_key_people("cli");
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(*added, 1);
  EXPECT_EQ(*s.sync_home_key_people("cli"), 0);
  auto on = s.home_bound_on("2022-03-13", 0);
  ASSERT_EQ(on->size(), 1u);
  EXPECT_EQ((*on)[0].source, "tracking");
  EXPECT_EQ((*on)[0].from_date, "2022-03-10");
  EXPECT_TRUE(s.home_bound_on("2022-03-14", 0)->empty());
  auto kinds = store_->changes_after(0, 100);
  EXPECT_EQ(kinds->front().kind, "tracking.added");
  EXPECT_EQ(kinds->front().institution_id, insts_[0]);
}

INSTANTIATE_TEST_SUITE_P(Backends, ScreeningContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fx::store
