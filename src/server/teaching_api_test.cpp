// Teaching continuity and front-line volunteers over real HTTP: reports as
// JSON rows with errors naming row and field, scope by role (an institution
// its own, 教学保障 all, other groups and viewers figures only), masks,
// exports, and volunteer shifts managed by 综合调度.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../../tests/test_support.h"
#include "app/imports.h"
#include "server/service.h"
#include "server/test_client.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::HttpResponse;

constexpr const char* kPassword = "correct-horse-battery";

struct TeachingWorld {
  fx::testing::TempDir dir;
  std::optional<Vault> vault;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Service> service;
  uint16_t port = 0;
};
TeachingWorld* ww = nullptr;

class TeachingApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ww = new TeachingWorld;
    TeachingWorld& w = *ww;
    auto vault = Vault::open_or_create(w.dir.file("fangxian.key"));
    ASSERT_TRUE(vault.ok()) << vault.status().message();
    w.vault = std::move(*vault);
    auto store = store::open_store(w.dir.file("fx.db"), *w.vault);
    ASSERT_TRUE(store.ok()) << store.status().message();
    w.store = std::move(*store);
    fx::testing::write_file(w.dir.file("i.csv"),
                            "学校代码,学校名称,学校类型\nS01,净月一中,中学\nS02,净月二中,中学\n");
    fx::testing::write_file(
        w.dir.file("r.csv"),
        "学校代码,姓名,证件类型,证件号码,学号/工号,人员类别,校区,部门,年级,班级\n"
        "S01,学生甲,护照,E20000001,P01,学生,本部,,初一,初一1班\n"
        "S01,教师甲,护照,E20000002,T01,教师,本部,教务处,,\n"
        "S01,职工甲,护照,E20000003,W01,职工,本部,后勤处,,\n"
        "S02,学生乙,护照,E20000004,P01,学生,本部,,初二,初二1班\n"
        "S02,职工乙,护照,E20000005,W01,职工,本部,后勤处,,\n");
    ASSERT_TRUE(app::import_institutions(*w.store, w.dir.file("i.csv")).ok());
    auto r = app::import_roster(*w.store, *w.vault, w.dir.file("r.csv"));
    ASSERT_TRUE(r.ok() && r->imported == 5) << r.status().message();
    ServiceOptions o;
    o.http.host = "127.0.0.1";
    o.http.port = 0;
    o.web_root = w.dir.file("web");
    o.upload_dir = w.dir.file("uploads");
    o.accounts.pwhash_ops = 1;
    o.accounts.pwhash_mem = 8192;
    w.service = std::make_unique<Service>(*w.store, *w.vault, o);
    auto port = w.service->start();
    ASSERT_TRUE(port.ok()) << port.status().message();
    w.port = *port;
    auto cli = app::cli_caller("test");
    for (app::NewUser u : {app::NewUser{"admin", "", "command", "", "", {}, ""},
                           app::NewUser{"teach", "", "group", "教学保障", "", {}, ""},
                           app::NewUser{"dispatch", "", "group", "综合调度", "", {}, ""},
                           app::NewUser{"supply", "", "group", "物资保障", "", {}, ""},
                           app::NewUser{"s01", "", "institution", "", "S01", {}, ""},
                           app::NewUser{"s02", "", "institution", "", "S02", {}, ""},
                           app::NewUser{"viewer", "", "viewer", "", "", {}, ""}}) {
      u.password = kPassword;
      auto added = w.service->accounts().add_user(u, cli);
      ASSERT_TRUE(added.ok()) << u.username << ": " << added.status().message();
    }
  }
  static void TearDownTestSuite() {
    ww->service.reset();
    delete ww;
    ww = nullptr;
  }
  static Client as(const std::string& user) {
    Client c(ww->port);
    EXPECT_EQ(c.login(user, kPassword).status, 200) << user;
    return c;
  }
  static json::value body(const HttpResponse& r) {
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << r.body;
    return v;
  }
};

TEST_F(TeachingApiTest, ReportsAreCheckedWholeAndScopedByRole) {
  Client s01 = as("s01");
  // Text in a number field, a class of another institution, attendance above expected.
  auto bad =
      s01.post("/api/v1/teaching/attendance",
               R"({"rows":[{"class":"初一1班","day":"2022-03-09","expected":"abc","attending":1},)"
               R"({"class":"初二1班","day":"2022-03-09","expected":1,"attending":1},)"
               R"({"class":"初一1班","day":"2022-03-10","expected":1,"attending":2}]})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("第1行 expected"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("第2行 class"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("第3行 attending"), std::string::npos) << bad.body;
  auto ok =
      s01.post("/api/v1/teaching/attendance",
               R"({"rows":[{"class":"初一1班","day":"2022-03-09","expected":1,"attending":1}]})");
  ASSERT_EQ(ok.status, 201) << ok.body;
  auto care = s01.post("/api/v1/teaching/care",
                       R"({"rows":[{"student":"P01","category":"留守儿童","teacher":"T01"}]})");
  ASSERT_EQ(care.status, 201) << care.body;
  auto sat = s01.post(
      "/api/v1/teaching/spot-checks",
      R"({"rows":[{"student":"P01","caller":"王督导","called_at":"2022-03-15 10:00","satisfaction":6}]})");
  EXPECT_EQ(sat.status, 400);
  EXPECT_NE(sat.body.find("第1行 satisfaction"), std::string::npos) << sat.body;
  ASSERT_EQ(
      as("s02")
          .post("/api/v1/teaching/care", R"({"rows":[{"student":"P01","category":"学困生"}]})")
          .status,
      201);

  // Lists: each school its own; 教学保障 all; other groups and viewers none.
  auto mine = body(s01.get("/api/v1/teaching/care"));
  ASSERT_EQ(mine.at("total").as_int64(), 1);
  EXPECT_EQ(mine.at("items").as_array()[0].at("student").at("name").as_string(), "学生甲");
  const std::string raw = s01.get("/api/v1/teaching/care").body;
  EXPECT_EQ(raw.find("E20000001"), std::string::npos) << raw;  // masked
  EXPECT_EQ(s01.get("/api/v1/teaching/care?institution=S02").status, 404);
  EXPECT_EQ(body(as("teach").get("/api/v1/teaching/care")).at("total").as_int64(), 2);
  EXPECT_EQ(as("supply").get("/api/v1/teaching/care").status, 403);
  EXPECT_EQ(as("viewer").get("/api/v1/teaching/care").status, 403);
  auto f = body(as("viewer").get("/api/v1/teaching/figures"));
  EXPECT_EQ(f.at("care").as_int64(), 2);
  EXPECT_EQ(f.at("care_with_teacher").as_int64(), 1);
  EXPECT_EQ(f.at("classes").as_int64(), 2);
  EXPECT_EQ(f.at("classes_online_first_day").as_int64(), 1);
  auto f1 = body(s01.get("/api/v1/teaching/figures"));
  EXPECT_EQ(f1.at("care").as_int64(), 1);  // its own institution's figures
  // Exports.
  auto x = as("teach").get("/api/v1/teaching/care?format=xlsx");
  ASSERT_EQ(x.status, 200);
  EXPECT_EQ(x.body.substr(0, 2), "PK");
  EXPECT_NE(x.header("content-disposition").find(".xlsx"), std::string::npos);
  // History of a correction.
  const int64_t id = body(ok).at("ids").as_array()[0].as_int64();
  ASSERT_EQ(
      s01.post("/api/v1/teaching/attendance",
               R"({"rows":[{"class":"初一1班","day":"2022-03-09","expected":1,"attending":0}]})")
          .status,
      201);
  auto h = body(s01.get("/api/v1/teaching/history?kind=attendance&id=" + std::to_string(id)));
  ASSERT_EQ(h.at("items").as_array().size(), 1u);
  EXPECT_EQ(h.at("items").as_array()[0].at("previous").at("attending").as_int64(), 1);
  EXPECT_EQ(
      as("s02").get("/api/v1/teaching/history?kind=attendance&id=" + std::to_string(id)).status,
      404);
}

TEST_F(TeachingApiTest, VolunteersAreManagedByDispatchAndSeenByScope) {
  Client d = as("dispatch");
  EXPECT_EQ(as("s01").post("/api/v1/volunteers/sites", R"({"name":"A宾馆","kind":"hotel"})").status,
            403);
  ASSERT_EQ(d.post("/api/v1/volunteers/sites", R"({"name":"净月宾馆","kind":"隔离宾馆"})").status,
            201);
  EXPECT_EQ(d.post("/api/v1/volunteers/sites", R"({"name":"净月宾馆","kind":"hotel"})").status,
            409);
  auto bad = d.post(
      "/api/v1/volunteers/shifts",
      R"({"rows":[{"institution":"S01","person":"W01","site":"净月宾馆","start":"2022-03-15 16:00","end":"2022-03-15 08:00"},)"
      R"({"institution":"S01","person":"P01","site":"净月宾馆","start":"2022-03-15 08:00","end":"2022-03-15 16:00"}]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("第1行 end"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("第2行 person"), std::string::npos) << bad.body;
  auto ok = d.post(
      "/api/v1/volunteers/shifts",
      R"({"rows":[{"institution":"S01","person":"W01","site":"净月宾馆","role":"核酸检测","start":"2022-03-15 08:00","end":"2022-03-15 16:00"},)"
      R"({"institution":"S02","person":"W01","site":"净月宾馆","start":"2022-03-15 08:00","end":"2022-03-15 16:00"}]})");
  ASSERT_EQ(ok.status, 201) << ok.body;
  auto overlap = d.post(
      "/api/v1/volunteers/shifts",
      R"({"rows":[{"institution":"S01","person":"W01","site":"净月宾馆","start":"2022-03-15 12:00","end":"2022-03-15 18:00"}]})");
  EXPECT_EQ(overlap.status, 400);
  EXPECT_NE(overlap.body.find("重叠"), std::string::npos) << overlap.body;
  EXPECT_EQ(as("s01").post("/api/v1/volunteers/shifts", R"({"rows":[]})").status, 403);
  auto mine = body(as("s01").get("/api/v1/volunteers/shifts?now=2022-03-15%2012%3A00"));
  EXPECT_EQ(mine.at("people_deployed").as_int64(), 1);
  EXPECT_EQ(mine.at("now_on_duty").as_array().size(), 1u);
  EXPECT_DOUBLE_EQ(mine.at("hours").as_double(), 4.0);
  auto all = body(as("viewer").get("/api/v1/volunteers/figures?now=2022-03-16%2000%3A00"));
  EXPECT_EQ(all.at("people_deployed").as_int64(), 2);
  EXPECT_DOUBLE_EQ(all.at("hours").as_double(), 16.0);
  EXPECT_FALSE(all.as_object().contains("people"));
  EXPECT_EQ(as("viewer").get("/api/v1/volunteers/shifts").status, 403);
  auto x = d.get("/api/v1/volunteers/shifts?format=csv&list=people&now=2022-03-16%2000%3A00");
  ASSERT_EQ(x.status, 200);
  EXPECT_NE(x.body.find("职工乙"), std::string::npos);
}

}  // namespace
}  // namespace fx::server
