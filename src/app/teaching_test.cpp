// Teaching continuity and front-line volunteers against a real SQLite file:
// bad input (each error naming row and field, nothing stored), scope, masks,
// corrections with history, exports read back, and the generated scenario's
// figures printed by the CLI from the system's own tables.
#include "app/teaching.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>

#include "../../tests/test_support.h"
#include "app/imports.h"
#include "app/volunteers.h"
#include "ingest/table.h"

namespace fx::app {
namespace {

using fx::testing::TempDir;

constexpr const char* kInstitutions =
    "学校代码,学校名称,学校类型\nS01,净月一中,中学\nS02,净月二中,中学\n";
constexpr const char* kRoster =
    "学校代码,姓名,证件类型,证件号码,学号/工号,人员类别,校区,部门,年级,班级\n"
    "S01,学生甲,护照,E10000001,P01,学生,本部,,初一,初一1班\n"
    "S01,学生乙,护照,E10000002,P02,学生,本部,,初一,初一1班\n"
    "S01,学生丙,护照,E10000003,P03,学生,本部,,初一,初一2班\n"
    "S01,教师甲,护照,E10000004,T01,教师,本部,教务处,,\n"
    "S01,职工甲,护照,E10000005,W01,职工,本部,后勤处,,\n"
    "S02,学生丁,护照,E10000006,P01,学生,本部,,初二,初二1班\n"
    "S02,教师乙,护照,E10000007,T01,教师,本部,教务处,,\n"
    "S02,职工乙,护照,E10000008,W01,职工,本部,后勤处,,\n";

InputRow row(long n, std::map<std::string, std::string> f) { return {n, std::move(f)}; }

class TeachingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_store(dir_.file("fx.db"), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    testing::write_file(dir_.file("i.csv"), kInstitutions);
    testing::write_file(dir_.file("r.csv"), kRoster);
    ASSERT_TRUE(import_institutions(*store_, dir_.file("i.csv")).ok());
    auto r = import_roster(*store_, vault_, dir_.file("r.csv"));
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->imported, 8) << (r->rejected.empty() ? "" : r->rejected[0].reason);
    auto institutions = store_->list_institutions();  // kept alive for the loop
    ASSERT_TRUE(institutions.ok());
    for (const auto& i : *institutions) inst_[i.code] = i.id;
  }
  Caller school(const std::string& code) {
    Caller c;
    c.username = "school-" + code;
    c.role = Role::institution;
    c.institutions = {inst_[code]};
    c.permissions = permissions_of(Role::institution, "");
    return c;
  }
  Caller group(const std::string& name) {
    Caller c;
    c.username = name;
    c.role = Role::group;
    c.task_group = name;
    c.all_institutions = true;
    c.permissions = permissions_of(Role::group, name);
    return c;
  }
  std::string error_of(TeachingKind k, const Caller& c, const std::vector<InputRow>& rows) {
    auto r = save_teaching(*store_, c, k, rows);
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.status().message();
  }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(9);
  std::unique_ptr<store::Store> store_;
  std::map<std::string, int64_t> inst_;
};

TEST_F(TeachingTest, BadAttendanceNamesRowAndFieldAndStoresNothing) {
  const Caller s01 = school("S01");
  auto good =
      row(1, {{"class", "初一1班"}, {"day", "2022-03-09"}, {"expected", "2"}, {"attending", "2"}});
  std::string m = error_of(
      TeachingKind::attendance, s01,
      {good,
       row(2, {{"class", "初一2班"}, {"day", "2022-03-09"}, {"expected", "1"}, {"attending", "3"}}),
       row(3, {{"class", "初二1班"}, {"day", "2022-03-09"}, {"expected", "1"}, {"attending", "1"}}),
       row(4,
           {{"class", "初一2班"}, {"day", "2022-03-10"}, {"expected", "十"}, {"attending", "1"}}),
       row(5, {{"institution", "S02"},
               {"class", "初二1班"},
               {"day", "2022-03-09"},
               {"expected", "1"},
               {"attending", "1"}}),
       row(6, {{"class", "初一2班"}, {"day", "2022-02-30"}, {"expected", "1"}, {"attending", "1"}}),
       row(7, {{"class", "初一1班"}, {"day", "2022-03-09"}, {"expected", "2"}, {"attending", "1"}}),
       row(8, {{"clas", "初一1班"}})});
  EXPECT_NE(m.find("第2行 attending: 在线人数 3 大于应到人数 1"), std::string::npos) << m;
  EXPECT_NE(m.find("第3行 class: 本校没有班级 “初二1班”"), std::string::npos) << m;  // S02's class
  EXPECT_NE(m.find("第4行 expected: 应为"), std::string::npos) << m;
  EXPECT_NE(m.find("第5行 institution: 没有学校 S02"), std::string::npos) << m;  // out of scope
  EXPECT_NE(m.find("第6行 day: 不是日期"), std::string::npos) << m;
  EXPECT_NE(m.find("第7行 class: 与本批前面的行重复"), std::string::npos) << m;
  EXPECT_NE(m.find("第8行 clas: 未知的字段"), std::string::npos) << m;
  EXPECT_NE(m.find("未保存任何记录"), std::string::npos);
  EXPECT_TRUE(store_->teaching().class_days(0)->empty());  // the good row was not stored either

  auto ids = save_teaching(*store_, s01, TeachingKind::attendance, {good});
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  // A correction of the same class day keeps the old version.
  auto fixed = good;
  fixed.fields["attending"] = "1";
  auto again = save_teaching(*store_, s01, TeachingKind::attendance, {fixed});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0], (*ids)[0]);
  auto hist = teaching_history(*store_, s01, TeachingKind::attendance, (*ids)[0]);
  ASSERT_TRUE(hist.ok()) << hist.status().message();
  ASSERT_EQ(hist->size(), 1u);
  EXPECT_NE((*hist)[0].previous.find("\"attending\":2"), std::string::npos) << (*hist)[0].previous;
  // Another school cannot see that history, nor correct the record by id.
  EXPECT_EQ(
      teaching_history(*store_, school("S02"), TeachingKind::attendance, (*ids)[0]).status().code(),
      Status::Code::not_found);
  auto by_id = row(1, {{"id", std::to_string((*ids)[0])},
                       {"class", "初二1班"},
                       {"day", "2022-03-09"},
                       {"expected", "1"},
                       {"attending", "1"}});
  EXPECT_EQ(
      save_teaching(*store_, school("S02"), TeachingKind::attendance, {by_id}).status().code(),
      Status::Code::not_found);
}

TEST_F(TeachingTest, SpotChecksCareAndAccessCheckEveryField) {
  const Caller s01 = school("S01");
  std::string m = error_of(TeachingKind::spot_checks, s01,
                           {row(1, {{"student", "P01"},
                                    {"caller", "王督导"},
                                    {"called_at", "2022-03-15 10:00"},
                                    {"satisfaction", "0"}}),
                            row(2, {{"student", "P01"},
                                    {"caller", "王督导"},
                                    {"called_at", "2022-03-15 10:00"},
                                    {"satisfaction", "6"}}),
                            row(3, {{"student", "P09"},
                                    {"caller", "王督导"},
                                    {"called_at", "明天"},
                                    {"satisfaction", "很好"}}),
                            row(4, {{"student", "T01"},
                                    {"caller", ""},
                                    {"called_at", "2022-03-15 10:00"},
                                    {"satisfaction", "5"}})});
  EXPECT_NE(m.find("第1行 satisfaction: 应为 1–5 的整数"), std::string::npos) << m;
  EXPECT_NE(m.find("第2行 satisfaction"), std::string::npos) << m;
  EXPECT_NE(m.find("第3行 student: 本校没有学号/工号 P09"), std::string::npos) << m;
  EXPECT_NE(m.find("第3行 called_at: 无法识别的时间"), std::string::npos) << m;
  EXPECT_NE(m.find("第3行 satisfaction"), std::string::npos) << m;
  EXPECT_NE(m.find("第4行 student: T01 不是学生"), std::string::npos) << m;
  EXPECT_NE(m.find("第4行 caller: 必填"), std::string::npos) << m;
  m = error_of(TeachingKind::care, s01,
               {row(1, {{"student", "P01"}, {"category", "孤儿"}}),
                row(2, {{"student", "P02"}, {"category", "留守儿童"}, {"teacher", "W01"}})});
  EXPECT_NE(m.find("第1行 category: 应为"), std::string::npos) << m;
  EXPECT_NE(m.find("第2行 teacher: W01 不是教师"), std::string::npos) << m;
  m = error_of(
      TeachingKind::access, s01,
      {row(
          1,
          {{"student", "P01"}, {"day", "2022-03-09"}, {"problem", "停电"}, {"resolved", "也许"}})});
  EXPECT_NE(m.find("第1行 problem"), std::string::npos) << m;
  EXPECT_NE(m.find("第1行 resolved"), std::string::npos) << m;
  // District-level activities are for district-wide callers.
  m = error_of(TeachingKind::activities, s01,
               {row(1, {{"level", "区级"}, {"kind", "教研"}, {"day", "2022-03-10"}})});
  EXPECT_NE(m.find("第1行 level"), std::string::npos) << m;
  EXPECT_TRUE(store_->teaching().spot_checks(0)->empty());
  EXPECT_TRUE(store_->teaching().care(0)->empty());
}

TEST_F(TeachingTest, ScopeMasksAndTheTeachingGroup) {
  ASSERT_TRUE(
      save_teaching(*store_, school("S01"), TeachingKind::care,
                    {row(1, {{"student", "P01"}, {"category", "困难家庭"}, {"teacher", "T01"}})})
          .ok());
  ASSERT_TRUE(save_teaching(*store_, school("S02"), TeachingKind::care,
                            {row(1, {{"student", "P01"}, {"category", "学困生"}})})
                  .ok());
  auto mine = load_teaching(*store_, school("S01"), TeachingKind::care, {});
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->care.size(), 1u);
  EXPECT_EQ(mine->care[0].person_name, "学生甲");
  EXPECT_EQ(mine->care[0].teacher_name, "教师甲");
  const std::string j = teaching_list_json(*mine, TeachingKind::care);
  EXPECT_EQ(j.find("E10000001"), std::string::npos) << j;  // masked
  EXPECT_EQ(j.find("学生丁"), std::string::npos);
  EXPECT_EQ(load_teaching(*store_, school("S01"), TeachingKind::care, {"S02", ""}).status().code(),
            Status::Code::not_found);
  // 教学保障 sees every school; 物资保障 has no teaching lists, only figures.
  auto all = load_teaching(*store_, group("教学保障"), TeachingKind::care, {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->care.size(), 2u);
  EXPECT_EQ(load_teaching(*store_, group("物资保障"), TeachingKind::care, {}).status().code(),
            Status::Code::permission_denied);
  auto f = teaching_figures(*store_, group("物资保障"), {});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->care, 2);
  EXPECT_EQ(f->care_with_teacher, 1);
  // Every read of the list is audited.
  store::AuditQuery q;
  q.action = "teaching.read";
  auto audit = store_->accounts().list_audit(q);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->size(), 2u);
  // The export reads back.
  ASSERT_TRUE(export_teaching_list(*all, TeachingKind::care, dir_.file("care.xlsx")).ok());
  auto t = ingest::open_table(dir_.file("care.xlsx"));
  ASSERT_TRUE(t.ok());
  ingest::Row r;
  int rows = 0;
  bool named = false;
  while ((*t)->next(r)) {
    ++rows;
    for (const auto& c : r.cells) named |= c.text == "学生丁";
  }
  EXPECT_EQ(rows, 4);  // title, header, two entries
  EXPECT_TRUE(named);
}

TEST_F(TeachingTest, ShiftsStaffOnlyNoOverlapsHoursAndWhoIsWhereNow) {
  const Caller dispatch = group("综合调度");
  EXPECT_EQ(add_volunteer_site(*store_, school("S01"), "净月宾馆", "隔离宾馆", "").status().code(),
            Status::Code::permission_denied);
  ASSERT_TRUE(add_volunteer_site(*store_, dispatch, "净月宾馆", "隔离宾馆", "").ok());
  ASSERT_TRUE(add_volunteer_site(*store_, dispatch, "一号检测点", "test_site", "").ok());
  auto shift = [](long n, const char* inst, const char* person, const char* site, const char* from,
                  const char* to) {
    return row(n, {{"institution", inst},
                   {"person", person},
                   {"site", site},
                   {"role", "核酸检测"},
                   {"start", from},
                   {"end", to}});
  };
  auto r =
      save_shifts(*store_, dispatch,
                  {shift(1, "S01", "W01", "净月宾馆", "2022-03-15 08:00", "2022-03-15 16:00"),
                   shift(2, "S01", "W01", "一号检测点", "2022-03-15 15:00", "2022-03-15 20:00"),
                   shift(3, "S01", "P01", "净月宾馆", "2022-03-15 08:00", "2022-03-15 16:00"),
                   shift(4, "S02", "W01", "净月宾馆", "2022-03-16 16:00", "2022-03-16 08:00"),
                   shift(5, "S02", "W09", "某小区", "2022-03-16 08:00", "2022-03-16 16:00"),
                   shift(6, "S02", "W01", "净月宾馆", "三点", "2022-03-16 16:00")});
  ASSERT_FALSE(r.ok());
  const std::string m = r.status().message();
  EXPECT_NE(m.find("第2行 start: 与第1行"), std::string::npos) << m;
  EXPECT_NE(m.find("第3行 person: P01 不是职工"), std::string::npos) << m;
  EXPECT_NE(m.find("第4行 end: 结束时间"), std::string::npos) << m;
  EXPECT_NE(m.find("第5行 person: 本校没有学号/工号 W09"), std::string::npos) << m;
  EXPECT_NE(m.find("第5行 site: 没有站点"), std::string::npos) << m;
  EXPECT_NE(m.find("第6行 start: 无法识别的时间"), std::string::npos) << m;
  EXPECT_TRUE(store_->volunteers().shifts(0)->empty());

  auto ok =
      save_shifts(*store_, dispatch,
                  {shift(1, "S01", "W01", "净月宾馆", "2022-03-15 08:00", "2022-03-15 16:00"),
                   shift(2, "S01", "W01", "一号检测点", "2022-03-16 08:00", "2022-03-16 16:00"),
                   shift(3, "S02", "W01", "净月宾馆", "2022-03-15 12:00", "2022-03-15 20:00")});
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  // Against a stored shift.
  auto clash =
      save_shifts(*store_, dispatch,
                  {shift(7, "S01", "W01", "净月宾馆", "2022-03-15 15:00", "2022-03-15 17:00")});
  ASSERT_FALSE(clash.ok());
  EXPECT_NE(clash.status().message().find("第7行 start: 与已有班次"), std::string::npos)
      << clash.status().message();
  // A school cannot manage shifts; it sees its own people's.
  EXPECT_EQ(
      save_shifts(*store_, school("S01"),
                  {shift(1, "S01", "W01", "净月宾馆", "2022-03-20 08:00", "2022-03-20 16:00")})
          .status()
          .code(),
      Status::Code::permission_denied);
  auto b = volunteer_board(*store_, school("S01"), {"", "2022-03-16 12:00"});
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->shifts.size(), 2u);
  EXPECT_EQ(b->people_deployed, 1);
  EXPECT_DOUBLE_EQ(b->hours, 12.0);  // 8 h on the 15th, 4 h so far on the 16th
  ASSERT_EQ(b->on_duty.size(), 1u);
  EXPECT_EQ(b->on_duty[0].site_name, "一号检测点");
  auto all = volunteer_figures(*store_, group("物资保障"), {"", "2022-03-17 00:00"});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->people_deployed, 2);
  EXPECT_DOUBLE_EQ(all->hours, 24.0);
  EXPECT_TRUE(all->people.empty());  // figures carry no names
  const std::string fj = volunteer_board_json(*all, false);
  EXPECT_EQ(fj.find("职工"), std::string::npos) << fj;
  // Correcting a shift keeps the old one.
  auto fix = shift(1, "S02", "W01", "净月宾馆", "2022-03-15 13:00", "2022-03-15 21:00");
  fix.fields["id"] = std::to_string((*ok)[2]);
  ASSERT_TRUE(save_shifts(*store_, dispatch, {fix}).ok());
  auto hist = shift_history(*store_, dispatch, (*ok)[2]);
  ASSERT_TRUE(hist.ok());
  ASSERT_EQ(hist->size(), 1u);
  EXPECT_EQ(shift_history(*store_, school("S01"), (*ok)[2]).status().code(),
            Status::Code::not_found);
  ASSERT_TRUE(export_volunteers(*b, "people", dir_.file("people.csv")).ok());
  EXPECT_NE(testing::read_file(dir_.file("people.csv")).find("职工甲"), std::string::npos);
}

// The done-when through the built binary: a generated district, the
// scenario, and the figures the CLI prints from the tables.
TEST(TeachingCliTest, GeneratedScenarioFiguresComeFromTheTables) {
  TempDir dir;
  std::string bin = testing::fangxian_binary(), db = " --db " + dir.file("fx.db");
  auto run = [&](const std::string& args, int want = 0) {
    std::string out_file = dir.file("out.txt");
    int rc = std::system((bin + db + " " + args + " > " + out_file + " 2>&1").c_str());
    EXPECT_EQ(WEXITSTATUS(rc), want) << args << "\n" << testing::read_file(out_file);
    return testing::read_file(out_file);
  };
  std::string d = dir.file("district");
  run("sim district --people 8000 --out " + d + " --no-xlsx --no-gb18030");
  run("import institutions " + d + "/institutions.csv");
  run("import roster " + d + "/roster.csv");
  const std::string summary = run("sim teaching");
  EXPECT_NE(summary.find("电话抽查 468"), std::string::npos) << summary;
  auto f = boost::json::parse(run("teaching figures --json"));
  EXPECT_EQ(f.at("spot_checks").as_int64(), 468);
  EXPECT_EQ(f.at("satisfied").as_int64(), 468);
  EXPECT_DOUBLE_EQ(f.at("satisfaction_rate").as_double(), 100.0);
  EXPECT_EQ(f.at("first_day").as_string(), "2022-03-09");
  EXPECT_GT(f.at("classes").as_int64(), 50);
  EXPECT_EQ(f.at("classes_online_first_day").as_int64(), f.at("classes").as_int64());
  EXPECT_EQ(f.at("care_with_teacher").as_int64(), f.at("care").as_int64());
  EXPECT_GT(f.at("care").as_int64(), 0);
  EXPECT_EQ(f.at("access_resolved").as_int64(), f.at("access_issues").as_int64());
  const auto& acts = f.at("activities");
  EXPECT_EQ(acts.at("district/research").as_int64(), 34);
  EXPECT_EQ(acts.at("school/research").as_int64(), 58);
  EXPECT_EQ(acts.at("district/observation").as_int64(), 506);
  EXPECT_EQ(acts.at("school/preparation").as_int64(), 85);
  EXPECT_EQ(acts.at("district/training").as_int64(), 19);
  // Coverage: every class reported; attending is the tables' sum, below expected by the absences.
  const int64_t expected = f.at("expected").as_int64(), attending = f.at("attending").as_int64();
  EXPECT_GT(expected, 6000);
  EXPECT_LE(attending, expected);
  EXPECT_GT(attending, expected * 99 / 100);
  auto v = boost::json::parse(run("volunteers figures --json --now '2022-04-01 00:00'"));
  EXPECT_EQ(v.at("people_deployed").as_int64(), 212);
  EXPECT_DOUBLE_EQ(v.at("hours").as_double(), 212 * 3 * 8.0);
  EXPECT_EQ(v.at("on_duty").as_int64(), 0);
  auto during = boost::json::parse(run("volunteers figures --json --now '2022-03-10 12:00'"));
  EXPECT_GT(during.at("on_duty").as_int64(), 0);
  const std::string text = run("teaching figures");
  EXPECT_NE(text.find("468 人次"), std::string::npos) << text;
  EXPECT_NE(text.find("满意率 100.0%"), std::string::npos) << text;
  // Every list exports.
  run("teaching list spot-checks --out " + dir.file("spot.xlsx"));
  auto t = ingest::open_table(dir.file("spot.xlsx"));
  ASSERT_TRUE(t.ok());
  ingest::Row r;
  long rows = 0;
  while ((*t)->next(r)) ++rows;
  EXPECT_EQ(rows, 468 + 2);  // title and header
  run("volunteers list --list people --now '2022-04-01 00:00' --out " + dir.file("v.csv"));
  auto csv = testing::read_file(dir.file("v.csv"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 212 + 1);  // header, no title in CSV
  // Running it twice would double the spot checks: refused, nothing stored.
  const std::string again = run("sim teaching", 1);
  EXPECT_NE(again.find("already"), std::string::npos) << again;
  EXPECT_EQ(boost::json::parse(run("teaching figures --json")).at("spot_checks").as_int64(), 468);
}

}  // namespace
}  // namespace fx::app
