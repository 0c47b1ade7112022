// Home-bound screening against a real SQLite file: marking, reports (single,
// batch, file), every bad input with nothing half-stored, corrections with
// history, scope, the day's table and lists, abnormal → tracking, figures.
#include "app/screening.h"

#include <gtest/gtest.h>

#include <map>

#include "../../tests/test_support.h"
#include "app/imports.h"
#include "app/screening_generate.h"
#include "app/tracking_table.h"

namespace fx::app {
namespace {

using fx::testing::TempDir;

constexpr const char* kDay = "2022-03-10";

Caller school(int64_t inst) {
  Caller c;
  c.username = "school";
  c.role = Role::institution;
  c.institutions = {inst};
  c.permissions = permissions_of(Role::institution, "");
  return c;
}

class ScreeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_store(dir_.file("fx.db"), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    const std::string data = testing::source_dir() + "/tests/data/rounds/";
    ASSERT_TRUE(import_institutions(*store_, data + "institutions.csv").ok());
    ASSERT_TRUE(import_roster(*store_, vault_, data + "roster.csv").ok());
    auto insts = store_->list_institutions();  // kept: ranged-for over *temp dangles
    for (const auto& i : *insts) inst_[i.code] = i.id;
    store_->for_each_person_digest(
        [&](const store::PersonDigest& d) { person_[d.person_code] = d.id; });
    // S001–S004 (A01) and S008 (B02) home-bound 10–12 March.
    std::vector<HomeBoundInput> marks;
    for (const char* code : {"S001", "S002", "S003", "S004", "S008"})
      marks.push_back({code, person_[code], "2022-03-10", "2022-03-12", "密接家属"});
    auto w = mark_home_bound(*store_, cli(), marks, "api");
    ASSERT_TRUE(w.ok()) << w.status().message();
    ASSERT_TRUE(w->problems.empty()) << w->problems.front().reason;
  }
  static Caller cli() { return cli_caller("test"); }
  ReportInput report(const std::string& code, const std::string& temp = "36.5") {
    ReportInput r;
    r.where = code;
    r.person_id = person_[code];
    r.day = kDay;
    r.temperature = temp;
    r.location = "家中";
    r.at_home = "是";
    r.reporter = "家长";
    return r;
  }
  long reports_on_day() {
    return static_cast<long>(store_->screening().reports_on(kDay, 0, false)->size());
  }
  std::string fields(const ScreeningWrite& w) {
    std::string out;
    for (const auto& p : w.problems) out += p.where + "." + p.field + " ";
    return out;
  }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(3);
  std::unique_ptr<store::Store> store_;
  std::map<std::string, int64_t> inst_, person_;
};

TEST_F(ScreeningTest, BadInputIsListedByItemAndFieldAndNothingIsStored) {
  std::vector<ReportInput> batch = {report("S001")};
  batch.push_back(report("S002", "60"));          // out of range
  batch.push_back(report("S003", "三十六度五"));  // text in a number field
  batch.push_back(report("S005"));                // on the roster, not home-bound
  auto unknown = report("S004");
  unknown.person_id = 99999;  // nobody
  batch.push_back(unknown);
  auto odd = report("S004");
  odd.symptoms = "头晕";
  odd.at_home = "也许";
  odd.reporter = "邻居";
  odd.day = "2022-02-30";
  batch.push_back(odd);
  auto w = submit_reports(*store_, cli(), batch, kDay);
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(w->stored, 0);
  EXPECT_EQ(fields(*w),
            "S002.temperature S003.temperature S004.day S004.symptoms S004.at_home "
            "S004.reporter S005.person S004.person ");
  EXPECT_NE(w->problems[0].reason.find("34.0–42.5"), std::string::npos);
  EXPECT_NE(w->problems[1].reason.find("number"), std::string::npos);
  EXPECT_NE(w->problems[6].reason.find("not home-bound"), std::string::npos);
  EXPECT_EQ(reports_on_day(), 0);  // S001 was fine, and still not stored

  // A future day, and a temperature with two decimals.
  auto future = report("S001");
  future.day = "2022-03-11";
  auto fine = report("S002");
  fine.temperature_number = 36.55;
  w = submit_reports(*store_, cli(), {future, fine}, kDay);
  EXPECT_EQ(fields(*w), "S001.day S002.temperature ");
}

TEST_F(ScreeningTest, DuplicateIsRefusedAndACorrectionKeepsHistory) {
  auto w = submit_reports(*store_, cli(), {report("S001"), report("S002", "37.8")}, kDay);
  ASSERT_TRUE(w.ok() && w->problems.empty()) << fields(*w);
  EXPECT_EQ(w->stored, 2);
  EXPECT_EQ(w->abnormal, 1);
  // The same person again, alone or twice in one batch: refused with a pointer to corrections.
  w = submit_reports(*store_, cli(), {report("S001", "36.6")}, kDay);
  ASSERT_EQ(w->problems.size(), 1u);
  EXPECT_EQ(w->problems[0].field, "day");
  EXPECT_NE(w->problems[0].reason.find("corrections"), std::string::npos);
  w = submit_reports(*store_, cli(), {report("S003"), report("S003")}, kDay);
  EXPECT_EQ(fields(*w), "S003.day ");
  EXPECT_EQ(reports_on_day(), 2);

  auto fixed = correct_report(*store_, cli(), report("S002", "36.9"), 1, kDay);
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  EXPECT_EQ(fixed->version, 2);
  EXPECT_FALSE(fixed->abnormal);
  EXPECT_EQ(correct_report(*store_, cli(), report("S002", "37.0"), 1, kDay).status().code(),
            Status::Code::conflict);
  EXPECT_EQ(correct_report(*store_, cli(), report("S002", "60"), 0, kDay).status().code(),
            Status::Code::invalid_argument);
  EXPECT_EQ(correct_report(*store_, cli(), report("S003"), 0, kDay).status().code(),
            Status::Code::not_found);
  auto h = screening_history(*store_, cli(), person_["S002"], kDay);
  ASSERT_TRUE(h.ok()) << h.status().message();
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].temperature_tenths, 369);
  EXPECT_EQ((*h)[1].temperature_tenths, 378);
  EXPECT_TRUE((*h)[1].abnormal);
}

TEST_F(ScreeningTest, AnInstitutionSeesAndReportsOnlyItsOwnPeople) {
  Caller a = school(inst_["A01"]);
  auto w = submit_reports(*store_, a, {report("S001"), report("S008")}, kDay);
  EXPECT_EQ(fields(*w), "S008.person ");  // B02's person is unknown to A01
  EXPECT_EQ(w->problems[0].reason, "没有此人 (unknown person)");
  w = submit_reports(*store_, a, {report("S001")}, kDay);
  EXPECT_EQ(w->stored, 1);
  w = submit_reports(*store_, cli(), {report("S008", "38.2")}, kDay);
  EXPECT_EQ(w->stored, 1);

  auto day = screening_day(*store_, a, kDay);
  ASSERT_EQ(day->rows.size(), 1u);
  EXPECT_EQ(day->rows[0].code, "A01");
  EXPECT_EQ(day->total.due, 4);
  auto list = screening_list(*store_, a, kDay, "abnormal", "");
  EXPECT_TRUE(list->people.empty());
  EXPECT_EQ(screening_list(*store_, a, kDay, "reports", "B02").status().code(),
            Status::Code::not_found);
  EXPECT_EQ(screening_history(*store_, a, person_["S008"], kDay).status().code(),
            Status::Code::not_found);
  EXPECT_EQ(correct_report(*store_, a, report("S008"), 0, kDay).status().code(),
            Status::Code::not_found);
  std::vector<HomeBoundInput> other = {{"x", person_["S009"], kDay, kDay, ""}};
  EXPECT_EQ(fields(*mark_home_bound(*store_, a, other, "api")), "x.person ");
  // A viewer reads the table but may not report.
  Caller viewer;
  viewer.role = Role::viewer;
  viewer.all_institutions = true;
  viewer.permissions = permissions_of(Role::viewer, "");
  EXPECT_TRUE(screening_day(*store_, viewer, kDay).ok());
  EXPECT_EQ(submit_reports(*store_, viewer, {report("S001")}, kDay).status().code(),
            Status::Code::permission_denied);
  EXPECT_EQ(screening_list(*store_, viewer, kDay, "abnormal", "").status().code(),
            Status::Code::permission_denied);
}

TEST_F(ScreeningTest, TableListsAbnormalToTrackingAndFigures) {
  auto sick = report("S003", "36.8");
  sick.symptoms = "咳嗽、咽痛";
  auto out = report("S004");
  out.at_home = "否";
  auto w =
      submit_reports(*store_, cli(), {report("S001"), report("S002", "37.3"), sick, out}, kDay);
  ASSERT_TRUE(w.ok() && w->problems.empty()) << fields(*w);
  EXPECT_EQ(w->abnormal, 3);

  auto day = screening_day(*store_, cli(), kDay);
  ASSERT_TRUE(day.ok()) << day.status().message();
  ASSERT_EQ(day->rows.size(), 2u);
  EXPECT_EQ(day->rows[0].code, "A01");
  EXPECT_EQ(day->rows[0].due, 4);
  EXPECT_EQ(day->rows[0].reported, 4);
  EXPECT_EQ(day->rows[0].abnormal, 3);
  EXPECT_EQ(day->rows[1].not_reported(), 1);
  EXPECT_DOUBLE_EQ(day->total.rate(), 80.0);
  EXPECT_NE(screening_day_json(*day).find("\"not_reported\":1"), std::string::npos);

  auto missing = screening_list(*store_, cli(), kDay, "not_reported", "");
  ASSERT_EQ(missing->people.size(), 1u);
  EXPECT_EQ(missing->people[0].person_code, "S008");
  auto abnormal = screening_list(*store_, cli(), kDay, "abnormal", "A01");
  ASSERT_EQ(abnormal->people.size(), 3u);
  EXPECT_EQ(abnormal->people[1].report.symptoms, "cough,sore_throat");

  // Only an abnormal report puts a person on the tracking table.
  EXPECT_EQ(track_abnormal(*store_, cli(), person_["S001"], kDay).status().code(),
            Status::Code::invalid_argument);
  EXPECT_EQ(track_abnormal(*store_, school(inst_["A01"]), person_["S003"], kDay).status().code(),
            Status::Code::permission_denied);
  auto key = track_abnormal(*store_, cli(), person_["S003"], kDay);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(track_abnormal(*store_, cli(), person_["S003"], kDay).status().code(),
            Status::Code::already_exists);
  TrackingQuery q;
  auto table = tracking_table(*store_, cli(), q);
  ASSERT_TRUE(table.ok()) << table.status().message();
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(table->rows[0].key.category, "symptomatic");
  EXPECT_EQ(table->rows[0].key.quarantine_kind, "home_monitoring");
  abnormal = screening_list(*store_, cli(), kDay, "abnormal", "A01");
  EXPECT_NE(screening_list_json(*abnormal).find("\"on_tracking\":true"), std::string::npos);

  // Exports: the table and the lists as spreadsheets.
  EXPECT_TRUE(export_screening_day(*day, dir_.file("day.xlsx")).ok());
  EXPECT_TRUE(export_screening_list(*abnormal, dir_.file("abnormal.csv")).ok());
  std::string csv = testing::read_file(dir_.file("abnormal.csv"));
  EXPECT_NE(csv.find("咳嗽、咽痛"), std::string::npos);
  EXPECT_NE(csv.find("37.3"), std::string::npos);

  ASSERT_TRUE(correct_report(*store_, cli(), report("S001", "36.6"), 0, kDay).ok());
  auto f = screening_figures(*store_, cli(), kDay);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->totals.reports, 4);
  EXPECT_EQ(f->totals.corrections, 1);
  EXPECT_EQ(f->today.total.due, 5);
  auto af = screening_figures(*store_, school(inst_["B02"]), kDay);
  EXPECT_EQ(af->totals.reports, 0);

  // Reading the lists and the history left audit entries; they name no person.
  auto audit = store_->accounts().list_audit({});
  ASSERT_TRUE(audit.ok());
  int reads = 0;
  for (const auto& e : *audit) reads += e.action == "screening.read";
  EXPECT_EQ(reads, 3);  // not_reported, abnormal, abnormal again
}

TEST_F(ScreeningTest, FileFromAClassTeacherAllOrNothing) {
  const std::string bad = dir_.file("bad.csv");
  testing::write_file(bad,
                      "学号/工号,日期,体温,症状,是否在家,填报人\n"
                      "S001,2022-03-10,36.5,,是,家长\n"
                      "S002,2022-03-10,abc,,是,家长\n"
                      "S777,2022-03-10,36.5,,是,家长\n");
  auto w = import_screening_file(*store_, vault_, school(inst_["A01"]), "reports", bad, "bad.csv");
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(w->stored, 0);
  ASSERT_EQ(w->problems.size(), 2u);
  EXPECT_EQ(w->problems[0].where, "第4行 (row 4)");
  EXPECT_EQ(w->problems[0].field, "学号/工号");
  EXPECT_EQ(w->problems[1].where, "第3行 (row 3)");
  EXPECT_EQ(w->problems[1].field, "体温");
  EXPECT_EQ(reports_on_day(), 0);

  const std::string good = dir_.file("good.csv");
  testing::write_file(good,
                      "学号/工号,日期,体温,症状,是否在家,填报人\n"
                      "S001,2022-03-10,36.5,,是,家长\n"
                      "S002,2022/3/10,37.5℃,咳嗽,是,本人\n");
  w = import_screening_file(*store_, vault_, school(inst_["A01"]), "reports", good, "good.csv");
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_TRUE(w->problems.empty()) << fields(*w);
  EXPECT_EQ(w->stored, 2);
  EXPECT_EQ(w->abnormal, 1);

  const std::string home = dir_.file("home.csv");
  testing::write_file(home,
                      "学号/工号,开始日期,结束日期,原因\nS005,2022-03-10,2022-03-09,家属隔离\n");
  w = import_screening_file(*store_, vault_, school(inst_["A01"]), "home_bound", home, "home.csv");
  EXPECT_EQ(fields(*w), "第2行 (row 2).结束日期 ");
}

TEST_F(ScreeningTest, KeyPeopleAtHomeAreDueAndTheGeneratorAccumulates) {
  ScreeningPlan plan;
  plan.people = 6;
  plan.from = "2022-03-08";
  plan.days = 3;
  plan.reports = true;
  plan.today = kDay;
  plan.report_rate = 1.0;
  auto g = generate_screening(*store_, cli(), plan);
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->home_bound, 6);
  EXPECT_EQ(g->reports, 18);  // 6 people × 3 days, ranges widened into the marked ones
  auto f = screening_figures(*store_, cli(), kDay);
  EXPECT_EQ(f->totals.reports, 18);
  EXPECT_EQ(f->totals.days, 3);
}

}  // namespace
}  // namespace fx::app
