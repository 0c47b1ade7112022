// The inspection part of the store's contract (rounds, inspections, findings
// and their history, reminder letters, supervisors), run on both backends
// like store_contract_test.cpp: a SQLite file and a fresh PostgreSQL database
// on CTest's `postgres` fixture.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "store/store.h"
#include "tests/pg_test_support.h"
#include "tests/test_support.h"

namespace fx::store {
namespace {

class InspectionContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto location = GetParam() == "sqlite" ? Result<std::string>(dir_.file("fx.db"))
                                           : fx::testing::pg_fresh_database();
    ASSERT_TRUE(location.ok()) << location.status().message();
    location_ = *location;
    auto s = open_store(location_, vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto tx = store_->begin();
    ASSERT_TRUE(tx.ok()) << tx.status().message();
    for (const char* code : {"A01", "B02"}) {
      domain::Institution inst;
      inst.code = code;
      inst.name = std::string("学校") + code;
      inst_.push_back(*(*tx)->insert_institution(inst));
    }
    ASSERT_TRUE((*tx)->commit().ok());
  }

  int64_t round(const std::string& name = "第一轮") {
    auto id = store_->inspections().add_round({0, name, "2022-03-12", "2022-03-15", "cli", ""});
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }

  FindingRecord finding(const std::string& category, const std::string& deadline) {
    FindingRecord f;
    f.category = category;
    f.severity = "major";
    f.description = "门卫未查验\t健康码";  // a tab: text columns keep it
    f.deadline = deadline;
    f.actor = "inspector";
    return f;
  }

  InspectionStore::Added inspect(int64_t round_id, int64_t inst, int findings) {
    InspectionRecord in;
    in.round_id = round_id;
    in.institution_id = inst;
    in.inspector = "张督导、李督导";
    in.inspected_on = "2022-03-13";
    in.items = {{"校门管理", false, "未查验"}, {"消毒记录", true, ""}};
    in.actor = "inspector";
    std::vector<FindingRecord> fs;
    for (int i = 0; i < findings; ++i) fs.push_back(finding("校门管理", "2022-03-16"));
    auto added = store_->inspections().add_inspection(in, fs);
    EXPECT_TRUE(added.ok()) << added.status().message();
    return added.ok() ? *added : InspectionStore::Added{};
  }

  fx::testing::TempDir dir_;
  Vault vault_ = Vault::for_testing(7);
  std::string location_;
  std::unique_ptr<Store> store_;
  std::vector<int64_t> inst_;
};

TEST_P(InspectionContract, RoundsAreNamedOnce) {
  int64_t a = round("第一轮");
  EXPECT_GT(a, 0);
  auto dup = store_->inspections().add_round({0, "第一轮", "2022-03-20", "2022-03-21", "cli", ""});
  EXPECT_EQ(dup.status().code(), Status::Code::already_exists);
  EXPECT_NE(dup.status().message().find("name"), std::string::npos);
  round("第二轮");
  auto list = store_->inspections().list_rounds();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "第一轮");
  EXPECT_EQ((*list)[0].end_date, "2022-03-15");
}

TEST_P(InspectionContract, InspectionWithChecklistAndFindingsIsOneTransaction) {
  int64_t r = round();
  auto added = inspect(r, inst_[0], 2);
  ASSERT_EQ(added.finding_ids.size(), 2u);
  auto list = store_->inspections().list_inspections({});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  const auto& in = (*list)[0];
  EXPECT_EQ(in.inspector, "张督导、李督导");
  ASSERT_EQ(in.items.size(), 2u);
  EXPECT_EQ(in.items[0].item, "校门管理");
  EXPECT_FALSE(in.items[0].passed);
  EXPECT_TRUE(in.items[1].passed);
  auto f = store_->inspections().get_finding(added.finding_ids[1]);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->status, "open");
  EXPECT_EQ(f->round_id, r);
  EXPECT_EQ(f->institution_id, inst_[0]);
  EXPECT_EQ(f->description, "门卫未查验\t健康码");

  // The same institution twice in a round: refused, and none of its findings stay.
  InspectionRecord again = in;
  again.items.clear();
  auto dup = store_->inspections().add_inspection(again, {finding("x", "2022-03-16")});
  EXPECT_EQ(dup.status().code(), Status::Code::already_exists) << dup.status().message();
  EXPECT_EQ(store_->inspections().list_findings({})->size(), 2u);
  // A finding that breaks a check mid-way rolls back the inspection too.
  FindingRecord bad = finding("y", "2022-03-16");
  bad.severity = "huge";
  InspectionRecord other = in;
  other.institution_id = inst_[1];
  auto half = store_->inspections().add_inspection(other, {finding("x", "2022-03-16"), bad});
  EXPECT_FALSE(half.ok());
  EXPECT_EQ(store_->inspections().list_inspections({})->size(), 1u);
  EXPECT_EQ(store_->inspections().list_findings({})->size(), 2u);
}

TEST_P(InspectionContract, ListsAreFilteredByInstitutionAndRound) {
  int64_t r1 = round("第一轮"), r2 = round("第二轮");
  inspect(r1, inst_[0], 1);
  inspect(r1, inst_[1], 2);
  inspect(r2, inst_[1], 1);
  auto& s = store_->inspections();
  EXPECT_EQ(s.list_inspections({0, {inst_[1]}})->size(), 2u);
  EXPECT_EQ(s.list_inspections({r1, {}})->size(), 2u);
  EXPECT_EQ(s.list_findings({0, {inst_[1]}})->size(), 3u);
  EXPECT_EQ(s.list_findings({r2, {}})->size(), 1u);
  EXPECT_EQ(s.list_findings({r1, {inst_[0]}})->size(), 1u);
}

TEST_P(InspectionContract, FindingMovesKeepAnAppendOnlyHistoryWithFiles) {
  auto added = inspect(round(), inst_[0], 1);
  const int64_t id = added.finding_ids[0];
  auto& s = store_->inspections();
  const std::string bytes("\x89PNG\0\x01\xff evidence", 16);
  FindingMove ev{
      id, "evidence", "open", "submitted", "已安排专人查验", "school", "2022-03-14T02:00:00Z"};
  ev.files.push_back({0, 0, "门岗照片.png", "image/png", 0, "ab12", bytes});
  ASSERT_TRUE(s.move_finding(ev).ok());
  // A move from a status the finding has left: Conflict, nothing written.
  FindingMove stale{id, "evidence", "open", "submitted", "again", "school", "2022-03-14T03:00:00Z"};
  EXPECT_EQ(s.move_finding(stale).code(), Status::Code::conflict);
  ASSERT_TRUE(s.move_finding({id, "returned", "submitted", "open", "照片不清晰", "inspector",
                              "2022-03-14T04:00:00Z"})
                  .ok());
  ASSERT_TRUE(s.move_finding({id, "evidence", "open", "submitted", "补充照片", "school",
                              "2022-03-14T05:00:00Z"})
                  .ok());
  ASSERT_TRUE(s.move_finding(
                   {id, "verified", "submitted", "closed", "", "inspector", "2022-03-15T01:00:00Z"})
                  .ok());
  EXPECT_EQ(
      s.move_finding({id, "missing", "open", "closed", "", "x", "2022-03-15T01:00:00Z"}).code(),
      Status::Code::conflict);
  EXPECT_EQ(s.move_finding({id + 99, "verified", "submitted", "closed", "", "x", "t"}).code(),
            Status::Code::not_found);
  auto f = s.get_finding(id);
  EXPECT_EQ(f->status, "closed");
  EXPECT_EQ(f->closed_at, "2022-03-15T01:00:00Z");
  auto h = s.finding_history(id);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 5u);
  std::vector<std::string> actions;
  for (const auto& e : *h) actions.push_back(e.action);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"opened", "evidence", "returned", "evidence", "verified"}));
  EXPECT_EQ((*h)[2].text, "照片不清晰");
  ASSERT_EQ((*h)[1].files.size(), 1u);
  EXPECT_EQ((*h)[1].files[0].size, 16);
  EXPECT_TRUE((*h)[1].files[0].data.empty());  // lists carry no bytes
  auto file = s.evidence_file((*h)[1].files[0].id);
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->data, bytes);
  EXPECT_EQ(file->name, "门岗照片.png");
  EXPECT_EQ(file->finding_id, id);
  EXPECT_EQ(s.evidence_file((*h)[1].files[0].id + 99).status().code(), Status::Code::not_found);
}

TEST_P(InspectionContract, DirectiveLinkAndChangeFeed) {
  int64_t before = *store_->last_change_seq();
  auto added = inspect(round(), inst_[1], 1);
  ASSERT_TRUE(store_->inspections().link_directive(added.finding_ids[0], 42).ok());
  EXPECT_EQ(store_->inspections().get_finding(added.finding_ids[0])->directive_id, 42);
  EXPECT_EQ(store_->inspections().link_directive(9999, 1).code(), Status::Code::not_found);
  auto changes = store_->changes_after(before, 100);
  ASSERT_TRUE(changes.ok());
  std::set<std::string> kinds;
  for (const auto& c : *changes) {
    kinds.insert(c.kind);
    if (c.kind == "finding.opened") EXPECT_EQ(c.institution_id, inst_[1]);
  }
  EXPECT_TRUE(kinds.count("inspection.added"));
  EXPECT_TRUE(kinds.count("finding.opened"));
}

TEST_P(InspectionContract, LettersAreNumberedPerYearAndNeverTwice) {
  auto added = inspect(round(), inst_[0], 2);
  auto& s = store_->inspections();
  LetterRecord l;
  l.year = 2022;
  l.institution_id = inst_[0];
  l.title = "关于落实校门管理的提醒函";
  l.body = "请于三日内整改。";
  l.issued_on = "2022-03-14";
  l.finding_ids = added.finding_ids;
  l.actor = "inspector";
  auto a = s.add_letter(l);
  auto b = s.add_letter(l);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->number, 1);
  EXPECT_EQ(b->number, 2);
  l.year = 2023;
  EXPECT_EQ(s.add_letter(l)->number, 1);
  // A letter that fails (an unknown finding) takes no number for good: the
  // counter rolls back with it, so the next letter is still 3.
  l.year = 2022;
  LetterRecord broken = l;
  broken.finding_ids = {99999};
  EXPECT_FALSE(s.add_letter(broken).ok());
  EXPECT_EQ(s.add_letter(l)->number, 3);
  auto got = s.get_letter(a->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->finding_ids, added.finding_ids);
  EXPECT_EQ(got->title, l.title);
  EXPECT_EQ(s.list_letters({0, {inst_[1]}})->size(), 0u);
  EXPECT_EQ(s.list_letters({})->size(), 4u);
}

TEST_P(InspectionContract, TwoConnectionsIssuingLettersAtOnceNeverShareANumber) {
  auto other = open_store(location_, vault_);
  ASSERT_TRUE(other.ok()) << other.status().message();
  LetterRecord l;
  l.year = 2022;
  l.institution_id = inst_[1];
  l.title = "提醒函";
  l.issued_on = "2022-03-14";
  l.actor = "a";
  std::vector<int> numbers;
  std::mutex m;
  auto issue = [&](Store* s) {
    for (int i = 0; i < 10; ++i) {
      auto r = s->inspections().add_letter(l);
      for (int tries = 0; !r.ok() && r.status().code() == Status::Code::unavailable && tries < 5;
           ++tries)
        r = s->inspections().add_letter(l);
      ASSERT_TRUE(r.ok()) << r.status().message();
      std::lock_guard lock(m);
      numbers.push_back(r->number);
    }
  };
  std::thread one(issue, store_.get());
  std::thread two(issue, other->get());
  one.join();
  two.join();
  std::sort(numbers.begin(), numbers.end());
  std::vector<int> expected(20);
  for (int i = 0; i < 20; ++i) expected[i] = i + 1;
  EXPECT_EQ(numbers, expected);
}

TEST_P(InspectionContract, Supervisors) {
  auto& s = store_->inspections();
  auto a = s.add_supervisor({0, "王驻点", "区教育局", inst_[0], "2022-03-12", "", "cli", ""});
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(
      s.add_supervisor({0, "赵驻点", "区教育局", inst_[1], "2022-03-12", "2022-03-20", "cli", ""})
          .ok());
  // An end before the start is refused by the schema too.
  EXPECT_FALSE(
      s.add_supervisor({0, "钱驻点", "", inst_[1], "2022-03-12", "2022-03-01", "cli", ""}).ok());
  auto all = s.list_supervisors({});
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "王驻点");
  EXPECT_EQ((*all)[1].end_date, "2022-03-20");
  EXPECT_EQ(s.list_supervisors({0, {inst_[1]}})->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, InspectionContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fx::store
