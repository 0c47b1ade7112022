// Directives to task groups and liaisons over real HTTP: POST /directives
// with group: and liaison: keys, each recipient acting on its own row by
// the percent-encoded key in the path, another group's row 404, an unknown
// group or liaison 400 naming it with nothing stored, and the stats by kind.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/org.h"
#include "server/api_test_world.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::HttpResponse;

std::string enc(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_')
      out.push_back(static_cast<char>(c));
    else
      out += {'%', hex[c >> 4], hex[c & 15]};
  }
  return out;
}

class DirectiveRecipientsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    using testing::world_user;
    world_.open(
        "学校代码,学校名称,学校类型\nC01,净月职业技术学院,高职\n"
        "A01,净月一中,中学\n");
    ASSERT_FALSE(HasFatalFailure());
    app::NewUser liaison = world_user("liu", "liaison");
    liaison.colleges = {"C01"};
    world_.start({world_user("admin", "command"), world_user("control", "group", "人员管控"),
                  world_user("teach", "group", "教学保障"), liaison,
                  world_user("a01", "institution", "", "A01")});
    ASSERT_FALSE(HasFatalFailure());
    auto cli = app::cli_caller("test");
    ASSERT_TRUE(app::put_org_liaison(*world_.store, cli, {"C01", "刘洋", "", "liu"}).ok());
  }

  Client as(const std::string& user) { return world_.as(user); }
  static json::value body(const HttpResponse& r) { return testing::body_of(r); }
  std::string act(const std::string& id, const std::string& key, const std::string& what) {
    return "/api/v1/directives/" + id + "/recipients/" + enc(key) + "/" + what;
  }

  testing::ApiWorld world_;
};

TEST_F(DirectiveRecipientsApiTest, GroupsAndLiaisonsReceiveAndActOnTheirOwnRows) {
  Client admin = as("admin");
  auto sent =
      admin.post("/api/v1/directives", R"({"title":"物资清点","deadline":"2030-01-01 18:00",)"
                                       R"("to":["A01","group:人员管控","liaison:liu"]})");
  ASSERT_EQ(sent.status, 201) << sent.body;
  const json::value d = body(sent);  // kept: a local
  const std::string id = std::to_string(d.at("id").as_int64());
  ASSERT_EQ(d.at("recipients").as_array().size(), 3u);
  EXPECT_EQ(d.at("recipients").as_array().at(1).at("key").as_string(), "group:人员管控");
  EXPECT_EQ(d.at("recipients").as_array().at(1).at("kind").as_string(), "group");
  EXPECT_EQ(d.at("recipients").as_array().at(2).at("kind").as_string(), "liaison");

  // Each sees its own row; another group's is 404.
  Client control = as("control"), teach = as("teach"), liu = as("liu");
  auto mine = control.get("/api/v1/directives/" + id);
  ASSERT_EQ(mine.status, 200) << mine.body;
  const json::value m = body(mine);
  ASSERT_EQ(m.at("recipients").as_array().size(), 2u);  // A01 (district-wide) and its group
  EXPECT_EQ(m.at("recipients").as_array().at(1).at("state").as_string(), "read")
      << "opened by the group";
  EXPECT_EQ(teach.post(act(id, "group:人员管控", "ack"), "").status, 404);
  EXPECT_EQ(liu.post(act(id, "group:人员管控", "ack"), "").status, 404);
  auto ack = control.post(act(id, "group:人员管控", "ack"), "");
  ASSERT_EQ(ack.status, 200) << ack.body;
  auto done = liu.post(act(id, "liaison:liu", "ack"), "");
  ASSERT_EQ(done.status, 200) << done.body;
  done = liu.post(act(id, "liaison:liu", "done"), R"({"feedback":"已清点"})");
  ASSERT_EQ(done.status, 200) << done.body;
  const json::value l = body(done);
  ASSERT_EQ(l.at("recipients").as_array().size(), 1u) << "the liaison sees its row only";
  EXPECT_EQ(l.at("recipients").as_array().at(0).at("state").as_string(), "done");
  EXPECT_EQ(admin.post(act(id, "liaison:liu", "accept"), "").status, 200);

  auto inbox = liu.get("/api/v1/directives");
  ASSERT_EQ(inbox.status, 200);
  EXPECT_EQ(body(inbox).at("items").as_array().size(), 1u);
  auto filtered = admin.get("/api/v1/directives?institution=" + enc("group:人员管控"));
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_EQ(body(filtered).at("items").as_array().at(0).at("recipients").as_array().size(), 1u);

  auto stats = admin.get("/api/v1/directives/stats");
  ASSERT_EQ(stats.status, 200) << stats.body;
  const json::value s = body(stats);
  EXPECT_EQ(s.at("by_kind").at("liaison").at("accepted").to_number<int>(), 1);
  EXPECT_EQ(s.at("groups_and_liaisons").as_array().size(), 2u);
  EXPECT_EQ(s.at("institutions").as_array().size(), 1u);
  auto xlsx = admin.get("/api/v1/directives/" + id + "?format=xlsx");
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
}

TEST_F(DirectiveRecipientsApiTest, UnknownGroupOrLiaisonIs400NamingItNothingStored) {
  Client admin = as("admin");
  for (const std::string key : {"group:后勤组", "liaison:nobody"}) {
    auto r = admin.post("/api/v1/directives", R"({"title":"t","to":["A01",")" + key + R"("]})");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find(key), std::string::npos) << r.body;
  }
  auto list = admin.get("/api/v1/directives");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(body(list).at("items").as_array().empty());
  // A school still cannot send, to a group or anyone.
  EXPECT_EQ(as("a01").post("/api/v1/directives", R"({"title":"t","to":["group:人员管控"]})").status,
            403);
}

}  // namespace
}  // namespace fx::server
