// The command loop in the app layer, on a real SQLite file: a positive
// individual result opens the case (posted batch and imported file), a pooled
// positive does not, the same positive twice does nothing more, and the
// institutions concerned get one directive each listing exactly their own
// new key people. The small district of tests/data/presence, plus one
// investigator contact across institutions (C01's P02 with A01's S01).
#include "app/auto_confirm.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "../../tests/test_support.h"
#include "app/contact_directives.h"
#include "app/import_presence.h"
#include "app/imports.h"

namespace fx::app {
namespace {

using fx::testing::TempDir;

std::string data(const std::string& name) {
  return fx::testing::source_dir() + "/tests/data/presence/" + name;
}

class AutoConfirmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_store(dir_.file("fx.db"), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ASSERT_TRUE(import_institutions(*store_, data("institutions.csv")).ok());
    auto roster = import_roster(*store_, vault_, data("roster.csv"));
    ASSERT_TRUE(roster.ok()) << roster.status().message();
    // S01 (A01) met P02 (C01) for 30 minutes: a close contact of P02's
    // institution's case in another institution.
    fx::testing::write_file(dir_.file("cross.csv"),
                            "学校代码,人员A,人员B,开始时间,时长(分钟),场景\n"
                            "C01,P02,220102200908080254,2022-03-09 16:00,30,家长会\n");
    for (auto [kind, file] : {std::pair{PresenceKind::timetable, data("timetable.csv")},
                              std::pair{PresenceKind::contacts, data("contacts.csv")},
                              std::pair{PresenceKind::contacts, dir_.file("cross.csv")}}) {
      PresenceImportOptions o;
      o.create_places = true;
      auto r = import_presence(*store_, vault_, kind, file, o);
      ASSERT_TRUE(r.ok()) << r.status().message();
      ASSERT_TRUE(r->base.rejected.empty()) << file << ": " << r->base.rejected[0].reason;
    }
    institution_code_[0] = "";
    auto insts = store_->list_institutions();
    ASSERT_TRUE(insts.ok());
    for (const auto& i : *insts) institution_code_[i.id] = i.code;
  }

  int64_t make_round(int pool) {
    CreateRound req;
    req.name = "第" + std::to_string(++rounds_) + "轮";
    req.date = "2022-03-10";
    req.pool_size = pool;
    auto id = create_round(*store_, req);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }
  void sample(int64_t round, const std::string& tube, const std::vector<std::string>& codes) {
    std::vector<SamplingRecord> recs;
    for (const auto& c : codes) recs.push_back({0, tube, "", c, "C01", "", "", "2022-03-10 08:00"});
    auto r = post_sampling(*store_, vault_, round, recs, "test");
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->imported, static_cast<long>(codes.size()));
  }
  RoundImportReport positive(int64_t round, const std::string& tube) {
    auto r =
        post_results(*store_, round, {{0, tube, "阳性", "lab", "2022-03-10 20:00", ""}}, "lab");
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : RoundImportReport{};
  }
  Result<AutoConfirmed> confirm(const RoundImportReport& report) {
    return confirm_positives(*store_, desk_, cli_caller("test"), report);
  }
  int64_t person(const std::string& code) {
    auto id = resolve_person(*store_, vault_, code);
    EXPECT_TRUE(id.ok()) << code;
    return id.ok() ? *id : 0;
  }
  long cases() {
    auto c = store_->tracking().list_cases();
    return c.ok() ? static_cast<long>(c->size()) : -1;
  }
  // Directives from close contacts: institution code → the people listed.
  std::map<std::string, std::set<int64_t>> contact_directives(int64_t case_id) {
    std::map<std::string, std::set<int64_t>> out;
    auto all = store_->directives().list_all(0);
    EXPECT_TRUE(all.ok());
    for (const auto& d : *all) {
      if (d.source != "close_contacts" || d.source_id != case_id) continue;
      EXPECT_EQ(d.priority, "critical");
      EXPECT_EQ(d.sender_group, "人员管控");
      EXPECT_FALSE(d.deadline.empty());
      auto rows = store_->directives().recipients({d.id, 0, false});
      EXPECT_TRUE(rows.ok());
      EXPECT_EQ(rows->size(), 1u) << "one institution per directive";
      for (const auto& r : *rows) {
        EXPECT_EQ(out.count(institution_code_[r.institution_id]), 0u) << "one per institution";
        out[institution_code_[r.institution_id]].insert(r.people.begin(), r.people.end());
      }
    }
    return out;
  }
  // The case's key people by institution, from the tracking table.
  std::map<std::string, std::set<int64_t>> key_people(int64_t case_id) {
    std::map<std::string, std::set<int64_t>> out;
    auto rows = store_->tracking().list_key_people({});
    EXPECT_TRUE(rows.ok());
    for (const auto& k : *rows) {
      if (k.case_id != case_id) continue;
      auto p = store_->get_person(k.person_id);
      EXPECT_TRUE(p.ok());
      out[institution_code_[p->institution_id]].insert(k.person_id);
    }
    return out;
  }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(5);
  std::unique_ptr<store::Store> store_;
  CaseDesk desk_;
  int rounds_ = 0;
  std::map<int64_t, std::string> institution_code_;
};

TEST_F(AutoConfirmTest, APositiveSingleTubeOpensTheCaseWithContactsAndDirectives) {
  const int64_t round = make_round(1);
  sample(round, "T001", {"P02"});
  auto report = positive(round, "T001");
  ASSERT_EQ(report.positives.size(), 1u);
  EXPECT_EQ(report.positives[0].person_id, person("C01:P02"));
  EXPECT_EQ(report.positives[0].sampled_at, "2022-03-10T00:00:00Z");

  auto done = confirm(report);
  ASSERT_TRUE(done.ok()) << done.status().message();
  ASSERT_EQ(done->cases.size(), 1u);
  const auto& c = done->cases[0];
  EXPECT_EQ(c.policy, "covid-8th");  // in force on 2022-03-10
  EXPECT_TRUE(c.directive_error.empty()) << c.directive_error;
  // The case card: the sample's time, confirmed now.
  auto kase = store_->tracking().get_case(c.case_id);
  ASSERT_TRUE(kase.ok());
  EXPECT_EQ(kase->person_id, person("C01:P02"));
  EXPECT_EQ(kase->sample_time, 1646870400);  // 2022-03-10 08:00 local
  EXPECT_NE(kase->note.find("T001"), std::string::npos) << kase->note;

  // Its contacts are on the tracking table with orders from the policy.
  auto people = key_people(c.case_id);
  ASSERT_TRUE(people.count("C01"));
  ASSERT_TRUE(people.count("A01")) << "S01 met P02 across institutions";
  EXPECT_TRUE(people["A01"].count(person("A01:S01")));
  EXPECT_TRUE(people["C01"].count(person("C01:P01"))) << "classmate and roommate";
  EXPECT_EQ(c.close + c.secondary, static_cast<long>(people["C01"].size() + people["A01"].size()));
  auto rows = store_->tracking().list_key_people({});
  for (const auto& k : *rows) {
    EXPECT_GT(k.planned_end, k.last_exposure);  // the order runs from the last exposure
    EXPECT_NE(k.quarantine_kind, "none");
    EXPECT_FALSE(k.tests.empty());
  }

  // One directive per institution, each listing exactly its own new people.
  EXPECT_EQ(c.directives.size(), 2u);
  EXPECT_EQ(contact_directives(c.case_id), people);
}

TEST_F(AutoConfirmTest, TheSamePositiveTwiceDoesNothingMore) {
  const int64_t round = make_round(1);
  sample(round, "T001", {"P02"});
  auto first = positive(round, "T001");
  auto done = confirm(first);
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->cases.size(), 1u);
  const int64_t case_id = done->cases[0].case_id;
  auto sent = contact_directives(case_id);

  // Posted again: unchanged, no positive to confirm.
  auto again = positive(round, "T001");
  EXPECT_EQ(again.unchanged, 1);
  EXPECT_TRUE(again.positives.empty());
  // The same report confirmed twice: the person is a case already.
  auto twice = confirm(first);
  ASSERT_TRUE(twice.ok());
  EXPECT_TRUE(twice->cases.empty());
  EXPECT_EQ(twice->already_cases, 1);
  EXPECT_EQ(cases(), 1);
  // A second send for the same case (a retry) lists nobody new.
  auto listed = key_people(case_id);
  std::vector<int64_t> all;
  for (const auto& [code, ids] : listed) all.insert(all.end(), ids.begin(), ids.end());
  auto retry = send_contact_directives(*store_, {case_id, all, "test", ""});
  ASSERT_TRUE(retry.ok()) << retry.status().message();
  EXPECT_TRUE(retry->empty());
  EXPECT_EQ(contact_directives(case_id), sent);
}

TEST_F(AutoConfirmTest, APooledPositiveConfirmsNobody) {
  const int64_t round = make_round(5);
  sample(round, "P-1", {"P03", "P05"});
  auto report = positive(round, "P-1");
  EXPECT_EQ(report.imported, 1);
  EXPECT_TRUE(report.positives.empty()) << "the pool needs single-tube re-tests first";
  auto done = confirm(report);
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->cases.empty());
  EXPECT_EQ(cases(), 0);

  // P03's single-tube re-test comes back positive: now P03 is a case.
  sample(round, "R-1", {"P03"});
  auto retest = positive(round, "R-1");
  ASSERT_EQ(retest.positives.size(), 1u);
  EXPECT_EQ(retest.positives[0].person_id, person("C01:P03"));
  auto confirmed = confirm(retest);
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->cases.size(), 1u);
  EXPECT_EQ(cases(), 1);
}

TEST_F(AutoConfirmTest, AnImportedResultsFileOpensTheCaseToo) {
  const int64_t round = make_round(1);
  sample(round, "F-1", {"P06"});
  sample(round, "F-2", {"P04"});
  fx::testing::write_file(dir_.file("results.csv"),
                          "采样管码,检测结果,检测机构,报告时间,Ct值\n"
                          "F-1,阳性,某检测中心,2022-03-10 21:00,28.5\n"
                          "F-2,阴性,某检测中心,2022-03-10 21:00,\n");
  auto dry = import_results(*store_, round, dir_.file("results.csv"), {.dry_run = true});
  ASSERT_TRUE(dry.ok()) << dry.status().message();
  EXPECT_TRUE(dry->positives.empty()) << "a dry run stores nothing, so confirms nothing";
  auto report = import_results(*store_, round, dir_.file("results.csv"));
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_EQ(report->positives.size(), 1u);
  EXPECT_EQ(report->positives[0].person_id, person("C01:P06"));
  auto done = confirm(*report);
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->cases.size(), 1u);
  EXPECT_GT(done->cases[0].close, 0);  // P06 met P01 (contacts.csv)
  EXPECT_EQ(contact_directives(done->cases[0].case_id), key_people(done->cases[0].case_id));
}

TEST_F(AutoConfirmTest, AKeyPersonAlreadyToldIsNotListedAgainByTheNextCase) {
  // P02's case lists P01 (classmate, roommate); P01 then tests positive:
  // P01's own case lists people, but not the ones already close from P02.
  const int64_t round = make_round(1);
  sample(round, "T001", {"P02"});
  auto first = confirm(positive(round, "T001"));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->cases.size(), 1u);
  std::map<int64_t, std::string> before;  // person → category after the first case
  auto after_first = store_->tracking().list_key_people({});
  ASSERT_TRUE(after_first.ok());
  for (const auto& k : *after_first) before[k.person_id] = k.category;
  sample(round, "T002", {"P01"});
  auto second = confirm(positive(round, "T002"));
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->cases.size(), 1u);
  long listed = 0;
  for (const auto& [code, ids] : contact_directives(second->cases[0].case_id))
    for (int64_t id : ids) {
      ++listed;
      auto it = before.find(id);
      if (it == before.end()) continue;  // new to the table
      // Listed again only when it moved up from secondary to close.
      EXPECT_EQ(it->second, "secondary") << id;
      auto rows = store_->tracking().list_key_people({.person_ids = {id}});
      ASSERT_EQ(rows->size(), 1u);
      EXPECT_EQ((*rows)[0].category, "close") << id;
    }
  EXPECT_LT(listed, second->cases[0].close + second->cases[0].secondary)
      << "P02's close contacts were told already";
}

TEST(PolicyInForce, FollowsTheNationalProtocolDates) {
  EXPECT_EQ(policy_in_force(1646870400), "covid-8th");  // 2022-03-10
  EXPECT_EQ(policy_in_force(1656604800), "covid-9th");  // 2022-07-01
}

}  // namespace
}  // namespace fx::app
