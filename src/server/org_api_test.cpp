// The organisation, directive attachments, timing stats and exports over
// real HTTP: command edits the organisation, groups and schools read it,
// files go up and come back only to those who see them, and the lists
// download as XLSX.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/directive_files.h"
#include "app/imports.h"
#include "server/api_test_world.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::HttpResponse;

using testing::ApiWorld;
using testing::world_user;

ApiWorld* ow = nullptr;

class OrgApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ow = new ApiWorld;
    ow->open(
        "学校代码,学校名称,学校类型\nC01,净月职业技术学院,高职\n"
        "A01,净月一中,中学\nB01,净月二中,中学\n");
    ASSERT_FALSE(HasFatalFailure());
    ow->start({world_user("admin", "command"), world_user("dispatch", "group", "人员管控"),
               world_user("a01", "institution", "", "A01"),
               world_user("b01", "institution", "", "B01"), world_user("viewer", "viewer")});
  }

  static void TearDownTestSuite() {
    delete ow;
    ow = nullptr;
  }

  static Client as(const std::string& user) { return ow->as(user); }
  static json::value body(const HttpResponse& r) { return testing::body_of(r); }
  static HttpResponse upload(Client c, const std::string& target, const std::string& bytes,
                             const std::string& type = "application/pdf") {
    return c.request("POST", target, bytes, {{"Content-Type", type}});
  }
};

TEST_F(OrgApiTest, CommandEditsTheOrganisationOthersReadIt) {
  Client admin = as("admin");
  auto lead = admin.post("/api/v1/org/members",
                         R"({"group":"人员管控","name":"张伟","lead":true,"phone":"13812345678",)"
                         R"("user":"dispatch"})");
  ASSERT_EQ(lead.status, 201) << lead.body;
  const int64_t lead_id = body(lead).at("id").as_int64();
  EXPECT_EQ(admin.post("/api/v1/org/members", R"({"group":"人员管控","name":"李娜"})").status, 201);
  auto liaison = admin.post("/api/v1/org/liaisons/C01", R"({"name":"赵敏","phone":"13900001111"})");
  EXPECT_EQ(liaison.status, 200) << liaison.body;

  // Bad input names the field; nothing is stored.
  auto bad_group = admin.post("/api/v1/org/members", R"({"group":"后勤组","name":"某人"})");
  EXPECT_EQ(bad_group.status, 400);
  EXPECT_NE(bad_group.body.find("group"), std::string::npos) << bad_group.body;
  auto bad_phone =
      admin.post("/api/v1/org/members", R"({"group":"人员管控","name":"某人","phone":"12"})");
  EXPECT_EQ(bad_phone.status, 400);
  EXPECT_EQ(
      admin.post("/api/v1/org/members", R"({"group":"人员管控","name":"某人","age":3})").status,
      400);
  auto not_college = admin.post("/api/v1/org/liaisons/A01", R"({"name":"某人"})");
  EXPECT_EQ(not_college.status, 400);
  EXPECT_NE(not_college.body.find("institution"), std::string::npos);

  // Only org.manage edits; a group, a school and a viewer cannot.
  EXPECT_EQ(as("dispatch").post("/api/v1/org/members", R"({"group":"人员管控","name":"x"})").status,
            403);
  EXPECT_EQ(as("a01").request("DELETE", "/api/v1/org/members/" + std::to_string(lead_id)).status,
            403);
  EXPECT_EQ(as("viewer").get("/api/v1/org").status, 403);

  // A school reads it: leads, masked phones, liaisons.
  auto org = as("a01").get("/api/v1/org");
  ASSERT_EQ(org.status, 200) << org.body;
  EXPECT_EQ(org.body.find("13812345678"), std::string::npos) << "never the phone in full";
  auto v = body(org);
  const auto& groups = v.at("groups").as_array();
  ASSERT_EQ(groups.size(), 6u);
  EXPECT_EQ(groups.at(1).at("name").as_string(), "人员管控");
  EXPECT_EQ(groups.at(1).at("lead").as_string(), "张伟");
  EXPECT_EQ(groups.at(1).at("members").as_array().size(), 2u);
  EXPECT_EQ(groups.at(1).at("members").as_array().at(0).at("phone").as_string(), "138****5678");
  EXPECT_EQ(groups.at(1).at("members").as_array().at(0).at("user").as_string(), "dispatch");
  EXPECT_EQ(v.at("liaisons").as_array().at(0).at("institution").as_string(), "C01");
  EXPECT_EQ(v.at("liaisons").as_array().at(0).at("phone").as_string(), "139****1111");

  // The lists as XLSX.
  auto xlsx = as("a01").get("/api/v1/org/members?format=xlsx");
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  EXPECT_NE(xlsx.header("content-disposition").find(".xlsx"), std::string::npos);
  EXPECT_EQ(as("a01").get("/api/v1/org/liaisons?format=xlsx").body.substr(0, 2), "PK");
  EXPECT_EQ(as("a01").get("/api/v1/org/liaisons?format=pdf").status, 400);

  ASSERT_EQ(admin.request("DELETE", "/api/v1/org/members/" + std::to_string(lead_id)).status, 200);
  EXPECT_EQ(admin.request("DELETE", "/api/v1/org/members/" + std::to_string(lead_id)).status, 404);
  EXPECT_EQ(admin.request("DELETE", "/api/v1/org/liaisons/C01").status, 200);
  EXPECT_EQ(admin.request("DELETE", "/api/v1/org/liaisons/C01").status, 404);
}

TEST_F(OrgApiTest, AttachmentsGoBackOnlyToThoseWhoSeeThem) {
  Client admin = as("admin");
  auto sent = admin.post("/api/v1/directives", R"({"title":"上报采样照片","to":["A01","B01"]})");
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string d = "/api/v1/directives/" + std::to_string(body(sent).at("id").as_int64());
  // %E9%80%9A%E7%9F%A5.pdf = 通知.pdf, percent-encoded.
  auto notice = upload(admin, d + "/files?name=%E9%80%9A%E7%9F%A5.pdf", "%PDF-1.4 notice");
  ASSERT_EQ(notice.status, 201) << notice.body;
  EXPECT_EQ(upload(admin, d + "/files", "x").status, 400) << "a file needs a name";
  EXPECT_EQ(upload(as("a01"), d + "/files?name=a.pdf", "x").status, 403);

  Client a01 = as("a01");
  EXPECT_EQ(upload(a01, d + "/recipients/A01/files?name=p.jpg", "jpeg", "image/jpeg").status, 409)
      << "before acknowledging";
  ASSERT_EQ(a01.post(d + "/recipients/A01/ack", "{}").status, 200);
  auto evidence = upload(a01, d + "/recipients/A01/files?name=p.jpg", "jpeg-bytes", "image/jpeg");
  ASSERT_EQ(evidence.status, 201) << evidence.body;
  const std::string file = d + "/files/" + std::to_string(body(evidence).at("id").as_int64());
  EXPECT_EQ(upload(as("b01"), d + "/recipients/A01/files?name=p.jpg", "x").status, 404);

  // B01 sees the notice, not A01's evidence, even by its id.
  auto theirs = body(as("b01").get(d + "/files"));
  ASSERT_EQ(theirs.at("items").as_array().size(), 1u);
  EXPECT_EQ(theirs.at("items").as_array().at(0).at("name").as_string(), "通知.pdf");
  EXPECT_EQ(as("b01").get(file).status, 404);
  auto back = admin.get(file);
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(back.body, "jpeg-bytes");
  EXPECT_EQ(back.header("content-type"), "image/jpeg");
  EXPECT_EQ(back.header("cache-control"), "no-store");
  EXPECT_EQ(body(a01.get(d + "/files")).at("items").as_array().size(), 2u);

  // Over the limit: refused before it is read.
  std::string big(app::kMaxAttachmentBytes + 2048, 'x');
  EXPECT_EQ(upload(admin, d + "/files?name=big.bin", big).status, 413);
}

TEST_F(OrgApiTest, TimingStatsAndExports) {
  Client admin = as("admin");
  auto sent = admin.post("/api/v1/directives", R"({"title":"统计","to":["A01","B01"]})");
  ASSERT_EQ(sent.status, 201);
  const std::string d = "/api/v1/directives/" + std::to_string(body(sent).at("id").as_int64());
  ASSERT_EQ(as("a01").post(d + "/recipients/A01/ack", "{}").status, 200);
  auto stats = admin.get("/api/v1/directives/stats");
  ASSERT_EQ(stats.status, 200) << stats.body;
  auto s = body(stats);
  EXPECT_GE(s.at("total").at("acknowledged").as_int64(), 1);
  EXPECT_GE(s.at("institutions").as_array().size(), 2u);
  // A school's figures are its own.
  auto own = body(as("b01").get("/api/v1/directives/stats"));
  ASSERT_EQ(own.at("institutions").as_array().size(), 1u);
  EXPECT_EQ(own.at("institutions").as_array().at(0).at("code").as_string(), "B01");
  for (const std::string& target :
       {std::string("/api/v1/directives?format=xlsx"), d + "?format=xlsx",
        std::string("/api/v1/directives/stats?format=xlsx")}) {
    auto x = admin.get(target);
    EXPECT_EQ(x.status, 200) << target;
    EXPECT_EQ(x.body.substr(0, 2), "PK") << target;
  }
  EXPECT_EQ(admin.get("/api/v1/directives/stats?format=doc").status, 400);
  EXPECT_EQ(as("viewer").get("/api/v1/directives/stats").status, 403);
}

}  // namespace
}  // namespace fx::server
