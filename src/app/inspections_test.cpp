// Inspection and rectification against a real SQLite file: scope by role,
// every bad input refused with nothing stored, the finding's directive, the
// evidence/verification loop with its history, letter numbers under
// concurrency, and the source-shaped scenario's exact figures.
#include "app/inspections.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "../../tests/test_support.h"
#include "app/directives.h"
#include "app/inspection_scenario.h"
#include "sim/district.h"

namespace fx::app {
namespace {

using fx::testing::TempDir;

constexpr const char* kNow = "2022-03-13T02:00:00Z";

Caller school(int64_t inst) {
  Caller c;
  c.username = "school";
  c.role = Role::institution;
  c.institutions = {inst};
  c.permissions = permissions_of(Role::institution, "");
  return c;
}

Caller group(const std::string& name) {
  Caller c;
  c.username = "group-" + name;
  c.role = Role::group;
  c.task_group = name;
  c.all_institutions = true;
  c.permissions = permissions_of(Role::group, name);
  return c;
}

Caller viewer() {
  Caller c;
  c.username = "viewer";
  c.role = Role::viewer;
  c.all_institutions = true;
  c.permissions = permissions_of(Role::viewer, "");
  return c;
}

class InspectionTest : public ::testing::Test {
 protected:
  void SetUp() override { open(dir_.file("fx.db"), 3); }

  void open(const std::string& path, int institutions) {
    auto s = store::open_store(path, vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto tx = store_->begin();
    ASSERT_TRUE(tx.ok());
    for (int i = 1; i <= institutions; ++i) {
      domain::Institution inst;
      char code[8];
      std::snprintf(code, sizeof code, "S%03d", i);
      inst.code = code;
      inst.name = "第" + std::to_string(i) + "中学";
      auto id = (*tx)->insert_institution(inst);
      ASSERT_TRUE(id.ok()) << id.status().message();
      inst_[code] = *id;
    }
    ASSERT_TRUE((*tx)->commit().ok());
  }

  int64_t round() {
    auto id = add_inspection_round(*store_, inspector_, {"第一轮", "2022-03-12", "2022-03-16"});
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }

  NewInspection inspection(int64_t round_id, const std::string& code, int findings = 1) {
    NewInspection in;
    in.round_id = round_id;
    in.institution = code;
    in.inspector = "督导一组（王建国、刘敏）";
    in.date = "2022-03-13";
    in.items = {{"校门管理与健康码查验", false, "未查验"}, {"环境消毒与通风", true, ""}};
    for (int i = 0; i < findings; ++i)
      in.findings.push_back({"校门管理与健康码查验", "较重", "门卫未逐一查验健康码", "2022-03-16"});
    in.now = kNow;
    return in;
  }

  InspectionAdded record(const NewInspection& in) {
    auto added = record_inspection(*store_, inspector_, in);
    EXPECT_TRUE(added.ok()) << added.status().message();
    return added.ok() ? *added : InspectionAdded{};
  }

  size_t stored_findings() { return store_->inspections().list_findings({})->size(); }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(3);
  std::unique_ptr<store::Store> store_;
  std::map<std::string, int64_t> inst_;
  Caller inspector_ = group("监督检查");
};

TEST_F(InspectionTest, OnlyCommandAndTheSupervisionGroupManage) {
  EXPECT_TRUE(cli_caller("t").can(Permission::inspections_manage));
  EXPECT_TRUE(group("监督检查").can(Permission::inspections_manage));
  for (const char* g : {"综合调度", "人员管控", "物资保障", "舆论引导", "教学保障"})
    EXPECT_FALSE(group(g).can(Permission::inspections_manage)) << g;
  EXPECT_FALSE(school(1).can(Permission::inspections_manage));
  EXPECT_FALSE(viewer().can(Permission::inspections_manage));
  Permission p;
  ASSERT_TRUE(parse_permission("inspections.manage", p));
  EXPECT_EQ(p, Permission::inspections_manage);
  auto r = add_inspection_round(*store_, group("物资保障"), {"第一轮", "2022-03-12", "2022-03-16"});
  EXPECT_EQ(r.status().code(), Status::Code::permission_denied);
  EXPECT_TRUE(store_->inspections().list_rounds()->empty());
}

TEST_F(InspectionTest, AFindingSendsOneDirectiveToTheInspectedInstitution) {
  auto added = record(inspection(round(), "S002", 2));
  ASSERT_EQ(added.finding_ids.size(), 2u);
  ASSERT_EQ(added.directive_ids.size(), 2u);
  EXPECT_TRUE(added.directive_error.empty()) << added.directive_error;
  for (size_t i = 0; i < 2; ++i) {
    auto d = store_->directives().get(added.directive_ids[i]);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->source, "inspection");
    EXPECT_EQ(d->source_id, added.finding_ids[i]);
    EXPECT_EQ(d->priority, "urgent");  // 较重
    EXPECT_EQ(d->deadline, "2022-03-16T15:59:59Z");
    EXPECT_EQ(d->sender_group, "监督检查");
    store::RecipientFilter f;
    f.directive_id = d->id;
    auto rows = store_->directives().recipients(f);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].institution_id, inst_["S002"]);
    EXPECT_TRUE((*rows)[0].people.empty());
    EXPECT_EQ(store_->inspections().get_finding(added.finding_ids[i])->directive_id, d->id);
  }
  // The school sees them in its inbox; another school does not.
  auto inbox = list_directives(*store_, school(inst_["S002"]), "", "2022-03-13T03:00:00Z");
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(inbox->size(), 2u);
  EXPECT_TRUE(list_directives(*store_, school(inst_["S001"]))->empty());
}

TEST_F(InspectionTest, BadInputIsRefusedNamingTheFieldAndNothingIsStored) {
  const int64_t r = round();
  auto expect_invalid = [&](NewInspection in, Status::Code code, const std::string& field) {
    auto res = record_inspection(*store_, inspector_, in);
    ASSERT_FALSE(res.ok()) << field;
    EXPECT_EQ(res.status().code(), code) << res.status().message();
    EXPECT_NE(res.status().message().find(field), std::string::npos) << res.status().message();
    EXPECT_TRUE(store_->inspections().list_inspections({})->empty());
    EXPECT_EQ(stored_findings(), 0u);
  };
  auto in = inspection(r, "X999");
  expect_invalid(in, Status::Code::not_found, "institution");
  in = inspection(r, "S001");
  in.findings.push_back({"消毒", "一般", "记录缺失", "2022-03-10"});  // before the inspection
  expect_invalid(in, Status::Code::invalid_argument, "findings[1].deadline");
  in = inspection(r, "S001");
  in.date = "下周二";
  expect_invalid(in, Status::Code::invalid_argument, "date");
  in = inspection(r, "S001");
  in.findings[0].deadline = "尽快";
  expect_invalid(in, Status::Code::invalid_argument, "findings[0].deadline");
  in = inspection(r, "S001");
  in.findings[0].severity = "很严重";
  expect_invalid(in, Status::Code::invalid_argument, "findings[0].severity");
  in = inspection(r, "S001");
  in.date = "2022-03-20";  // after the round
  expect_invalid(in, Status::Code::invalid_argument, "date");
  in = inspection(r + 7, "S001");
  expect_invalid(in, Status::Code::not_found, "round");
  in = inspection(r, "S001");
  in.inspector = "  ";
  expect_invalid(in, Status::Code::invalid_argument, "inspector");

  auto bad_round = add_inspection_round(*store_, inspector_, {"第二轮", "下周一", "2022-03-24"});
  EXPECT_NE(bad_round.status().message().find("start_date"), std::string::npos);
  bad_round = add_inspection_round(*store_, inspector_, {"第二轮", "2022-03-24", "2022-03-20"});
  EXPECT_NE(bad_round.status().message().find("end_date"), std::string::npos);
  EXPECT_EQ(store_->inspections().list_rounds()->size(), 1u);

  auto sup = assign_supervisor(*store_, inspector_, {"王驻点", "", "S001", "昨天", "", kNow});
  EXPECT_NE(sup.status().message().find("start_date"), std::string::npos);
  sup = assign_supervisor(*store_, inspector_, {"王驻点", "", "X1", "2022-03-12", "", kNow});
  EXPECT_EQ(sup.status().code(), Status::Code::not_found);
  sup = assign_supervisor(*store_, inspector_,
                          {"王驻点", "", "S001", "2022-03-12", "2022-03-01", kNow});
  EXPECT_NE(sup.status().message().find("end_date"), std::string::npos);
  EXPECT_TRUE(store_->inspections().list_supervisors({})->empty());
}

TEST_F(InspectionTest, EvidenceVerificationAndAReturnKeepTheirHistory) {
  auto added = record(inspection(round(), "S001"));
  const int64_t id = added.finding_ids[0];
  const Caller own = school(inst_["S001"]);
  // Verification before any evidence: nothing to verify.
  EXPECT_EQ(verify_finding(*store_, inspector_, id, true, "", "2022-03-14T01:00:00Z").code(),
            Status::Code::conflict);
  ASSERT_TRUE(submit_evidence(*store_, own, id, "已安排专人值守",
                              {{"门岗.jpg", "image/jpeg", std::string("\xff\xd8\xff\0jpeg", 8)}},
                              "2022-03-14T01:00:00Z")
                  .ok());
  // The school cannot verify its own evidence: not the inspector's side.
  EXPECT_EQ(verify_finding(*store_, own, id, true, "", "2022-03-14T02:00:00Z").code(),
            Status::Code::permission_denied);
  // Neither can another task group.
  EXPECT_EQ(verify_finding(*store_, group("物资保障"), id, true, "", "2022-03-14T02:00:00Z").code(),
            Status::Code::permission_denied);
  // A return needs a reason.
  EXPECT_EQ(verify_finding(*store_, inspector_, id, false, " ", "2022-03-14T02:00:00Z").code(),
            Status::Code::invalid_argument);
  ASSERT_TRUE(
      verify_finding(*store_, inspector_, id, false, "照片不清晰", "2022-03-14T02:00:00Z").ok());
  EXPECT_EQ(store_->inspections().get_finding(id)->status, "open");
  ASSERT_TRUE(submit_evidence(*store_, own, id, "补充照片", {}, "2022-03-14T03:00:00Z").ok());
  ASSERT_TRUE(
      verify_finding(*store_, inspector_, id, true, "复查属实", "2022-03-14T04:00:00Z").ok());
  // Evidence on a closed finding: refused, nothing appended.
  auto closed = submit_evidence(*store_, own, id, "再补充", {}, "2022-03-14T05:00:00Z");
  EXPECT_EQ(closed.code(), Status::Code::conflict);
  EXPECT_NE(closed.message().find("closed"), std::string::npos);
  auto v = show_finding(*store_, own, id, "2022-03-20");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->row.status, "closed");
  EXPECT_FALSE(v->overdue);
  std::vector<std::string> actions;
  for (const auto& e : v->history) actions.push_back(e.action + ":" + e.actor);
  EXPECT_EQ(actions, (std::vector<std::string>{"opened:group-监督检查", "evidence:school",
                                               "returned:group-监督检查", "evidence:school",
                                               "verified:group-监督检查"}));
  ASSERT_EQ(v->history[1].files.size(), 1u);
  auto file = evidence_file(*store_, own, v->history[1].files[0].id);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->data.size(), 8u);
  EXPECT_EQ(
      evidence_file(*store_, school(inst_["S002"]), v->history[1].files[0].id).status().code(),
      Status::Code::not_found);
  // Bad files on another finding: refused naming the file, the finding stays open.
  auto other = record(inspection(store_->inspections().list_rounds()->at(0).id, "S003"));
  const Caller third = school(inst_["S003"]);
  auto empty = submit_evidence(*store_, third, other.finding_ids[0], "见附件",
                               {{"a.jpg", "", "x"}, {"b.jpg", "", ""}}, kNow);
  EXPECT_NE(empty.message().find("files[1]"), std::string::npos) << empty.message();
  auto path = submit_evidence(*store_, third, other.finding_ids[0], "见附件",
                              {{"../a.jpg", "", "x"}}, kNow);
  EXPECT_NE(path.message().find("files[0].name"), std::string::npos) << path.message();
  EXPECT_EQ(store_->inspections().get_finding(other.finding_ids[0])->status, "open");
  EXPECT_EQ(store_->inspections().finding_history(other.finding_ids[0])->size(), 1u);
}

TEST_F(InspectionTest, AnInstitutionSeesOnlyItsOwnAndAViewerOnlyFigures) {
  const int64_t r = round();
  auto a = record(inspection(r, "S001"));
  auto b = record(inspection(r, "S002", 2));
  ASSERT_TRUE(issue_letter(*store_, inspector_,
                           {"S002", b.finding_ids, "提醒函", "请整改", "2022-03-14", kNow})
                  .ok());
  ASSERT_TRUE(
      assign_supervisor(*store_, inspector_, {"王驻点", "区教育局", "S002", "2022-03-12"}).ok());
  const Caller own = school(inst_["S001"]);
  EXPECT_EQ(list_inspections(*store_, own, {})->size(), 1u);
  auto fs = list_findings(*store_, own, {});
  ASSERT_EQ(fs->size(), 1u);
  EXPECT_EQ((*fs)[0].row.id, a.finding_ids[0]);
  EXPECT_TRUE(list_letters(*store_, own, {})->empty());
  EXPECT_TRUE(list_supervisors(*store_, own, {})->empty());
  // Another institution's finding is NotFound, for reading and for evidence.
  EXPECT_EQ(show_finding(*store_, own, b.finding_ids[0]).status().code(), Status::Code::not_found);
  EXPECT_EQ(submit_evidence(*store_, own, b.finding_ids[0], "x", {}, kNow).code(),
            Status::Code::not_found);
  EXPECT_EQ(list_findings(*store_, own, {0, "S002"}).status().code(), Status::Code::not_found);
  auto letters = list_letters(*store_, school(inst_["S002"]), {});
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ(show_letter(*store_, own, (*letters)[0].row.id).status().code(),
            Status::Code::not_found);
  // The school's figures are its own.
  auto mine = inspection_figures(*store_, own, "2022-03-20");
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->institutions, 1);
  EXPECT_EQ(mine->findings, 1);
  EXPECT_EQ(mine->letters, 0);
  ASSERT_EQ(mine->coverage.size(), 1u);
  EXPECT_EQ(mine->coverage[0].inspected, 1);
  EXPECT_EQ(mine->coverage[0].total, 1);
  // A viewer: figures of the district, no lists.
  const Caller v = viewer();
  EXPECT_EQ(list_findings(*store_, v, {}).status().code(), Status::Code::permission_denied);
  EXPECT_EQ(list_letters(*store_, v, {}).status().code(), Status::Code::permission_denied);
  EXPECT_EQ(list_inspections(*store_, v, {}).status().code(), Status::Code::permission_denied);
  EXPECT_EQ(list_supervisors(*store_, v, {}).status().code(), Status::Code::permission_denied);
  EXPECT_EQ(submit_evidence(*store_, v, a.finding_ids[0], "x", {}, kNow).code(),
            Status::Code::permission_denied);
  auto all = inspection_figures(*store_, v, "2022-03-20");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->institutions, 3);
  EXPECT_EQ(all->findings, 3);
  EXPECT_EQ(all->open, 3);
  EXPECT_EQ(all->overdue, 3);  // deadline 03-16, read on 03-20
  EXPECT_EQ(all->letters, 1);
  EXPECT_EQ(all->supervisors, 1);
  EXPECT_EQ(all->on_site, 1);
  EXPECT_EQ(all->coverage[0].inspected, 2);
  EXPECT_EQ(all->coverage[0].total, 3);
}

TEST_F(InspectionTest, LettersCiteOnlyTheirInstitutionsFindingsAndPrint) {
  const int64_t r = round();
  auto a = record(inspection(r, "S001"));
  auto b = record(inspection(r, "S002"));
  auto wrong =
      issue_letter(*store_, inspector_,
                   {"S001", {a.finding_ids[0], b.finding_ids[0]}, "提醒函", "", "2022-03-14"});
  EXPECT_EQ(wrong.status().code(), Status::Code::invalid_argument);
  EXPECT_NE(wrong.status().message().find("findings"), std::string::npos);
  auto no_date = issue_letter(*store_, inspector_, {"S001", {}, "提醒函", "", "三月"});
  EXPECT_NE(no_date.status().message().find("date"), std::string::npos);
  EXPECT_TRUE(store_->inspections().list_letters({})->empty());
  auto l = issue_letter(
      *store_, inspector_,
      {"S001", a.finding_ids, "关于限期整改的提醒函", "请于三日内整改到位。", "2022年3月14日"});
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(l->year, 2022);
  EXPECT_EQ(l->number, 1);
  EXPECT_EQ(letter_number_text(l->year, l->number), "京教防提〔2022〕第1号");
  auto text = letter_text(*store_, school(inst_["S001"]), l->id);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("京教防提〔2022〕第1号"), std::string::npos);
  EXPECT_NE(text->find("第1中学"), std::string::npos);
  EXPECT_NE(text->find("门卫未逐一查验健康码"), std::string::npos);
  auto fs = list_findings(*store_, inspector_, {0, "S001"});
  ASSERT_EQ(fs->size(), 1u);
  EXPECT_EQ((*fs)[0].letters, std::vector<std::string>{"京教防提〔2022〕第1号"});
}

TEST_F(InspectionTest, LetterNumbersUnderConcurrencyAreOneToNWithoutGaps) {
  constexpr int kThreads = 6, kEach = 10;
  std::vector<int> numbers;
  std::mutex m;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto l = issue_letter(*store_, inspector_,
                              {t % 2 ? "S001" : "S002", {}, "提醒函", "", "2022-03-14"});
        ASSERT_TRUE(l.ok()) << l.status().message();
        std::lock_guard lock(m);
        numbers.push_back(l->number);
      }
    });
  for (auto& t : threads) t.join();
  std::sort(numbers.begin(), numbers.end());
  ASSERT_EQ(numbers.size(), static_cast<size_t>(kThreads * kEach));
  for (int i = 0; i < kThreads * kEach; ++i) EXPECT_EQ(numbers[i], i + 1);
  // A new year starts again at 1.
  EXPECT_EQ(issue_letter(*store_, inspector_, {"S001", {}, "提醒函", "", "2023-01-04"})->number, 1);
}

// The source's figures out of the system's own tables: 4 rounds over all 203
// institutions, 37 findings, 23 letters, 36 supervisors.
class InspectionScenarioTest : public InspectionTest {
 protected:
  void SetUp() override {}
  void district(const std::string& file) {
    sim::DistrictShape shape;
    sim::DistrictGenerator gen(shape);
    auto s = store::open_store(dir_.file(file), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto tx = store_->begin();
    for (const auto& i : gen.institutions()) {
      domain::Institution inst;
      inst.code = i.code;
      inst.name = i.name;
      ASSERT_TRUE((*tx)->insert_institution(inst).ok());
    }
    ASSERT_TRUE((*tx)->commit().ok());
  }
};

TEST_F(InspectionScenarioTest, TheFiguresAreTheSourcesExactly) {
  district("a.db");
  auto s = run_inspection_scenario(*store_, cli_caller("sim inspections"));
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->rounds, 4);
  EXPECT_EQ(s->inspections, 4 * 203);
  EXPECT_EQ(s->findings, 37);
  EXPECT_EQ(s->directives, 37);
  EXPECT_EQ(s->letters, 23);
  EXPECT_EQ(s->supervisors, 36);
  auto f = inspection_figures(*store_, viewer(), s->end_date);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->rounds, 4);
  EXPECT_EQ(f->institutions, 203);
  ASSERT_EQ(f->coverage.size(), 4u);
  int per_round = 0;
  for (const auto& c : f->coverage) {
    EXPECT_EQ(c.inspected, 203) << c.name;
    EXPECT_EQ(c.total, 203) << c.name;
    per_round += c.findings;
  }
  EXPECT_EQ(per_round, 37);
  EXPECT_EQ(f->inspections, 812);
  EXPECT_EQ(f->findings, 37);
  EXPECT_EQ(f->closed, 34);
  EXPECT_EQ(f->open, 3);
  EXPECT_EQ(f->submitted, 1);
  EXPECT_EQ(f->overdue, 3);
  EXPECT_EQ(f->letters, 23);
  EXPECT_EQ(f->supervisors, 36);
  EXPECT_EQ(f->on_site, 36);
  EXPECT_EQ(f->supervised_institutions, 36);
  // The directives came from the findings' own rows.
  int from_inspection = 0;
  auto directives = store_->directives().list_all(0);
  ASSERT_TRUE(directives.ok());
  for (const auto& d : *directives) from_inspection += d.source == "inspection" ? 1 : 0;
  EXPECT_EQ(from_inspection, 37);
  // Letters numbered 1..23 in 2022.
  auto letters = list_letters(*store_, cli_caller("t"), {});
  ASSERT_EQ(letters->size(), 23u);
  EXPECT_EQ(letters->back().number_text, "京教防提〔2022〕第23号");
  // A second run refuses: the figures would no longer be the source's.
  EXPECT_EQ(run_inspection_scenario(*store_, cli_caller("t")).status().code(),
            Status::Code::already_exists);

  // Deterministic: another store gets the same findings at the same schools.
  auto first = list_findings(*store_, cli_caller("t"), {0, "", "", s->end_date});
  std::unique_ptr<store::Store> keep = std::move(store_);
  district("b.db");
  ASSERT_TRUE(run_inspection_scenario(*store_, cli_caller("sim inspections")).ok());
  auto second = list_findings(*store_, cli_caller("t"), {0, "", "", s->end_date});
  ASSERT_EQ(first->size(), second->size());
  for (size_t i = 0; i < first->size(); ++i) {
    EXPECT_EQ((*first)[i].institution.code, (*second)[i].institution.code);
    EXPECT_EQ((*first)[i].row.category, (*second)[i].row.category);
    EXPECT_EQ((*first)[i].row.deadline, (*second)[i].row.deadline);
    EXPECT_EQ((*first)[i].row.status, (*second)[i].row.status);
  }
}

TEST_F(InspectionScenarioTest, ListsExportAsSpreadsheets) {
  district("a.db");
  ASSERT_TRUE(run_inspection_scenario(*store_, cli_caller("t")).ok());
  const Caller c = cli_caller("t");
  auto fs = list_findings(*store_, c, {});
  ASSERT_TRUE(export_findings(*fs, dir_.file("f.csv")).ok());
  const std::string csv = fx::testing::read_file(dir_.file("f.csv"));
  size_t lines = 0;
  for (char ch : csv) lines += ch == '\n';
  EXPECT_EQ(lines, 1u + 37u);  // header and one row per finding
  EXPECT_NE(csv.find("整改期限"), std::string::npos);
  ASSERT_TRUE(export_findings(*fs, dir_.file("f.xlsx")).ok());
  EXPECT_EQ(fx::testing::read_file(dir_.file("f.xlsx")).substr(0, 2), "PK");
  ASSERT_TRUE(export_letters(*list_letters(*store_, c, {}), dir_.file("l.xlsx")).ok());
  ASSERT_TRUE(export_supervisors(*list_supervisors(*store_, c, {}), dir_.file("s.csv")).ok());
  EXPECT_NE(fx::testing::read_file(dir_.file("s.csv")).find("驻点学校"), std::string::npos);
  ASSERT_TRUE(
      export_inspections(*list_inspections(*store_, c, {1, "", "", ""}), dir_.file("i.csv")).ok());
}

}  // namespace
}  // namespace fx::app
