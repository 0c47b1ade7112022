// Dorm assignment periods (issue 5): the import (all or nothing, every bad
// row named), the CLI, and the tracing index taking a moved student's nights
// from the periods — against a real SQLite file and tests/data/presence/.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdio>

#include "../../tests/test_support.h"
#include "app/import_presence.h"
#include "app/imports.h"
#include "app/policies.h"
#include "app/presence_time.h"
#include "app/tracing.h"
#include "store/store.h"

namespace fx::app {
namespace {

using fx::testing::TempDir;

std::string data(const std::string& name) {
  return testing::source_dir() + "/tests/data/presence/" + name;
}

int64_t local(const std::string& text) {
  int64_t t = 0;
  EXPECT_TRUE(parse_local_instant(text, t)) << text;
  return t;
}

constexpr int64_t kNow = 1654041600;  // 2022-06-01 00:00 UTC

class DormsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_store(dir_.file("fx.db"), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ASSERT_TRUE(import_institutions(*store_, data("institutions.csv")).ok());
    auto r = import_roster(*store_, vault_, data("roster.csv"));
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->imported, 9);
  }
  PresenceReport import(const std::string& file, bool dry_run = false) {
    PresenceImportOptions o;
    o.now = kNow;
    o.import.dry_run = dry_run;
    auto r = import_presence(*store_, vault_, PresenceKind::dorms, data(file), o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : PresenceReport{};
  }
  int64_t person(const std::string& code) {
    auto id = resolve_person(*store_, vault_, "C01:" + code);
    EXPECT_TRUE(id.ok()) << code;
    return id.ok() ? *id : 0;
  }
  int64_t room(const std::string& name) {
    auto places = store_->list_places(0);
    for (const auto& p : *places)
      if (p.name == name) return p.id;
    ADD_FAILURE() << name;
    return 0;
  }
  size_t changes() { return store_->changes_after(0, 1000)->size(); }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(5);
  std::unique_ptr<store::Store> store_;
};

TEST_F(DormsTest, ImportStoresPeriods) {
  auto dry = import("dorms.csv", true);
  EXPECT_EQ(dry.base.imported, 3);
  EXPECT_TRUE(store_->presence().list_dorm_assignments()->empty());
  auto r = import("dorms.csv");
  EXPECT_TRUE(r.base.rejected.empty());
  EXPECT_FALSE(r.refused);
  EXPECT_EQ(r.base.imported, 3);
  EXPECT_EQ(r.records, 3);
  EXPECT_GT(r.base.import_id, 0);
  EXPECT_EQ(store_->list_imports(1)->at(0).kind, "presence.dorms");
  EXPECT_TRUE(import("dorms.csv").base.already_imported);
  auto all = store_->presence().list_dorm_assignments();
  ASSERT_EQ(all->size(), 3u);
  int64_t p01 = person("P01");
  EXPECT_EQ((*all)[0].person_id, p01);
  EXPECT_EQ((*all)[0].place_id, room("1号楼101"));
  EXPECT_EQ((*all)[0].date_to, "2022-03-09");
  EXPECT_EQ((*all)[1].person_id, p01);
  EXPECT_EQ((*all)[1].place_id, room("1号楼102"));
  EXPECT_EQ((*all)[1].date_from, "2022-03-10");
  EXPECT_EQ((*all)[1].date_to, "");
  EXPECT_EQ((*all)[2].person_id, person("P04"));
  EXPECT_EQ(store_->list_places(0)->size(), 2u);  // no room created
}

TEST_F(DormsTest, AnyBadRowRefusesTheWholeFile) {
  import("dorms.csv");
  size_t before = changes();
  auto imports_before = store_->list_imports(100)->size();
  auto r = import("dorms-bad.csv");
  EXPECT_TRUE(r.refused);
  EXPECT_EQ(r.base.rows, 12);
  EXPECT_EQ(r.base.imported, 0);
  EXPECT_EQ(r.records, 0);
  EXPECT_EQ(r.base.import_id, 0);
  std::string got;
  for (const auto& x : r.base.rejected)
    got += std::to_string(x.row) + "\t" + x.column + "\t" + x.reason + "\n";
  EXPECT_EQ(got, testing::read_file(data("dorms-bad.expected")));
  // Nothing of it stored: not the valid rows 2 and 8, no import, no change.
  EXPECT_EQ(store_->presence().list_dorm_assignments()->size(), 3u);
  EXPECT_EQ(store_->list_imports(100)->size(), imports_before);
  EXPECT_EQ(changes(), before);
  EXPECT_NE(to_text(r).find("file refused"), std::string::npos);
  EXPECT_TRUE(boost::json::parse(to_json(r)).as_object().at("refused").as_bool());
}

TEST_F(DormsTest, OverlapsInsideOneFileAreFoundWithoutStoredPeriods) {
  // The bad file alone: row 10 (P01 3/5–3/6) no longer clashes with anything.
  auto r = import("dorms-bad.csv");
  EXPECT_TRUE(r.refused);
  ASSERT_EQ(r.base.rejected.size(), 9u);
  bool row9 = false, row10 = false;
  for (const auto& x : r.base.rejected) {
    row9 |= x.row == 9 && x.reason.find("overlaps row 8") != std::string::npos;
    row10 |= x.row == 10;
  }
  EXPECT_TRUE(row9);
  EXPECT_FALSE(row10);
  EXPECT_TRUE(store_->presence().list_dorm_assignments()->empty());
}

TEST(DormsCli, ImportPresenceDorms) {
  TempDir dir;
  std::string db = "--db " + dir.file("fx.db") + " ";
  auto run = [](const std::string& args) {
    std::string out;
    FILE* p = popen((testing::fangxian_binary() + " " + args + " 2>&1").c_str(), "r");
    std::array<char, 4096> buf;
    size_t n;
    while (p && (n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int status = p ? pclose(p) : -1;
    return std::pair{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
  };
  ASSERT_EQ(run(db + "import institutions " + data("institutions.csv")).first, 0);
  ASSERT_EQ(run(db + "import roster " + data("roster.csv")).first, 0);
  auto good = run(db + "import presence --kind dorms --json " + data("dorms.csv"));
  ASSERT_EQ(good.first, 0) << good.second;
  auto j = boost::json::parse(good.second);
  EXPECT_EQ(j.as_object().at("records").as_int64(), 3);
  auto bad = run(db + "import presence --kind dorms " + data("dorms-bad.csv"));
  EXPECT_EQ(bad.first, 1) << bad.second;
  EXPECT_NE(bad.second.find("第9行 row 9 [起始日期]"), std::string::npos) << bad.second;
  EXPECT_NE(bad.second.find("file refused"), std::string::npos) << bad.second;
  auto help = run("import presence --help");
  EXPECT_NE(help.second.find("dorms"), std::string::npos) << help.second;
}

// P01 slept in 1号楼101 through the night of 3/9 and in 1号楼102 from 3/10:
// a close contact of a 101 case only for exposures before the move, and of a
// 102 case only after. P04 (roster: 101) has a period in 102 from 3/1, so the
// roster room no longer counts for P04.
TEST_F(DormsTest, MovedStudentIsAContactOfEachRoomOnlyWhileLivingThere) {
  auto r = import("dorms.csv");
  ASSERT_FALSE(r.refused);
  auto policy = find_policy("covid-9th");
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  PresenceOptions o;
  o.now = kNow;
  o.first_night = days_from_civil(2022, 2, 25);
  o.last_night = days_from_civil(2022, 3, 25);
  auto index = TraceIndex::build(*store_, *policy, o);
  ASSERT_TRUE(index.ok()) << index.status().message();
  const TraceIndex& ix = **index;
  int64_t p01 = person("P01"), p02 = person("P02"), p03 = person("P03"), p04 = person("P04"),
          p05 = person("P05");
  struct Lists {
    std::vector<int64_t> close, secondary;
  };
  auto trace = [&](int64_t who, const std::string& sample, const std::string& isolated) {
    CaseWindow c;
    c.person_id = who;
    c.sample_time = local(sample);
    c.isolated_at = local(isolated);
    auto t = trace_cases(ix, *policy, {c}, c.isolated_at);
    EXPECT_TRUE(t.ok()) << t.status().message();
    Lists l;
    for (const auto& x : t->close) l.close.push_back(ix.person_id(x.person));
    for (const auto& x : t->secondary) l.secondary.push_back(ix.person_id(x.person));
    return l;
  };
  auto has = [](const std::vector<int64_t>& v, int64_t id) {
    return std::find(v.begin(), v.end(), id) != v.end();
  };
  // Before the move: the 101 case (P02) has P01, the 102 case (P03) does not.
  auto a_before = trace(p02, "2022-03-08 12:00", "2022-03-09 12:00");
  EXPECT_EQ(a_before.close, std::vector<int64_t>{p01});
  auto b_before = trace(p03, "2022-03-08 12:00", "2022-03-09 12:00");
  EXPECT_TRUE(has(b_before.close, p05));
  EXPECT_TRUE(has(b_before.close, p04));  // P04's period in 102, not the roster's 101
  EXPECT_FALSE(has(b_before.close, p01));
  EXPECT_FALSE(has(b_before.secondary, p01));
  // After the move: the other way round.
  auto a_after = trace(p02, "2022-03-14 12:00", "2022-03-15 12:00");
  EXPECT_TRUE(a_after.close.empty());
  EXPECT_FALSE(has(a_after.secondary, p01));
  auto b_after = trace(p03, "2022-03-14 12:00", "2022-03-15 12:00");
  EXPECT_TRUE(has(b_after.close, p01));
  EXPECT_TRUE(has(b_after.close, p05));
  // A person without periods keeps the roster room: P05 is in 102 throughout.
  auto from_p05 = trace(p05, "2022-03-08 12:00", "2022-03-09 12:00");
  EXPECT_TRUE(has(from_p05.close, p03));
}

}  // namespace
}  // namespace fx::app
