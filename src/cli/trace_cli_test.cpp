// End-to-end tracing through the binary: a generated district with a week of
// timetables and swipes, `trace --check-naive`, `case confirm`, the tracking
// table from the policy, quarantine-site capacity, and a policy switch.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdio>

#include "../../tests/test_support.h"

namespace fx::cli {
namespace {

namespace json = boost::json;
using fx::testing::TempDir;

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

CliRun run(const std::string& args) {
  TempDir errors;
  const std::string err_file = errors.file("stderr");
  std::string cmd = testing::fangxian_binary() + " " + args + " 2>" + err_file;
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = testing::read_file(err_file);
  return r;
}

// One district for the whole suite: generating and importing it is the slow part.
class TraceCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string d = dir_->file("district"), p = dir_->file("presence");
    for (const std::string& args :
         {"sim district --people 12000 --no-xlsx --no-gb18030 --out " + d,
          "sim presence --people 12000 --days 7 --out " + p,
          db() + "import institutions " + d + "/institutions.csv",
          db() + "import roster " + d + "/roster.csv",
          db() + "import presence --kind timetable --create-places " + p + "/timetable.csv",
          db() + "import presence --kind swipes --create-places " + p + "/swipes.csv"}) {
      const CliRun r = run(args);
      ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.out << r.err;
    }
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string db() { return "--db " + dir_->file("fx.db") + " "; }
  static TempDir* dir_;
};
TempDir* TraceCli::dir_ = nullptr;

// A college student with a dorm room: JY0001 is the first (largest) college.
constexpr const char* kStudent = "JY0001:2019010101";

TEST_F(TraceCli, TraceListsContactsWithReasonsAndEqualsTheNaiveScan) {
  const CliRun r =
      run(db() + "trace --person " + kStudent + " --at '2022-03-04 12:00' --json --check-naive");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("naive scan: 一致 equal"), std::string::npos) << r.err;
  const json::object doc = json::parse(r.out).as_object();
  const json::array& close = doc.at("close").as_array();
  const json::array& secondary = doc.at("secondary").as_array();
  ASSERT_GT(close.size(), 30u);  // at least the class
  EXPECT_GT(secondary.size(), close.size());
  bool dorm = false;
  for (const json::value& c : close) {
    const json::object& o = c.as_object();
    ASSERT_GT(o.at("minutes").to_number<double>(), 0);
    const json::array& sources = o.at("sources").as_array();
    ASSERT_EQ(sources.size(), 1u);
    for (const json::value& e : sources[0].as_object().at("exposures").as_array()) {
      EXPECT_FALSE(e.as_object().at("place").as_string().empty());
      dorm = dorm || e.as_object().at("kind").as_string() == "dorm_room";
    }
  }
  EXPECT_TRUE(dorm) << "a roommate should be a close contact through the dorm";
  // Nothing was recorded.
  EXPECT_EQ(run(db() + "case list --json").out, "[]\n");
}

TEST_F(TraceCli, UnknownPersonAndBadTimesAreClearErrors) {
  CliRun r = run(db() + "trace --person JY0001:nobody --at '2022-03-04 12:00'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("学号"), std::string::npos) << r.err;
  r = run(db() + "trace --person " + std::string(kStudent) + " --at yesterday");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--at"), std::string::npos) << r.err;
  r = run(db() + "trace --person " + std::string(kStudent) +
          " --at '2022-03-04 12:00' --policy nope");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("covid-9th"), std::string::npos) << r.err;
}

TEST_F(TraceCli, CaseConfirmFillsTheTrackingTableFromThePolicy) {
  ASSERT_EQ(run(db() + "site add --name 净月宾馆 --capacity 30").exit_code, 0);
  CliRun r = run(db() + "case confirm --person " + std::string(kStudent) +
                 " --sample-time '2022-03-04 08:00' --onset 2022-03-03 --confirmed-at "
                 "'2022-03-04 20:00' --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::object outcome = json::parse(r.out).as_object();
  const int64_t close = outcome.at("close").as_int64();
  ASSERT_GT(close, 30);
  EXPECT_EQ(outcome.at("policy").as_string(), "covid-8th");
  // The card counts what the trace listed.
  r = run(db() + "case card --case 1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::value first_card = json::parse(r.out);
  EXPECT_EQ(first_card.at("close").as_int64(), close);
  EXPECT_EQ(first_card.at("secondary").as_int64(), outcome.at("secondary").as_int64());
  // Confirming the same person again is refused and changes nothing.
  r = run(db() + "case confirm --person " + std::string(kStudent) +
          " --sample-time '2022-03-04 08:00'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("already a case"), std::string::npos) << r.err;

  r = run(db() + "tracking list --json --today 2022-03-06");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::object table = json::parse(r.out).as_object();
  EXPECT_EQ(table.at("close").as_int64(), close);
  long centralised_at_site = 0;
  for (const json::value& v : table.at("rows").as_array()) {
    const json::object& row = v.as_object();
    EXPECT_EQ(row.at("policy").as_string(), "covid-8th");
    const json::array& tests = row.at("tests").as_array();
    if (row.at("category").as_string() == "close") {
      // covid-8th: 14 days centralised + 7 days home monitoring from the last
      // exposure; tests on days 1, 4, 7 and the two before release (13, 14).
      EXPECT_EQ(row.at("quarantine_kind").as_string(), "centralised");
      ASSERT_EQ(tests.size(), 5u);
      EXPECT_EQ(tests[0].as_object().at("day").as_int64(), 1);
      EXPECT_EQ(tests[4].as_object().at("day").as_int64(), 14);
      const std::string last(row.at("last_exposure").as_string());
      const std::string end(row.at("planned_end").as_string());
      EXPECT_EQ(end.substr(11), last.substr(11));  // whole days later
      EXPECT_EQ(
          tests[0].as_object().at("state").as_string(),
          tests[0].as_object().at("date").as_string() < "2022-03-06" ? "overdue" : "upcoming");
    } else {
      EXPECT_EQ(tests.size(), 3u);  // secondary: days 1, 4, 7
    }
    EXPECT_FALSE(row.at("sources").as_array().empty());
    if (!row.at("site").as_string().empty()) ++centralised_at_site;
  }
  EXPECT_EQ(centralised_at_site, 30);  // the site is full, never over
  EXPECT_GT(table.at("without_site").as_int64(), 0);

  // A close contact confirmed later under the 9th protocol becomes a case and
  // is traced in turn; earlier orders keep the 8th.
  const json::array& rows = table.at("rows").as_array();
  std::string contact_code;
  for (const json::value& v : rows)
    if (v.as_object().at("category").as_string() == "close") {
      contact_code = std::string(v.as_object().at("person_code").as_string());
      break;
    }
  ASSERT_FALSE(contact_code.empty());
  r = run(db() + "case confirm --person JY0001:" + contact_code +
          " --sample-time '2022-03-05 09:00' --confirmed-at '2022-03-05 20:00' --policy covid-9th "
          "--json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run(db() + "tracking list --json --status became_case");
  const json::value became_doc = json::parse(r.out);
  const json::array& became = became_doc.at("rows").as_array();
  ASSERT_EQ(became.size(), 1u);
  EXPECT_EQ(became[0].as_object().at("person_code").as_string(), contact_code);
  r = run(db() + "tracking list --json");
  const json::value all = json::parse(r.out);
  long eighth = 0, ninth = 0;
  for (const json::value& v : all.at("rows").as_array())
    (v.as_object().at("policy").as_string() == "covid-9th" ? ninth : eighth)++;
  EXPECT_GT(eighth, 0);
  EXPECT_GT(ninth, 0);
  EXPECT_EQ(run(db() + "tracking list --out " + dir_->file("tracking.xlsx")).exit_code, 0);

  // The first case's card: the second case came from its contacts.
  r = run(db() + "case card --case 1 --json --out " + dir_->file("card.xlsx"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::value card = json::parse(r.out);
  EXPECT_EQ(card.at("close").as_int64(), close);
  // Secondary contacts whom the second case's trace listed as its close
  // contacts are the second case's now.
  EXPECT_LT(card.at("secondary").as_int64(), outcome.at("secondary").as_int64());
  EXPECT_EQ(card.at("became_cases").as_int64(), 1);
  EXPECT_FALSE(card.at("places").as_array().empty());
  EXPECT_EQ(std::string(card.at("id_masked").as_string()).find_first_of("*") != std::string::npos,
            true);
  r = run(db() + "case card --case 2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(json::parse(r.out).at("infected_by_name").as_string().empty());
  EXPECT_EQ(run(db() + "case card --case 99").exit_code, 1);

  // Who to test first: nobody on the table has a result, so every key person
  // in quarantine is listed, close contacts first, by minutes within each.
  r = run(db() + "tracking untested --json --today 2022-03-06");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::value untested = json::parse(r.out);
  const json::array& ranked = untested.at("items").as_array();
  long quarantined = 0;
  for (const json::value& v : all.at("rows").as_array())
    quarantined += v.at("status").as_string() == "quarantined";
  EXPECT_EQ(static_cast<long>(ranked.size()), quarantined);
  for (size_t i = 1; i < ranked.size(); ++i) {
    const auto& a = ranked[i - 1];
    const auto& b = ranked[i];
    if (a.at("category") == b.at("category"))
      EXPECT_GE(a.at("minutes").as_int64(), b.at("minutes").as_int64()) << i;
    else
      EXPECT_EQ(a.at("category").as_string(), "close") << i;
  }

  // The chain: two cases, the second came from the first's close contacts.
  r = run(db() + "chain");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::value chain = json::parse(r.out);
  EXPECT_EQ(chain.at("cases").as_int64(), 2);
  EXPECT_EQ(chain.at("became_cases").as_int64(), 1);
  const int64_t first_person = card.at("person").as_int64();
  long from_first = 0;
  for (const json::value& e : chain.at("edges").as_array())
    if (e.at("from").as_int64() == first_person && e.at("category").as_string() == "close")
      ++from_first;
  EXPECT_EQ(from_first, close);
}

// Counted here from the roster file, independently of the store.
struct RosterRow {
  std::string inst, cls, dorm;
};
std::vector<RosterRow> roster_rows(const std::string& path) {
  std::vector<RosterRow> rows;
  std::string text = fx::testing::read_file(path);
  if (text.starts_with("\xEF\xBB\xBF")) text = text.substr(3);
  std::vector<std::string> header;
  size_t at = 0;
  bool first = true;
  int inst = -1, cls = -1, dorm = -1;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    at = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    size_t from = 0;
    for (;;) {
      size_t comma = line.find(',', from);
      cells.push_back(line.substr(from, comma - from));
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    if (first) {
      for (int i = 0; i < static_cast<int>(cells.size()); ++i) {
        if (cells[i] == "学校代码") inst = i;
        if (cells[i] == "班级") cls = i;
        if (cells[i] == "宿舍") dorm = i;
      }
      first = false;
      continue;
    }
    if (cells.size() > static_cast<size_t>(std::max({inst, cls, dorm})))
      rows.push_back({cells[inst], cells[cls], cells[dorm]});
  }
  return rows;
}

TEST_F(TraceCli, ImpactPreviewCountsWhatClosingABuildingOrAClassTouches) {
  const auto rows = roster_rows(dir_->file("district") + "/roster.csv");
  long building = 0;
  std::string cls;
  long in_class = 0;
  for (const auto& r : rows)
    if (r.inst == "JY0001" && r.dorm.starts_with("2号楼")) {
      ++building;
      if (cls.empty()) cls = r.cls;
    }
  ASSERT_GT(building, 0);
  for (const auto& r : rows)
    if (r.inst == "JY0001" && r.cls == cls) ++in_class;

  CliRun r = run(db() + "impact --institution JY0001 --dorm-building 2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::value b = json::parse(r.out);
  EXPECT_EQ(b.at("people").as_int64(), building);
  long by_units = 0, by_rooms = 0;
  for (const json::value& u : b.at("units").as_array()) {
    by_units += u.at("affected").as_int64();
    EXPECT_LE(u.at("affected").as_int64(), u.at("size").as_int64());
  }
  for (const json::value& room : b.at("rooms").as_array()) {
    by_rooms += room.at("inside").as_int64();
    EXPECT_EQ(room.at("outside").as_int64(), 0);  // a building's rooms are all inside it
  }
  EXPECT_EQ(by_units, building);
  EXPECT_EQ(by_rooms, building);

  r = run(db() + "impact --institution JY0001 --class " + cls + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::value c = json::parse(r.out);
  EXPECT_EQ(c.at("people").as_int64(), in_class);
  ASSERT_EQ(c.at("units").as_array().size(), 1u);
  EXPECT_EQ(c.at("units").at(0).at("affected").as_int64(), in_class);

  EXPECT_EQ(run(db() + "impact --institution JY0001 --dorm-building 99").exit_code, 1);
  EXPECT_EQ(run(db() + "impact --institution JY0001").exit_code, 1);  // no target
  EXPECT_EQ(run(db() + "impact --institution NOPE --class x").exit_code, 1);
}

}  // namespace
}  // namespace fx::cli
