// Test rounds against a real SQLite file: the hand-checked small district of
// tests/data/rounds/, every conflict, the export read back, and the CLI.
#include "app/rounds.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>

#include "../../tests/test_support.h"
#include "app/imports.h"
#include "app/rounds_board.h"
#include "domain/id_number.h"
#include "ingest/table.h"
#include "store/store.h"

namespace fx::app {
namespace {

using domain::PersonStatus;
using fx::testing::TempDir;

std::string data(const std::string& name) {
  return testing::source_dir() + "/tests/data/rounds/" + name;
}

std::string table_tsv(const RoundTable& t) {
  std::string out;
  char buf[256];
  auto line = [&](const std::string& code, const TableRow& r) {
    std::snprintf(buf, sizeof buf, "%s\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\t%ld\t%.1f\n",
                  code.c_str(), r.due, r.sampled, r.reported, r.negative, r.pending, r.positive,
                  r.pool_positive, r.missed, r.coverage);
    out += buf;
  };
  for (const auto& r : t.rows) line(r.institution_code, r);
  line("total", t.total);
  return out;
}

std::string rejections_of(const RoundImportReport& r) {
  std::string out;
  for (const auto& x : r.rejected)
    out += std::to_string(x.row) + "\t" + x.column + "\t" + x.reason + "\n";
  return out;
}

class RoundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_store(dir_.file("fx.db"), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto i = import_institutions(*store_, data("institutions.csv"));
    ASSERT_TRUE(i.ok()) << i.status().message();
    auto r = import_roster(*store_, vault_, data("roster.csv"));
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->imported, 10) << (r->rejected.empty() ? "" : r->rejected[0].reason);
  }
  int64_t make_round(int pool = 5, const std::string& deadline = "") {
    CreateRound req;
    req.name = "第1轮";
    req.date = "2022-03-10";
    req.pool_size = pool;
    req.deadline = deadline;
    auto id = create_round(*store_, req);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }
  RoundTable table(int64_t round, TableBy by = TableBy::institution) {
    auto board = RoundBoard::load(*store_);
    EXPECT_TRUE(board.ok());
    EXPECT_TRUE(board->load_round(*store_, round).ok());
    return board->table(round, by);
  }
  void import_ok(int64_t round, const std::string& sampling, const std::string& results) {
    auto s = import_sampling(*store_, vault_, round, data(sampling));
    ASSERT_TRUE(s.ok()) << s.status().message();
    ASSERT_TRUE(s->rejected.empty()) << rejections_of(*s);
    if (results.empty()) return;
    auto r = import_results(*store_, round, data(results));
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_TRUE(r->rejected.empty()) << rejections_of(*r);
  }
  std::vector<std::string> changes_kinds() {
    auto c = store_->changes_after(0, 1000);
    std::vector<std::string> out;
    for (const auto& x : *c) out.push_back(x.kind);
    return out;
  }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(3);
  std::unique_ptr<store::Store> store_;
};

TEST_F(RoundsTest, SchemaHasRounds) { EXPECT_GE(store_->schema_version(), 3); }

TEST_F(RoundsTest, CreateValidatesAndSnapshotsScope) {
  CreateRound bad;
  bad.name = "x";
  bad.date = "2022-03-10";
  bad.pool_size = 3;
  EXPECT_EQ(create_round(*store_, bad).status().code(), Status::Code::invalid_argument);
  bad.pool_size = 10;
  bad.date = "soon";
  EXPECT_FALSE(create_round(*store_, bad).ok());
  CreateRound one;
  one.name = "实小";
  one.date = "2022-03-10";
  one.scope = domain::RoundScopeKind::institutions;
  one.scope_values = {"B02"};
  auto id = create_round(*store_, one);
  ASSERT_TRUE(id.ok()) << id.status().message();
  auto r = store_->rounds().get_round(*id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->due_snapshot, 3);
  one.scope_values = {"ZZZ"};
  EXPECT_FALSE(create_round(*store_, one).ok());
}

TEST_F(RoundsTest, HandCheckedTableAndRetest) {
  int64_t round = make_round();
  import_ok(round, "sampling.csv", "results.csv");
  EXPECT_EQ(table_tsv(table(round)), testing::read_file(data("table-after-results.expected")));

  // The positive pool's two members are on the re-test list.
  auto board = RoundBoard::load(*store_);
  ASSERT_TRUE(board->load_round(*store_, round).ok());
  auto retest = board->list(*store_, round, {PersonStatus::pool_positive});
  ASSERT_TRUE(retest.ok());
  ASSERT_EQ(retest->size(), 2u);
  EXPECT_EQ((*retest)[0].name, "学生05");
  EXPECT_EQ((*retest)[1].name, "学生06");
  EXPECT_NE((*retest)[0].id_masked.find("****"), std::string::npos);

  import_ok(round, "retest-sampling.csv", "retest-results.csv");
  EXPECT_EQ(table_tsv(table(round)), testing::read_file(data("table-after-retest.expected")));
  ASSERT_TRUE(board->load_round(*store_, round).ok());
  EXPECT_TRUE(board->people_with(round, {PersonStatus::pool_positive}).empty());
  EXPECT_EQ(board->people_with(round, {PersonStatus::positive}).size(), 1u);

  auto kinds = changes_kinds();
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "round.sampling_imported"), 2);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "round.results_imported"), 2);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "round.created"), 1);
}

TEST_F(RoundsTest, ByUnitAndMissedAfterDeadline) {
  int64_t round = make_round(5, "2022-03-10 12:00");  // a deadline in the past
  import_ok(round, "sampling.csv", "results.csv");
  auto t = table(round, TableBy::unit);
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].unit_path, "初一/1班");
  EXPECT_EQ(t.rows[0].negative, 4);
  EXPECT_EQ(t.rows[1].unit_path, "初一/2班");
  EXPECT_EQ(t.rows[1].missed, 1);
  EXPECT_EQ(t.rows[1].pool_positive, 2);
  auto board = RoundBoard::load(*store_);
  ASSERT_TRUE(board->load_round(*store_, round).ok());
  auto missed = board->list(*store_, round, {PersonStatus::missed});
  ASSERT_TRUE(missed.ok());
  ASSERT_EQ(missed->size(), 2u);
  EXPECT_EQ((*missed)[0].name, "学生07");
  EXPECT_EQ((*missed)[1].name, "学生10");
  EXPECT_EQ((*missed)[1].institution_code, "B02");
}

TEST_F(RoundsTest, SamplingRejectionsEachOnce) {
  int64_t round = make_round();
  import_ok(round, "sampling.csv", "results.csv");
  auto r = import_sampling(*store_, vault_, round, data("sampling-bad.csv"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->unchanged, 1);
  EXPECT_EQ(r->imported, 1);
  EXPECT_EQ(rejections_of(*r), testing::read_file(data("sampling-bad.expected")));
}

TEST_F(RoundsTest, TubeCodeReusedAcrossRounds) {
  int64_t first = make_round();
  import_ok(first, "sampling.csv", "");
  int64_t second = make_round();
  auto r = import_sampling(*store_, vault_, second, data("sampling.csv"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->imported, 0);
  ASSERT_EQ(r->rejected.size(), 8u);
  EXPECT_NE(r->rejected[0].reason.find("round " + std::to_string(first)), std::string::npos);
  // A result for the first round's tube posted to the second round.
  auto res = post_results(*store_, second, {{0, "T1", "阴性", "lab", "", ""}}, "lab-a");
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->rejected.size(), 1u);
  EXPECT_NE(res->rejected[0].reason.find("belongs to round"), std::string::npos);
}

TEST_F(RoundsTest, ResultConflictsAreFlaggedNeverOverwritten) {
  int64_t round = make_round();
  import_ok(round, "sampling.csv", "results.csv");
  auto r = post_results(
      *store_, round,
      {{0, "T1", "阳性", "另一实验室", "2022-03-10 15:00", ""},  // changed after report
       {0, "T1", "阴性", "x", "", ""},                           // same tube again in batch
       {0, "T404", "阴性", "x", "", ""},                         // unknown tube
       {0, "T3", "可疑", "x", "", ""},                           // bad result
       {0, "T3", "阴性", "x", "", ""},                           // fine
       {0, "T3", "阴性", "x", "", ""},                           // duplicate
       {0, "T2", "阳性", "市检验中心", "", ""}},                 // unchanged
      "lab-token-1");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->imported, 1);
  EXPECT_EQ(r->unchanged, 1);
  EXPECT_EQ(r->flagged, 1);
  std::string rej = rejections_of(*r);
  EXPECT_NE(rej.find("2\t检测结果\t与第1行 (row 1)的结果矛盾"), std::string::npos) << rej;
  EXPECT_NE(rej.find("3\t采样管码\t未知管码"), std::string::npos) << rej;
  EXPECT_NE(rej.find("4\t检测结果\t检测结果应为"), std::string::npos) << rej;
  EXPECT_NE(rej.find("6\t采样管码\t与第5行 (row 5)重复"), std::string::npos) << rej;
  // T1 stays negative; the change is a conflict for review.
  auto t = table(round);
  EXPECT_EQ(t.total.negative, 4 + 2);
  EXPECT_EQ(t.total.positive, 0);
  auto conflicts = store_->rounds().list_conflicts(round);
  ASSERT_TRUE(conflicts.ok());
  ASSERT_EQ(conflicts->size(), 2u);
  EXPECT_EQ((*conflicts)[0].kind, "result_changed");
  EXPECT_EQ((*conflicts)[0].tube_code, "T1");
  EXPECT_EQ((*conflicts)[0].status, "open");

  // A correction with who and why resolves it and changes the table.
  EXPECT_FALSE(correct_result(*store_, round, "T1", domain::TestResult::positive, "张三", "").ok());
  ASSERT_TRUE(
      correct_result(*store_, round, "T1", domain::TestResult::positive, "张三", "实验室复核更正")
          .ok());
  t = table(round);
  EXPECT_EQ(t.total.pool_positive, 2 + 4);
  auto corrections = store_->rounds().list_corrections(round);
  ASSERT_EQ(corrections->size(), 1u);
  EXPECT_EQ((*corrections)[0].actor, "张三");
  EXPECT_EQ((*corrections)[0].before, domain::TestResult::negative);
  conflicts = store_->rounds().list_conflicts(round);
  EXPECT_EQ((*conflicts)[0].status, "resolved");
  EXPECT_EQ((*conflicts)[0].resolved_by, "张三");
  auto kinds = changes_kinds();
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "round.result_corrected"), kinds.end());
}

TEST_F(RoundsTest, LateResultAfterCloseIsKeptAndFlagged) {
  int64_t round = make_round();
  import_ok(round, "sampling.csv", "results.csv");
  ASSERT_TRUE(close_round(*store_, round, "cli").ok());
  EXPECT_EQ(close_round(*store_, round, "cli").code(), Status::Code::conflict);
  // Sampling is closed; a late result is stored, flagged.
  EXPECT_EQ(import_sampling(*store_, vault_, round, data("retest-sampling.csv")).status().code(),
            Status::Code::conflict);
  auto r = post_results(*store_, round, {{0, "T3", "阴性", "lab", "", ""}}, "lab");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->imported, 1);
  EXPECT_EQ(r->flagged, 1);
  ASSERT_EQ(r->conflicts.size(), 1u);
  EXPECT_EQ(r->conflicts[0].kind, "late_result");
  auto t = table(round);
  EXPECT_EQ(t.total.negative, 6);
  EXPECT_EQ(t.total.missed, 2);  // closed: unsampled people are missed
}

TEST_F(RoundsTest, RetestMustBeSingleTubeAndPersonInTwoTubes) {
  int64_t round = make_round();
  import_ok(round, "sampling.csv", "results.csv");
  // Members of the positive pool T2 pooled again: rejected; a pending member re-sampled: rejected.
  auto r = post_sampling(*store_, vault_, round,
                         {{0, "P1", "220102200801010512", "", "", "", "", "2022-03-10 19:00"},
                          {0, "P1", "220102200801010635", "", "", "", "", "2022-03-10 19:00"},
                          {0, "P2", "220102200801010870", "", "", "", "", "2022-03-10 19:00"}},
                         "site-7");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->imported, 0);
  std::string rej = rejections_of(*r);
  EXPECT_NE(rej.find("1\t采样管码\t混管阳性人员须单管单采复核"), std::string::npos) << rej;
  EXPECT_NE(rej.find("2\t采样管码\t混管阳性人员须单管单采复核"), std::string::npos) << rej;
  EXPECT_NE(rej.find("3\t证件号码\t同一人本轮已在管码 T3"), std::string::npos) << rej;
}

TEST_F(RoundsTest, ByPersonCodeAndExemption) {
  int64_t round = make_round();
  auto people = store_->rounds().people_placements();
  ASSERT_TRUE(
      exempt_person(*store_, round, (*people)[6].id, domain::ExemptReason::in_hospital, "", "cli")
          .ok());
  auto r = post_sampling(*store_, vault_, round,
                         {{0, "Q1", "", "S001", "A01", "", "", "2022-03-10 08:00"},
                          {0, "Q1", "", "S007", "A01", "", "", "2022-03-10 08:00"},
                          {0, "Q1", "", "S001", "ZZ", "", "", "2022-03-10 08:00"}},
                         "site");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->imported, 1);
  std::string rej = rejections_of(*r);
  EXPECT_NE(rej.find("2\t学号/工号\t本轮已免检"), std::string::npos) << rej;
  EXPECT_NE(rej.find("3\t学校代码\t未知学校代码"), std::string::npos) << rej;
  auto t = table(round);
  EXPECT_EQ(t.total.exempt, 1);
  EXPECT_EQ(t.total.due, 9);
}

TEST_F(RoundsTest, SameFileTwiceChangesNothing) {
  int64_t round = make_round();
  import_ok(round, "sampling.csv", "results.csv");
  auto again = import_sampling(*store_, vault_, round, data("sampling.csv"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_imported);
  EXPECT_EQ(table_tsv(table(round)), testing::read_file(data("table-after-results.expected")));
}

TEST_F(RoundsTest, ExportXlsxAndCsvReadBack) {
  int64_t round = make_round();
  import_ok(round, "sampling.csv", "results.csv");
  auto t = table(round, TableBy::unit);
  for (const char* name : {"table.xlsx", "table.csv"}) {
    std::string path = dir_.file(name);
    ASSERT_TRUE(export_table(t, path).ok());
    auto reader = ingest::open_table(path);
    ASSERT_TRUE(reader.ok()) << reader.status().message();
    std::vector<std::vector<std::string>> rows;
    ingest::Row row;
    while ((*reader)->next(row)) {
      std::vector<std::string> cells;
      for (const auto& c : row.cells) cells.push_back(c.text);
      rows.push_back(cells);
    }
    ASSERT_TRUE((*reader)->status().ok());
    bool xlsx = std::string(name).ends_with(".xlsx");
    size_t h = xlsx ? 1 : 0;  // XLSX has the title row above the header
    if (xlsx) {
      EXPECT_NE(rows[0][0].find("核酸检测统计表"), std::string::npos);
    }
    ASSERT_EQ(rows.size(), h + 1 + 3 + 1);
    EXPECT_EQ(rows[h][0], "序号");
    EXPECT_EQ(rows[h][4], "应检人数");
    EXPECT_EQ(rows[h + 1][1], "A01");
    EXPECT_EQ(rows[h + 1][3], "初一/1班");
    EXPECT_EQ(rows[h + 1][4], "4");
    EXPECT_EQ(rows.back()[1], "合计");
    EXPECT_EQ(rows.back()[4], "10");
    EXPECT_EQ(rows.back()[14], xlsx ? "80" : "80.0");  // a number cell in XLSX
  }
}

TEST_F(RoundsTest, TableJsonShape) {
  int64_t round = make_round();
  import_ok(round, "sampling.csv", "results.csv");
  auto v = boost::json::parse(table_json(table(round)));
  auto& rows = v.at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  for (const char* k : {"institution_code", "due", "sampled", "reported", "negative", "pending",
                        "positive", "pool_positive", "missed", "coverage"})
    EXPECT_TRUE(rows[0].as_object().contains(k)) << k;
  EXPECT_EQ(v.at("total").at("due").as_int64(), 10);
  EXPECT_DOUBLE_EQ(v.at("total").at("coverage").as_double(), 80.0);
}

}  // namespace
}  // namespace fx::app

namespace fx::app {
namespace {

// The done-when, through the built binary on a generated district.
TEST(RoundsCliTest, GeneratedDistrictRoundThroughTheCli) {
  TempDir dir;
  std::string bin = testing::fangxian_binary(), db = " --db " + dir.file("fx.db");
  auto run = [&](const std::string& args) {
    std::string out_file = dir.file("out.txt");
    int rc = std::system((bin + db + " " + args + " > " + out_file + " 2>&1").c_str());
    EXPECT_EQ(rc, 0) << args << "\n" << testing::read_file(out_file);
    return testing::read_file(out_file);
  };
  std::string d = dir.file("district"), r = dir.file("round");
  run("sim district --people 3000 --out " + d + " --no-xlsx --no-gb18030");
  run("sim round --district-dir " + d + " --out " + r + " --pool 10");
  run("import institutions " + d + "/institutions.csv");
  run("import roster " + d + "/roster.csv");
  std::string id = run("round create --name 全员核酸 --date 2022-03-10 --pool 10");
  id.erase(id.find_last_not_of("\n") + 1);
  run("import sampling --round " + id + " " + r + "/sampling.csv");
  run("import results --round " + id + " " + r + "/results.csv");
  auto table = boost::json::parse(run("round table --round " + id + " --json"));
  const auto& total = table.at("total");
  EXPECT_EQ(total.at("due").as_int64(), 3000);  // the roster in scope
  long missed = static_cast<long>(total.at("missed").as_int64());
  EXPECT_EQ(total.at("sampled").as_int64() + missed, 3000);

  // The missed list: exactly the roster's people absent from sampling.csv.
  auto sampled = testing::read_file(r + "/sampling.csv");
  auto roster = ingest::open_table(d + "/roster.csv");
  ASSERT_TRUE(roster.ok());
  ingest::Row row;
  (*roster)->next(row);
  std::vector<std::string> expected;
  while ((*roster)->next(row))
    if (sampled.find(row.cells[4].text) == std::string::npos)
      expected.push_back(domain::mask_id_number(row.cells[4].text));
  auto missed_json = boost::json::parse(run("round missed --round " + id + " --json"));
  std::vector<std::string> got;
  for (const auto& p : missed_json.at("people").as_array())
    got.push_back(std::string(p.at("id_masked").as_string()));
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected);
  EXPECT_EQ(static_cast<long>(got.size()), missed);

  // Positive pools put their members on the re-test list; negative re-tests clear them.
  auto retest = boost::json::parse(run("round retest --round " + id + " --json"));
  EXPECT_GT(retest.at("count").as_int64(), 0);
  run("import sampling --round " + id + " " + r + "/retest-sampling.csv");
  run("import results --round " + id + " " + r + "/retest-results.csv");
  retest = boost::json::parse(run("round retest --round " + id + " --json"));
  EXPECT_EQ(retest.at("count").as_int64(), 0);
  table = boost::json::parse(run("round table --round " + id + " --json"));
  EXPECT_EQ(table.at("total").at("positive").as_int64(), 1);
  EXPECT_EQ(table.at("total").at("pool_positive").as_int64(), 0);
  run("round table --round " + id + " --by unit --out " + dir.file("t.xlsx"));
  EXPECT_TRUE(ingest::open_table(dir.file("t.xlsx")).ok());
}

}  // namespace
}  // namespace fx::app
