// Teaching continuity and front-line volunteers over real HTTP: reports as
// JSON rows with errors naming row and field, scope by role (an institution
// its own, 教学保障 all, other groups and viewers figures only), masks,
// exports, and volunteer shifts managed by 综合调度.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "server/api_test_world.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::HttpResponse;

using testing::ApiWorld;
using testing::world_user;

ApiWorld* ww = nullptr;

class TeachingApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ww = new ApiWorld;
    ww->open("学校代码,学校名称,学校类型\nS01,净月一中,中学\nS02,净月二中,中学\n",
             "学校代码,姓名,证件类型,证件号码,学号/工号,人员类别,校区,部门,年级,班级\n"
             "S01,学生甲,护照,E20000001,P01,学生,本部,,初一,初一1班\n"
             "S01,教师甲,护照,E20000002,T01,教师,本部,教务处,,\n"
             "S01,职工甲,护照,E20000003,W01,职工,本部,后勤处,,\n"
             "S02,学生乙,护照,E20000004,P01,学生,本部,,初二,初二1班\n"
             "S02,职工乙,护照,E20000005,W01,职工,本部,后勤处,,\n");
    ww->start({world_user("admin", "command"), world_user("teach", "group", "教学保障"),
               world_user("dispatch", "group", "综合调度"),
               world_user("supply", "group", "物资保障"),
               world_user("s01", "institution", "", "S01"),
               world_user("s02", "institution", "", "S02"), world_user("viewer", "viewer")});
  }
  static void TearDownTestSuite() {
    delete ww;
    ww = nullptr;
  }
  static Client as(const std::string& user) { return ww->as(user); }
  static json::value body(const HttpResponse& r) { return testing::body_of(r); }
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
