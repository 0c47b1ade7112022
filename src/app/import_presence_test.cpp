// Presence imports and the trace loader against a real SQLite file: the
// hand-checked small district of tests/data/presence/, every bad case, the
// CLI, and the SocioPatterns school data through the real import path.
#include "app/import_presence.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>

#include "../../tests/test_support.h"
#include "app/imports.h"
#include "app/presence_time.h"
#include "app/trace_loader.h"
#include "sim/presence.h"
#include "sim/sociopatterns.h"
#include "store/store.h"
#include "trace/naive_scan.h"
#include "trace/tracer.h"

namespace fx::app {
namespace {

using fx::testing::TempDir;

std::string data(const std::string& name) {
  return testing::source_dir() + "/tests/data/presence/" + name;
}

std::string rejections_of(const PresenceReport& r) {
  std::string out;
  for (const auto& x : r.base.rejected)
    out += std::to_string(x.row) + "\t" + x.column + "\t" + x.reason + "\n";
  return out;
}

int64_t local(const std::string& text) {
  int64_t t = 0;
  EXPECT_TRUE(parse_local_instant(text, t)) << text;
  return t;
}

constexpr int64_t kNow = 1654041600;  // 2022-06-01 00:00 UTC

class PresenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_store(dir_.file("fx.db"), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto i = import_institutions(*store_, data("institutions.csv"));
    ASSERT_TRUE(i.ok()) << i.status().message();
    auto r = import_roster(*store_, vault_, data("roster.csv"));
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->imported, 9) << (r->rejected.empty() ? "" : r->rejected[0].reason);
  }
  PresenceReport import(PresenceKind kind, const std::string& file, bool create_places = false,
                        const std::string& institution = "", const std::string& epoch = "",
                        bool dry_run = false) {
    PresenceImportOptions o;
    o.create_places = create_places;
    o.institution = institution;
    o.epoch = epoch;
    o.now = kNow;
    o.import.dry_run = dry_run;
    auto r = import_presence(*store_, vault_, kind, data(file), o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : PresenceReport{};
  }
  void import_all_good() {
    auto t = import(PresenceKind::timetable, "timetable.csv", true);
    ASSERT_TRUE(t.base.rejected.empty()) << rejections_of(t);
    auto w = import(PresenceKind::swipes, "swipes.csv", true);
    ASSERT_TRUE(w.base.rejected.empty()) << rejections_of(w);
    auto c = import(PresenceKind::contacts, "contacts.csv");
    ASSERT_TRUE(c.base.rejected.empty()) << rejections_of(c);
    auto s = import(PresenceKind::sensor, "sensor.txt", false, "C01", "2022-03-09 00:00");
    ASSERT_TRUE(s.base.rejected.empty()) << rejections_of(s);
  }
  void expect_rejections(const PresenceReport& r, const std::string& expected_file) {
    EXPECT_EQ(rejections_of(r), testing::read_file(data(expected_file)));
  }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(5);
  std::unique_ptr<store::Store> store_;
};

TEST_F(PresenceTest, SchemaHasTracing) { EXPECT_GE(store_->schema_version(), 4); }

TEST(PresenceTime, LocalTimesAreShanghai) {
  EXPECT_EQ(local("2022-03-07 08:00"), 1646611200);  // 00:00 UTC
  EXPECT_EQ(local("2022/3/7 8:00:00"), 1646611200);
  EXPECT_EQ(local("2022-03-07T00:00:00Z"), 1646611200);
  EXPECT_EQ(local("2022年3月7日 08:00"), 1646611200);
  EXPECT_EQ(local_text(1646611200), "2022-03-07 08:00");
  int w = 0;
  EXPECT_TRUE(parse_weekday("周日", w));
  EXPECT_EQ(w, 7);
  EXPECT_TRUE(parse_weekday("星期三", w));
  EXPECT_EQ(w, 3);
  EXPECT_TRUE(parse_weekday("Fri", w));
  EXPECT_EQ(w, 5);
  EXPECT_FALSE(parse_weekday("8", w));
  EXPECT_EQ(weekday_of_days(days_from_civil(2022, 3, 7)), 1);
  int m = 0;
  EXPECT_TRUE(parse_minute_of_day({ingest::CellKind::number, "0.375"}, m));
  EXPECT_EQ(m, 540);
  EXPECT_TRUE(parse_minute_of_day({ingest::CellKind::date, "1899-12-30 08:15:00"}, m));
  EXPECT_EQ(m, 495);
}

TEST_F(PresenceTest, TimetableCreatesRoomsOnlyWhenAsked) {
  auto dry = import(PresenceKind::timetable, "timetable.csv", false, "", "", true);
  EXPECT_EQ(dry.base.imported, 0);
  EXPECT_EQ(dry.base.rejected.size(), 5u);  // every room unknown
  auto r = import(PresenceKind::timetable, "timetable.csv", true);
  EXPECT_EQ(r.base.rows, 5);
  EXPECT_EQ(r.base.imported, 5);
  EXPECT_EQ(r.base.places_created, 4);
  EXPECT_GT(r.base.import_id, 0);
  auto again = import(PresenceKind::timetable, "timetable.csv", true);
  EXPECT_TRUE(again.base.already_imported);
  auto entries = store_->presence().list_timetable();
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 5u);
  EXPECT_EQ((*entries)[1].weekday, 2);
  EXPECT_EQ((*entries)[1].start_minute, 600);
  EXPECT_EQ((*entries)[1].end_minute, 690);
  EXPECT_EQ((*entries)[1].date_to, "2022-03-20");
  EXPECT_EQ((*entries)[2].place_id, (*entries)[3].place_id);  // the shared elective room
}

TEST_F(PresenceTest, TimetableBadRows) {
  import(PresenceKind::timetable, "timetable.csv", true);
  auto r = import(PresenceKind::timetable, "timetable-bad.csv");
  EXPECT_EQ(r.base.rows, 11);
  EXPECT_EQ(r.base.imported, 1);
  expect_rejections(r, "timetable-bad.expected");
  // The errors file holds the rejected rows with their reasons.
  PresenceImportOptions o;
  o.import.dry_run = true;
  o.import.errors_out = dir_.file("errors.csv");
  o.now = kNow;
  auto again =
      import_presence(*store_, vault_, PresenceKind::timetable, data("timetable-bad.csv"), o);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->base.already_imported);  // stored already: nothing checked again
}

TEST_F(PresenceTest, SwipesGoodAndBad) {
  auto r = import(PresenceKind::swipes, "swipes.csv", true);
  EXPECT_EQ(r.base.imported, 6);
  EXPECT_EQ(r.base.places_created, 3);
  auto places = store_->list_places(0);
  ASSERT_TRUE(places.ok());
  int canteens = 0;
  for (const auto& p : *places) canteens += p.kind == domain::PlaceKind::canteen;
  EXPECT_EQ(canteens, 1);
  auto bad = import(PresenceKind::swipes, "swipes-bad.csv");
  EXPECT_EQ(bad.base.rows, 12);
  EXPECT_EQ(bad.base.imported, 1);
  expect_rejections(bad, "swipes-bad.expected");
  auto n = store_->presence().count_swipes();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 7);
  // No ID number appears in a reason.
  for (const auto& x : bad.base.rejected) EXPECT_EQ(x.reason.find("2201022003"), std::string::npos);
}

TEST_F(PresenceTest, ContactsGoodAndBad) {
  auto r = import(PresenceKind::contacts, "contacts.csv");
  EXPECT_EQ(r.base.imported, 2);
  auto bad = import(PresenceKind::contacts, "contacts-bad.csv");
  EXPECT_EQ(bad.base.imported, 1);
  expect_rejections(bad, "contacts-bad.expected");
  auto c = store_->presence().list_contacts();
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->size(), 3u);
  EXPECT_EQ((*c)[0].end - (*c)[0].start, 1800);
  EXPECT_EQ((*c)[0].start, local("2022-03-09 18:00"));
  EXPECT_EQ((*c)[0].setting, "宿舍楼道聊天");
  EXPECT_EQ((*c)[0].source, store::ContactSource::investigator);
}

TEST_F(PresenceTest, SensorMergesTwentySecondRecords) {
  auto r = import(PresenceKind::sensor, "sensor.txt", false, "C01", "2022-03-09 00:00");
  EXPECT_EQ(r.base.rows, 5);
  EXPECT_EQ(r.base.imported, 5);
  EXPECT_EQ(r.records, 3);
  auto c = store_->presence().list_contacts();
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->size(), 3u);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& x : *c) {
    EXPECT_EQ(x.source, store::ContactSource::sensor);
    got.emplace_back(local_text(x.start) + ":" + std::to_string((x.start + 8 * 3600) % 60),
                     std::to_string(x.end - x.start));
  }
  // P01–P02 08:00:00 for 60 s and 08:03:00 for 20 s; P03–P04 08:00:40 for 20 s.
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got[0], std::make_pair(std::string("2022-03-09 08:00:0"), std::string("60")));
  EXPECT_EQ(got[1], std::make_pair(std::string("2022-03-09 08:00:40"), std::string("20")));
  EXPECT_EQ(got[2], std::make_pair(std::string("2022-03-09 08:03:0"), std::string("20")));
}

TEST_F(PresenceTest, SensorBadLines) {
  auto r = import(PresenceKind::sensor, "sensor-bad.txt", false, "C01", "2022-03-09 00:00");
  EXPECT_EQ(r.base.rows, 6);  // the blank line is no record
  EXPECT_EQ(r.base.imported, 1);
  expect_rejections(r, "sensor-bad.expected");
  PresenceImportOptions o;
  o.epoch = "0";
  auto no_inst = import_presence(*store_, vault_, PresenceKind::sensor, data("sensor.txt"), o);
  EXPECT_FALSE(no_inst.ok());
  o.institution = "C01";
  o.epoch = "";
  auto no_epoch = import_presence(*store_, vault_, PresenceKind::sensor, data("sensor.txt"), o);
  EXPECT_FALSE(no_epoch.ok());
}

TEST_F(PresenceTest, DryRunStoresNothing) {
  auto r = import(PresenceKind::swipes, "swipes.csv", true, "", "", true);
  EXPECT_EQ(r.base.imported, 6);
  EXPECT_EQ(r.base.import_id, 0);
  EXPECT_EQ(*store_->presence().count_swipes(), 0);
  auto places = store_->list_places(0);
  EXPECT_EQ(places->size(), 2u);  // the two dorm rooms only
}

TEST_F(PresenceTest, ImportsAppendToTheChangeFeed) {
  import_all_good();
  auto changes = store_->changes_after(0, 100);
  ASSERT_TRUE(changes.ok());
  int presence = 0;
  for (const auto& c : *changes) presence += c.kind == "presence.imported";
  EXPECT_EQ(presence, 4);
  auto imports = store_->list_imports(10);
  ASSERT_TRUE(imports.ok());
  EXPECT_EQ((*imports)[0].kind, "presence.sensor");
}

TEST_F(PresenceTest, LoaderBuildsPresenceData) {
  import_all_good();
  import(PresenceKind::swipes, "swipes-bad.csv");  // its one valid row: P02 canteen 3/9 12:00
  PresenceOptions o;
  o.now = kNow;
  auto loaded = load_presence(*store_, o);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  const auto& d = loaded->data;
  EXPECT_EQ(d.people, 9u);
  // Groups: 4 class units (护理2101, 护理2102, 初一/1班, 初二/1班) and 2 dorm rooms.
  EXPECT_EQ(d.groups, 6u);
  EXPECT_EQ(loaded->groups.size(), 6u);
  EXPECT_EQ(d.memberships.size(), 8u + 5u);
  for (const auto& m : d.memberships) {
    EXPECT_EQ(m.from, trace::kBeginning);
    EXPECT_EQ(m.to, trace::kForever);
  }
  // Nights from 3/7 (the first class) to 3/16 (the day after the last class,
  // 3/15): 10 nights × 2 dorm rooms, and 7 class sessions.
  EXPECT_EQ(loaded->first_night, days_from_civil(2022, 3, 7));
  EXPECT_EQ(loaded->last_night, days_from_civil(2022, 3, 16));
  long nights = 0, classes = 0;
  for (const auto& s : d.sessions) {
    auto kind = d.place_kinds[s.place];
    if (kind == trace::ContactKind::dorm_room) {
      ++nights;
      EXPECT_EQ(s.end - s.start, 9 * 3600);
      EXPECT_EQ(local_text(s.start).substr(11), "22:00");
    } else {
      ++classes;
      EXPECT_EQ(kind, trace::ContactKind::classroom);
    }
  }
  EXPECT_EQ(nights, 20);
  EXPECT_EQ(classes, 7);
  // 护理2101's Monday class on 3/7: 08:00–08:45 local.
  bool found = false;
  for (const auto& s : d.sessions)
    if (s.start == local("2022-03-07 08:00") && s.end == local("2022-03-07 08:45") &&
        loaded->groups[s.group].kind == LoadedPresence::Group::Kind::class_unit)
      found = true;
  EXPECT_TRUE(found);
  // Stays: 7 swipes, P01's two canteen swipes merged: 12:00–12:30.
  EXPECT_EQ(loaded->swipes, 7);
  ASSERT_EQ(d.stays.size(), 6u);
  int64_t p01 = loaded->person_ix(loaded->person_ids[0]);
  EXPECT_EQ(p01, 0);
  EXPECT_EQ(d.stays[0].person, 0u);
  EXPECT_EQ(d.stays[0].start, local("2022-03-08 12:00"));
  EXPECT_EQ(d.stays[0].end, local("2022-03-08 12:30"));
  for (const auto& s : d.stays) {
    int64_t len = s.end - s.start;
    auto kind = d.place_kinds[s.place];
    if (kind == trace::ContactKind::gate) EXPECT_EQ(len, 60);
    if (kind == trace::ContactKind::library) EXPECT_EQ(len, 3600);
  }
  // Pairs: 2 investigator contacts and 3 sensor intervals.
  EXPECT_EQ(d.pairs.size(), 5u);
  EXPECT_EQ(loaded->pair_sources.size(), 5u);
  for (const auto& p : d.pairs) EXPECT_LT(p.start, p.end);
  EXPECT_EQ(loaded->person_ix(999999), -1);
}

TEST_F(PresenceTest, LoaderExtendsNightsToTodayWhenCurrent) {
  import(PresenceKind::timetable, "timetable.csv", true);
  PresenceOptions o;
  o.now = local("2022-03-20 12:00");
  auto loaded = load_presence(*store_, o);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->last_night, days_from_civil(2022, 3, 20));
  o.first_night = days_from_civil(2022, 3, 10);
  o.last_night = days_from_civil(2022, 3, 10);
  loaded = load_presence(*store_, o);
  ASSERT_TRUE(loaded.ok());
  long nights = 0;
  for (const auto& s : loaded->data.sessions)
    nights += loaded->data.place_kinds[s.place] == trace::ContactKind::dorm_room;
  EXPECT_EQ(nights, 2);
}

struct Run {
  int exit_code = -1;
  std::string out;
};

Run run(const std::string& args) {
  std::string cmd = testing::fangxian_binary() + " " + args + " 2>&1";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(PresenceCli, ImportPresence) {
  TempDir dir;
  std::string db = "--db " + dir.file("fx.db") + " ";
  ASSERT_EQ(run(db + "import institutions " + data("institutions.csv")).exit_code, 0);
  ASSERT_EQ(run(db + "import roster " + data("roster.csv")).exit_code, 0);
  auto sw = run(db + "import presence --kind swipes --create-places --json " + data("swipes.csv"));
  ASSERT_EQ(sw.exit_code, 0) << sw.out;
  auto j = boost::json::parse(sw.out).as_object();
  EXPECT_EQ(j["imported"].as_int64(), 6);
  EXPECT_EQ(j["records"].as_int64(), 6);
  EXPECT_EQ(j["places_created"].as_int64(), 3);
  auto bad = run(db + "import presence --kind swipes --errors-out " + dir.file("err.csv") + " " +
                 data("swipes-bad.csv"));
  EXPECT_EQ(bad.exit_code, 0) << bad.out;
  EXPECT_NE(bad.out.find("拒绝 rejected: 11"), std::string::npos) << bad.out;
  EXPECT_NE(testing::read_file(dir.file("err.csv")).find("错误原因"), std::string::npos);
  auto sensor =
      run(db + "import presence --kind sensor --institution C01 --epoch '2022-03-09 00:00' " +
          data("sensor.txt"));
  EXPECT_EQ(sensor.exit_code, 0) << sensor.out;
  EXPECT_NE(sensor.out.find("records stored: 3"), std::string::npos) << sensor.out;
  auto no_epoch = run(db + "import presence --kind sensor --institution C01 " + data("sensor.txt"));
  EXPECT_EQ(no_epoch.exit_code, 1) << no_epoch.out;
  EXPECT_EQ(run(db + "import presence --kind bogus " + data("sensor.txt")).exit_code, 2);
}

// The synthetic district's timetables and swipes: deterministic, and every
// row imports (rooms and places created).
TEST(PresenceSim, GeneratedFilesImportWithoutRejections) {
  TempDir dir;
  sim::DistrictShape shape = sim::DistrictShape::scaled(3000);
  ASSERT_TRUE(sim::write_district(shape, dir.file("d"), false, false).ok());
  sim::PresenceSimOptions o;
  o.days = 3;
  auto a = sim::write_presence(shape, dir.file("p"), o);
  ASSERT_TRUE(a.ok()) << a.status().message();
  auto b = sim::write_presence(shape, dir.file("q"), o);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(testing::read_file(dir.file("p/swipes.csv")),
            testing::read_file(dir.file("q/swipes.csv")));
  EXPECT_GT(a->swipes, 1000);
  EXPECT_GT(a->timetable_rows, 100);
  Vault vault = Vault::for_testing(9);
  auto s = store::open_store(dir.file("fx.db"), vault);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(import_institutions(**s, dir.file("d/institutions.csv")).ok());
  ASSERT_TRUE(import_roster(**s, vault, dir.file("d/roster.csv")).ok());
  PresenceImportOptions io;
  io.create_places = true;
  io.now = kNow;
  for (auto [kind, file] : {std::pair{PresenceKind::timetable, "p/timetable.csv"},
                            std::pair{PresenceKind::swipes, "p/swipes.csv"}}) {
    auto r = import_presence(**s, vault, kind, dir.file(file), io);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(r->base.rejected.empty()) << rejections_of(*r);
  }
  PresenceOptions lo;
  lo.now = kNow;
  auto loaded = load_presence(**s, lo);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->swipes, a->swipes);
  EXPECT_EQ(loaded->timetable_entries, a->timetable_rows);
  // Canteen zones hold about a hundred regulars, not a whole college.
  std::vector<long> per_place(loaded->data.place_kinds.size());
  for (const auto& st : loaded->data.stays) ++per_place[st.place];
  for (size_t p = 0; p < per_place.size(); ++p)
    if (loaded->data.place_kinds[p] == trace::ContactKind::canteen)
      EXPECT_LT(per_place[p], 3 * 3 * 200);
}

// The SocioPatterns school networks through the real import path.
class SocioPatternsTest : public ::testing::TestWithParam<const char*> {};

TEST_P(SocioPatternsTest, ImportsTheRealContacts) {
  const auto* d = sim::find_sociopatterns(GetParam());
  ASSERT_NE(d, nullptr);
  TempDir dir;
  auto files =
      sim::write_sociopatterns_roster(testing::shared_data("sociopatterns"), *d, dir.file("sp"));
  ASSERT_TRUE(files.ok()) << files.status().message();
  Vault vault = Vault::for_testing(7);
  auto s = store::open_store(dir.file("fx.db"), vault);
  ASSERT_TRUE(s.ok());
  auto& store = **s;
  auto i = import_institutions(store, files->institutions_csv);
  ASSERT_TRUE(i.ok() && i->rejected.empty()) << i.status().message();
  auto r = import_roster(store, vault, files->roster_csv);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->rejected.empty()) << r->rejected[0].reason;
  EXPECT_EQ(r->imported, files->people);
  PresenceImportOptions o;
  o.institution = d->institution_code;
  o.epoch = d->epoch;
  auto p = import_presence(store, vault, PresenceKind::sensor, files->sensor, o);
  ASSERT_TRUE(p.ok()) << p.status().message();
  std::string first_rejections;
  for (size_t k = 0; k < p->base.rejected.size() && k < 5; ++k)
    first_rejections +=
        std::to_string(p->base.rejected[k].row) + " " + p->base.rejected[k].reason + "\n";
  if (std::string(GetParam()) == "highschool_2011") {
    // The file's one self-contact (`246480 43 43`) is rejected; duplicates merge.
    ASSERT_EQ(p->base.rejected.size(), 1u) << first_rejections;
    EXPECT_EQ(p->base.rows, 28561);
  } else {
    EXPECT_TRUE(p->base.rejected.empty()) << first_rejections;
  }
  if (std::string(GetParam()) == "primaryschool") {
    EXPECT_EQ(p->base.rows, 125773);
    EXPECT_EQ(files->people, 242);
    EXPECT_EQ(files->teachers, 10);
  }
  EXPECT_GT(p->records, 0);
  EXPECT_LT(p->records, p->base.imported);  // merged
  PresenceOptions lo;
  lo.now = kNow;
  auto loaded = load_presence(store, lo);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->data.people, static_cast<uint32_t>(files->people));
  EXPECT_EQ(loaded->data.pairs.size(), static_cast<size_t>(p->records));
  // Total contact time equals 20 s per distinct (pair, record) after merging.
  int64_t seconds = 0;
  for (const auto& x : loaded->data.pairs) seconds += x.end - x.start;
  EXPECT_LE(seconds, 20 * p->base.imported);
  EXPECT_GE(seconds, 20 * p->records);

  // The engine equals the naive scan for every 15th person as an index case,
  // infectious over the first half of the recording, traced at its end.
  int64_t first = INT64_MAX, last = 0;
  for (const auto& x : loaded->data.pairs) {
    first = std::min(first, x.start);
    last = std::max(last, x.end);
  }
  const trace::PresenceIndex index = trace::PresenceIndex::build(loaded->data);
  trace::Tracer tracer(index);
  size_t close = 0;
  for (trace::PersonIx person = 0; person < loaded->data.people; person += 15) {
    trace::TraceQuery q;
    q.cases = {{person, first, first + (last - first) / 2}};
    q.quarantine_start = last;
    const trace::TraceResult engine = tracer.trace(q);
    ASSERT_EQ(engine, trace::naive_trace(loaded->data, q)) << GetParam() << " person " << person;
    close += engine.close.size();
  }
  EXPECT_GT(close, 0u) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Real, SocioPatternsTest,
                         ::testing::Values("primaryschool", "highschool_2011", "highschool_2012",
                                           "highschool_2013"));

}  // namespace
}  // namespace fx::app
