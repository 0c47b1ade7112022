// The teaching and volunteer parts of the store's contract, run on both
// backends like store_tracking_contract_test.cpp: a SQLite file and a fresh
// PostgreSQL database on CTest's `postgres` fixture.
#include <gtest/gtest.h>

#include "store/sealed_person.h"
#include "store/store.h"
#include "tests/pg_test_support.h"
#include "tests/test_support.h"

namespace fx::store {
namespace {

class TeachingContract : public ::testing::TestWithParam<std::string> {
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
      inst.name = "第" + std::to_string(i) + "中学";
      inst_[i] = *(*tx)->insert_institution(inst);
      domain::Unit u;
      u.institution_id = inst_[i];
      u.kind = domain::UnitKind::class_;
      u.name = "一班";
      u.path = "一年级/一班";
      class_[i] = *(*tx)->insert_unit(u);
      const char* roles[] = {"S", "S", "T", "W"};
      for (int n = 0; n < 4; ++n) {
        domain::Person p;
        p.institution_id = inst_[i];
        p.unit_id = n < 2 ? class_[i] : 0;
        p.person_code = std::string(roles[n]) + std::to_string(i) + std::to_string(n);
        p.name = "人" + std::to_string(i) + std::to_string(n);
        p.role = n < 2    ? domain::Role::student
                 : n == 2 ? domain::Role::teacher
                          : domain::Role::staff;
        p.id_kind = domain::IdKind::passport;
        p.id_number = "X" + p.person_code;
        auto id = (*tx)->insert_person(p, seal_person(vault_, p), vault_.hash("row", p.name));
        ASSERT_TRUE(id.ok()) << id.status().message();
        people_[i][n] = *id;
      }
    }
    ASSERT_TRUE((*tx)->commit().ok());
  }

  TeachingWrite one_of_each(int i) {
    TeachingWrite w;
    w.class_days.push_back({0, inst_[i], class_[i], "2022-03-09", 2, 2, "首日", "", "", ""});
    AccessIssueRecord a;
    a.institution_id = inst_[i];
    a.person_id = people_[i][0];
    a.day = "2022-03-09";
    a.problem = "device";
    a.action = "学校借出平板";
    w.access_issues.push_back(a);
    CareRecord c;
    c.institution_id = inst_[i];
    c.person_id = people_[i][1];
    c.category = "left_behind";
    c.teacher_id = people_[i][2];
    w.care.push_back(c);
    SpotCheckRecord s;
    s.institution_id = inst_[i];
    s.person_id = people_[i][0];
    s.caller = "王督导";
    s.called_at = "2022-03-15T02:00:00Z";
    s.satisfaction = 5;
    s.notes = "家长满意\t网课顺利";
    w.spot_checks.push_back(s);
    ActivityRecord d;
    d.level = "district";
    d.kind = "research";
    d.subject = "语文";
    d.day = "2022-03-10";
    d.count = 1;
    w.activities.push_back(d);
    ActivityRecord sc = d;
    sc.level = "school";
    sc.institution_id = inst_[i];
    sc.kind = "observation";
    sc.count = 12;
    w.activities.push_back(sc);
    return w;
  }

  fx::testing::TempDir dir_;
  Vault vault_ = Vault::for_testing(5);
  std::unique_ptr<Store> store_;
  int64_t inst_[2] = {}, class_[2] = {}, people_[2][4] = {};
};

TEST_P(TeachingContract, SavesEveryKindAndReadsItBackJoined) {
  auto ids = store_->teaching().save(one_of_each(0), "admin");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  ASSERT_EQ(ids->size(), 6u);
  auto days = store_->teaching().class_days(inst_[0]);
  ASSERT_TRUE(days.ok()) << days.status().message();
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ((*days)[0].attending, 2);
  EXPECT_EQ((*days)[0].unit_path, "一年级/一班");
  EXPECT_EQ((*days)[0].actor, "admin");
  auto access = store_->teaching().access_issues(0);
  ASSERT_EQ(access->size(), 1u);
  EXPECT_EQ((*access)[0].person_name, "人00");
  EXPECT_FALSE((*access)[0].resolved);
  EXPECT_EQ((*access)[0].id_masked.find("XS00"), std::string::npos);  // masked
  auto care = store_->teaching().care(inst_[0]);
  ASSERT_EQ(care->size(), 1u);
  EXPECT_EQ((*care)[0].teacher_name, "人02");
  EXPECT_EQ((*care)[0].category, "left_behind");
  auto spots = store_->teaching().spot_checks(inst_[0]);
  ASSERT_EQ(spots->size(), 1u);
  EXPECT_EQ((*spots)[0].notes, "家长满意\t网课顺利");
  EXPECT_EQ((*spots)[0].satisfaction, 5);
  // The other institution sees the district's activity but not this school's.
  EXPECT_EQ(store_->teaching().activities(inst_[0])->size(), 2u);
  auto other = store_->teaching().activities(inst_[1]);
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ((*other)[0].level, "district");
  EXPECT_EQ((*other)[0].institution_id, 0);
  EXPECT_TRUE(store_->teaching().class_days(inst_[1])->empty());
  auto changes = store_->changes_after(0, 100);
  ASSERT_FALSE(changes->empty());
  EXPECT_EQ(changes->back().kind, "teaching.saved");
  auto people = store_->teaching().people_of(inst_[1]);
  ASSERT_EQ(people->size(), 4u);
  EXPECT_EQ((*people)[3].role, "staff");
}

TEST_P(TeachingContract, ACorrectionKeepsTheReplacedVersion) {
  ASSERT_TRUE(store_->teaching().save(one_of_each(0), "first").ok());
  TeachingWrite again;
  again.class_days.push_back({0, inst_[0], class_[0], "2022-03-09", 2, 1, "更正", "", "", ""});
  auto ids = store_->teaching().save(again, "second");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  auto days = store_->teaching().class_days(0);
  ASSERT_EQ(days->size(), 1u);  // the same class day, replaced
  EXPECT_EQ((*days)[0].id, (*ids)[0]);
  EXPECT_EQ((*days)[0].attending, 1);
  auto revs = store_->teaching().revisions("class_day", (*ids)[0]);
  ASSERT_TRUE(revs.ok()) << revs.status().message();
  ASSERT_EQ(revs->size(), 1u);
  EXPECT_NE((*revs)[0].previous.find("\"attending\""), std::string::npos);
  EXPECT_NE((*revs)[0].previous.find("首日"), std::string::npos);
  EXPECT_EQ((*revs)[0].actor, "second");
  // A spot check corrected by id.
  auto spot = (*store_->teaching().spot_checks(0))[0];
  spot.satisfaction = 4;
  TeachingWrite fix;
  fix.spot_checks.push_back(spot);
  ASSERT_TRUE(store_->teaching().save(fix, "third").ok());
  EXPECT_EQ((*store_->teaching().spot_checks(0))[0].satisfaction, 4);
  EXPECT_EQ(store_->teaching().revisions("spot_check", spot.id)->size(), 1u);
  // By id into another institution: as if absent.
  spot.institution_id = inst_[1];
  TeachingWrite wrong;
  wrong.spot_checks.push_back(spot);
  EXPECT_EQ(store_->teaching().save(wrong, "x").status().code(), Status::Code::not_found);
}

TEST_P(TeachingContract, ABadRecordStoresNothingOfItsBatch) {
  TeachingWrite w = one_of_each(0);
  w.class_days.push_back({0, inst_[1], class_[1], "2022-03-09", 2, 3, "", "", "", ""});  // 3 > 2
  EXPECT_FALSE(store_->teaching().save(w, "x").ok());
  w = one_of_each(0);
  w.spot_checks[0].satisfaction = 6;
  EXPECT_FALSE(store_->teaching().save(w, "x").ok());
  EXPECT_TRUE(store_->teaching().class_days(0)->empty());
  EXPECT_TRUE(store_->teaching().care(0)->empty());
  EXPECT_TRUE(store_->teaching().spot_checks(0)->empty());
  EXPECT_TRUE(store_->teaching().activities(0)->empty());
}

TEST_P(TeachingContract, ShiftsNeverOverlapAndCorrectionsKeepHistory) {
  auto& v = store_->volunteers();
  auto site = v.add_site({0, "净月宾馆", "hotel", "净月大街1号", "admin", ""});
  ASSERT_TRUE(site.ok()) << site.status().message();
  EXPECT_EQ(v.add_site({0, "净月宾馆", "community", "", "admin", ""}).status().code(),
            Status::Code::already_exists);
  auto shift = [&](int64_t person, int64_t inst, const char* from, const char* to) {
    ShiftRecord s;
    s.person_id = person;
    s.institution_id = inst;
    s.site_id = *site;
    s.role = "核酸检测";
    s.start_at = from;
    s.end_at = to;
    return s;
  };
  auto ids = v.save_shifts(
      {shift(people_[0][3], inst_[0], "2022-03-15T00:00:00Z", "2022-03-15T08:00:00Z"),
       shift(people_[1][3], inst_[1], "2022-03-15T00:00:00Z", "2022-03-15T08:00:00Z")},
      "admin");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  // Overlapping a stored shift, or another in the same batch: nothing stored.
  auto again = v.save_shifts(
      {shift(people_[0][3], inst_[0], "2022-03-16T00:00:00Z", "2022-03-16T08:00:00Z"),
       shift(people_[0][3], inst_[0], "2022-03-15T07:00:00Z", "2022-03-15T09:00:00Z")},
      "admin");
  EXPECT_EQ(again.status().code(), Status::Code::conflict) << again.status().message();
  EXPECT_NE(again.status().message().find("第2条"), std::string::npos);
  auto batch = v.save_shifts(
      {shift(people_[0][3], inst_[0], "2022-03-17T00:00:00Z", "2022-03-17T08:00:00Z"),
       shift(people_[0][3], inst_[0], "2022-03-17T04:00:00Z", "2022-03-17T09:00:00Z")},
      "admin");
  EXPECT_EQ(batch.status().code(), Status::Code::conflict);
  auto backwards = v.save_shifts(
      {shift(people_[0][3], inst_[0], "2022-03-18T08:00:00Z", "2022-03-18T00:00:00Z")}, "admin");
  EXPECT_EQ(backwards.status().code(), Status::Code::invalid_argument);
  EXPECT_EQ(v.shifts(0)->size(), 2u);
  // Back to back is no overlap; a correction of a shift may cover its own time.
  EXPECT_TRUE(v.save_shifts(
                   {shift(people_[0][3], inst_[0], "2022-03-15T08:00:00Z", "2022-03-15T12:00:00Z")},
                   "admin")
                  .ok());
  auto fix = shift(people_[1][3], inst_[1], "2022-03-15T01:00:00Z", "2022-03-15T09:00:00Z");
  fix.id = (*ids)[1];
  ASSERT_TRUE(v.save_shifts({fix}, "lead").ok());
  auto mine = v.shifts(inst_[1]);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].start_at, "2022-03-15T01:00:00Z");
  EXPECT_EQ((*mine)[0].site_name, "净月宾馆");
  EXPECT_EQ((*mine)[0].person_name, "人13");
  auto revs = v.revisions((*ids)[1]);
  ASSERT_EQ(revs->size(), 1u);
  EXPECT_NE((*revs)[0].previous.find("2022-03-15T00:00:00Z"), std::string::npos);
  // Another institution's shift by id: as if absent.
  fix.institution_id = inst_[0];
  EXPECT_EQ(v.save_shifts({fix}, "x").status().code(), Status::Code::not_found);
  EXPECT_EQ(v.shifts(inst_[0])->size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, TeachingContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fx::store
