// Directives to task groups and liaisons over real HTTP: POST /directives
// with group: and liaison: keys, each recipient acting on its own row by
// the percent-encoded key in the path, another group's row 404, an unknown
// group or liaison 400 naming it with nothing stored, and the stats by kind.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "../../tests/test_support.h"
#include "app/imports.h"
#include "app/org.h"
#include "server/service.h"
#include "server/test_client.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::HttpResponse;

constexpr const char* kPassword = "correct-horse-battery";

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
    auto vault = Vault::open_or_create(dir_.file("fangxian.key"));
    ASSERT_TRUE(vault.ok()) << vault.status().message();
    vault_ = std::move(*vault);
    auto store = store::open_store(dir_.file("fx.db"), *vault_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    fx::testing::write_file(dir_.file("institutions.csv"),
                            "学校代码,学校名称,学校类型\nC01,净月职业技术学院,高职\n"
                            "A01,净月一中,中学\n");
    ASSERT_TRUE(app::import_institutions(*store_, dir_.file("institutions.csv")).ok());
    ServiceOptions o;
    o.http.host = "127.0.0.1";
    o.http.port = 0;
    o.web_root = dir_.file("web");
    o.upload_dir = dir_.file("uploads");
    o.accounts.pwhash_ops = 1;
    o.accounts.pwhash_mem = 8192;
    service_ = std::make_unique<Service>(*store_, *vault_, o);
    auto port = service_->start();
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
    auto cli = app::cli_caller("test");
    for (app::NewUser u : {app::NewUser{"admin", "", "command", "", "", {}, ""},
                           app::NewUser{"control", "", "group", "人员管控", "", {}, ""},
                           app::NewUser{"teach", "", "group", "教学保障", "", {}, ""},
                           app::NewUser{"liu", "", "liaison", "", "", {"C01"}, ""},
                           app::NewUser{"a01", "", "institution", "", "A01", {}, ""}}) {
      u.password = kPassword;
      auto r = service_->accounts().add_user(u, cli);
      ASSERT_TRUE(r.ok()) << u.username << ": " << r.status().message();
    }
    ASSERT_TRUE(app::put_org_liaison(*store_, cli, {"C01", "刘洋", "", "liu"}).ok());
  }
  void TearDown() override { service_.reset(); }

  Client as(const std::string& user) {
    Client c(port_);
    EXPECT_EQ(c.login(user, kPassword).status, 200) << user;
    return c;
  }
  static json::value body(const HttpResponse& r) {
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << r.body;
    return v;
  }
  std::string act(const std::string& id, const std::string& key, const std::string& what) {
    return "/api/v1/directives/" + id + "/recipients/" + enc(key) + "/" + what;
  }

  fx::testing::TempDir dir_;
  std::optional<Vault> vault_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Service> service_;
  uint16_t port_ = 0;
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
