// Inspection and rectification over real HTTP: the scenario's figures from
// the endpoint, the loop (record → evidence with a file → return → verify),
// bad input, scope by role, exports and the printable letter.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <optional>

#include "app/inspection_scenario.h"
#include "server/api_test_world.h"
#include "sim/district.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::HttpResponse;

using testing::world_user;

struct InspectWorld : testing::ApiWorld {
  std::string first, second;  // two institution codes
  std::string end_date;
};

InspectWorld* iw = nullptr;

class InspectionsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    iw = new InspectWorld;
    InspectWorld& w = *iw;
    w.open();
    ASSERT_FALSE(HasFatalFailure());
    sim::DistrictGenerator gen(sim::DistrictShape{});
    {  // a live WriteTx holds the writer: the scenario below would wait for it forever
      auto tx = w.store->begin();
      ASSERT_TRUE(tx.ok());
      for (const auto& i : gen.institutions()) {
        domain::Institution inst;
        inst.code = i.code;
        inst.name = i.name;
        ASSERT_TRUE((*tx)->insert_institution(inst).ok());
      }
      ASSERT_TRUE((*tx)->commit().ok());
    }
    auto list = w.store->list_institutions();
    ASSERT_TRUE(list.ok());
    std::sort(list->begin(), list->end(), [](auto& a, auto& b) { return a.code < b.code; });
    w.first = (*list)[0].code;
    w.second = (*list)[1].code;
    auto scenario = app::run_inspection_scenario(*w.store, app::cli_caller("test"));
    ASSERT_TRUE(scenario.ok()) << scenario.status().message();
    w.end_date = scenario->end_date;
    w.start({world_user("insp", "group", "监督检查"), world_user("supply", "group", "物资保障"),
             world_user("s1", "institution", "", w.first),
             world_user("s2", "institution", "", w.second), world_user("view", "viewer")});
  }
  static void TearDownTestSuite() {
    delete iw;
    iw = nullptr;
  }
  static Client as(const std::string& user) { return iw->as(user); }
  static json::value body(const HttpResponse& r) { return testing::body_of(r); }
};

TEST_F(InspectionsApiTest, TheFiguresEndpointPrintsTheSourcesNumbers) {
  auto r = as("view").get("/api/v1/inspections/figures?today=" + iw->end_date);
  ASSERT_EQ(r.status, 200) << r.body;
  auto f = body(r);
  EXPECT_EQ(f.at("rounds").as_int64(), 4);
  EXPECT_EQ(f.at("institutions").as_int64(), 203);
  const auto& coverage = f.at("coverage").as_array();
  ASSERT_EQ(coverage.size(), 4u);
  for (const auto& c : coverage) {
    EXPECT_EQ(c.at("inspected").as_int64(), 203);
    EXPECT_EQ(c.at("total").as_int64(), 203);
  }
  EXPECT_EQ(f.at("findings").as_int64(), 37);
  EXPECT_EQ(f.at("closed").as_int64(), 34);
  EXPECT_EQ(f.at("open").as_int64(), 3);
  EXPECT_EQ(f.at("overdue").as_int64(), 3);
  EXPECT_EQ(f.at("letters").as_int64(), 23);
  EXPECT_EQ(f.at("supervisors").as_int64(), 36);
  EXPECT_EQ(f.at("on_site").as_int64(), 36);
  // The viewer sees figures only.
  EXPECT_EQ(as("view").get("/api/v1/inspections/findings").status, 403);
}

TEST_F(InspectionsApiTest, TheLoopOverHttp) {
  Client insp = as("insp");
  auto rounds = body(insp.get("/api/v1/inspections/rounds"));
  ASSERT_EQ(rounds.at("rounds").as_array().size(), 4u);
  auto made = insp.post("/api/v1/inspections/rounds",
                        R"({"name":"专项检查","start_date":"2022-05-01","end_date":"2022-05-03"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const int64_t round = body(made).at("id").as_int64();
  // Bad input: each names its field, nothing is stored.
  const std::string head = "{\"round\":" + std::to_string(round) + ",\"institution\":\"";
  auto bad = insp.post("/api/v1/inspections",
                       head + "NOPE\",\"inspector\":\"王\",\"date\":\"2022-05-02\"}");
  EXPECT_EQ(bad.status, 404);
  EXPECT_NE(bad.body.find("institution"), std::string::npos);
  bad = insp.post("/api/v1/inspections",
                  head + iw->first + "\",\"inspector\":\"王\",\"date\":\"明天\"}");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("date"), std::string::npos);
  bad = insp.post("/api/v1/inspections",
                  head + iw->first +
                      R"(","inspector":"王","date":"2022-05-02","findings":[{"category":"消毒",)"
                      R"("description":"记录缺失","deadline":"2022-04-30"}]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("findings[0].deadline"), std::string::npos);
  bad = insp.post(
      "/api/v1/inspections",
      head + iw->first +
          R"(","inspector":"王","date":"2022-05-02","items":[{"item":"x","passed":"yes"}]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("items[0].passed"), std::string::npos);
  EXPECT_EQ(body(insp.get("/api/v1/inspections?round=" + std::to_string(round)))
                .at("inspections")
                .as_array()
                .size(),
            0u);

  auto rec = insp.post(
      "/api/v1/inspections",
      head + iw->first +
          R"(","inspector":"督导一组","date":"2022-05-02","items":[{"item":"校门管理","passed":false}],)"
          R"("findings":[{"category":"校门管理","severity":"严重","description":"无人值守","deadline":"2022-05-04"}]})");
  ASSERT_EQ(rec.status, 201) << rec.body;
  auto added = body(rec);
  const int64_t finding = added.at("findings").as_array()[0].as_int64();
  EXPECT_EQ(added.at("directives").as_array().size(), 1u);
  const std::string path = "/api/v1/inspections/findings/" + std::to_string(finding);

  // Another school: 404 for reading and for evidence; its own school submits.
  EXPECT_EQ(as("s2").get(path).status, 404);
  EXPECT_EQ(as("s2").post(path + "/evidence", R"({"text":"x"})").status, 404);
  Client s1 = as("s1");
  auto ev =
      s1.post(path + "/evidence",
              R"({"text":"已安排专人值守","files":[{"name":"门岗.txt","data":"5bey5a6J5o6S"}]})");
  ASSERT_EQ(ev.status, 200) << ev.body;
  auto v = body(ev);
  EXPECT_EQ(v.at("status").as_string(), "submitted");
  const auto& history = v.at("history").as_array();
  ASSERT_EQ(history.size(), 2u);
  const int64_t file = history[1].at("files").as_array()[0].at("id").as_int64();
  auto dl = s1.get("/api/v1/inspections/files/" + std::to_string(file));
  ASSERT_EQ(dl.status, 200);
  EXPECT_EQ(dl.body, "已安排");
  EXPECT_EQ(as("s2").get("/api/v1/inspections/files/" + std::to_string(file)).status, 404);
  EXPECT_EQ(
      s1.post(path + "/evidence", R"({"text":"x","files":[{"name":"a","data":"%%"}]})").status,
      400);
  // The school cannot verify; another group cannot either.
  EXPECT_EQ(s1.post(path + "/verify", "{}").status, 403);
  EXPECT_EQ(as("supply").post(path + "/verify", "{}").status, 403);
  EXPECT_EQ(insp.post(path + "/return", "{}").status, 400);  // reason required
  auto back = insp.post(path + "/return", R"({"reason":"缺照片"})");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(body(back).at("status").as_string(), "open");
  ASSERT_EQ(s1.post(path + "/evidence", R"({"text":"补充照片"})").status, 200);
  auto ok = insp.post(path + "/verify", R"({"note":"复查属实"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(body(ok).at("status").as_string(), "closed");
  EXPECT_EQ(s1.post(path + "/evidence", R"({"text":"again"})").status, 409);
  EXPECT_EQ(body(s1.get(path)).at("history").as_array().size(), 5u);

  // A letter citing it, printable.
  auto letter =
      insp.post("/api/v1/inspections/letters",
                "{\"institution\":\"" + iw->first + "\",\"findings\":[" + std::to_string(finding) +
                    R"(],"title":"提醒函","body":"请整改","date":"2022-05-03"})");
  ASSERT_EQ(letter.status, 201) << letter.body;
  auto l = body(letter);
  EXPECT_EQ(l.at("number_text").as_string(), "京教防提〔2022〕第24号");
  auto text = s1.get("/api/v1/inspections/letters/" + std::to_string(l.at("id").as_int64()) +
                     "?format=text");
  ASSERT_EQ(text.status, 200);
  EXPECT_NE(text.body.find("京教防提〔2022〕第24号"), std::string::npos);
  EXPECT_NE(text.body.find("无人值守"), std::string::npos);
}

TEST_F(InspectionsApiTest, ListsAreScopedAndExport) {
  auto mine = body(as("s1").get("/api/v1/inspections/findings"));
  for (const auto& f : mine.at("findings").as_array())
    EXPECT_EQ(f.at("institution").at("code").as_string(), iw->first);
  auto all = body(as("supply").get("/api/v1/inspections/findings"));
  EXPECT_GE(all.at("findings").as_array().size(), 37u);
  auto x = as("insp").get("/api/v1/inspections/findings?format=xlsx");
  ASSERT_EQ(x.status, 200);
  EXPECT_EQ(x.body.substr(0, 2), "PK");
  EXPECT_NE(x.header("content-disposition").find(".xlsx"), std::string::npos);
  for (const char* list : {"letters", "supervisors"}) {
    auto r = as("insp").get(std::string("/api/v1/inspections/") + list + "?format=xlsx");
    EXPECT_EQ(r.status, 200) << list;
    EXPECT_EQ(r.body.substr(0, 2), "PK") << list;
  }
  auto sup = body(as("insp").get("/api/v1/inspections/supervisors?today=" + iw->end_date));
  EXPECT_EQ(sup.at("supervisors").as_array().size(), 36u);
  auto bad = as("insp").get("/api/v1/inspections/findings?status=maybe");
  EXPECT_EQ(bad.status, 400);
}

}  // namespace
}  // namespace fx::server
