// The command loop over real HTTP: a positive single-tube result posted as a
// batch or uploaded as a file opens the case, traces it, fills the tracking
// table and sends each institution concerned its own directive; a pooled
// positive does not; with auto-confirmation off nothing happens.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "../../tests/test_support.h"
#include "app/import_presence.h"
#include "app/imports.h"
#include "server/service.h"
#include "server/test_client.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using testing::Client;

constexpr const char* kPassword = "correct-horse-battery";

std::string data(const std::string& name) {
  return fx::testing::source_dir() + "/tests/data/presence/" + name;
}

class AutoConfirmApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto vault = Vault::open_or_create(dir_.file("fangxian.key"));
    ASSERT_TRUE(vault.ok());
    vault_ = std::move(*vault);
    auto store = store::open_store(dir_.file("fx.db"), *vault_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    ASSERT_TRUE(app::import_institutions(*store_, data("institutions.csv")).ok());
    ASSERT_TRUE(app::import_roster(*store_, *vault_, data("roster.csv")).ok());
    fx::testing::write_file(dir_.file("cross.csv"),
                            "学校代码,人员A,人员B,开始时间,时长(分钟),场景\n"
                            "C01,P02,220102200908080254,2022-03-09 16:00,30,家长会\n");
    for (auto [kind, file] : {std::pair{app::PresenceKind::timetable, data("timetable.csv")},
                              std::pair{app::PresenceKind::contacts, data("contacts.csv")},
                              std::pair{app::PresenceKind::contacts, dir_.file("cross.csv")}}) {
      app::PresenceImportOptions o;
      o.create_places = true;
      auto r = app::import_presence(*store_, *vault_, kind, file, o);
      ASSERT_TRUE(r.ok()) << r.status().message();
    }
  }
  void TearDown() override { service_.reset(); }

  void start(bool auto_confirm) {
    ServiceOptions o;
    o.http.host = "127.0.0.1";
    o.http.port = 0;
    o.http.access_log = false;
    o.upload_dir = dir_.file("uploads");
    o.accounts.pwhash_ops = 1;
    o.accounts.pwhash_mem = 8192;
    o.auto_confirm = auto_confirm;
    service_ = std::make_unique<Service>(*store_, *vault_, o);
    auto port = service_->start();
    ASSERT_TRUE(port.ok());
    port_ = *port;
    auto cli = app::cli_caller("test");
    for (app::NewUser u : {app::NewUser{"admin", "", "command", "", "", {}, ""},
                           app::NewUser{"c01", "", "institution", "", "C01", {}, ""},
                           app::NewUser{"a01", "", "institution", "", "A01", {}, ""}}) {
      u.password = kPassword;
      ASSERT_TRUE(service_->accounts().add_user(u, cli).ok()) << u.username;
    }
  }
  Client as(const std::string& user) {
    Client c(port_);
    EXPECT_EQ(c.login(user, kPassword).status, 200) << user;
    return c;
  }
  static json::value body(const testing::HttpResponse& r) {
    boost::system::error_code ec;
    json::value v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << r.body;
    return v;
  }
  // A round of `pool` with the tube sampled for the people (C01 codes).
  int64_t round_with(int pool, const std::string& tube, const std::vector<std::string>& codes) {
    auto admin = as("admin");
    auto r = admin.post("/api/v1/rounds", R"({"name":"第1轮","date":"2022-03-10","pool_size":)" +
                                              std::to_string(pool) + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    const int64_t id = body(r).at("round").at("id").as_int64();
    json::array recs;
    for (const auto& c : codes)
      recs.push_back(json::object{{"tube_code", tube},
                                  {"person_code", c},
                                  {"institution_code", "C01"},
                                  {"sampled_at", "2022-03-10 08:00"}});
    auto s = admin.post("/api/v1/rounds/" + std::to_string(id) + "/sampling",
                        json::serialize(json::object{{"records", std::move(recs)}}));
    EXPECT_EQ(s.status, 200) << s.body;
    return id;
  }
  std::string positive(const std::string& tube) {
    return R"({"records":[{"tube_code":")" + tube +
           R"(","result":"阳性","lab":"某检测中心","reported_at":"2022-03-10 20:00"}]})";
  }
  long cases() {
    auto c = store_->tracking().list_cases();
    return c.ok() ? static_cast<long>(c->size()) : -1;
  }
  // The close_contacts directives of the case as `user` sees them: code → names.
  std::map<std::string, long> directives_seen(const std::string& user, int64_t case_id) {
    std::map<std::string, long> out;
    auto list = body(as(user).get("/api/v1/directives"));
    for (const auto& d : list.at("items").as_array()) {
      if (d.at("source").as_string() != "close_contacts" || d.at("source_id").as_int64() != case_id)
        continue;
      for (const auto& r : d.at("recipients").as_array())
        out[std::string(r.at("institution").at("code").as_string())] +=
            static_cast<long>(r.at("people").as_array().size());
    }
    return out;
  }
  // Rows of the tracking table of the case as `user` sees it.
  long tracking_rows(const std::string& user, int64_t case_id) {
    long n = 0;
    auto t = body(as(user).get("/api/v1/tracking"));
    for (const auto& r : t.at("rows").as_array())
      if (r.at("case").as_int64() == case_id) {
        ++n;
        EXPECT_FALSE(r.at("planned_end").as_string().empty());
        EXPECT_FALSE(r.at("tests").as_array().empty());
      }
    return n;
  }

  fx::testing::TempDir dir_;
  std::optional<Vault> vault_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Service> service_;
  uint16_t port_ = 0;
};

TEST_F(AutoConfirmApiTest, APostedPositiveOpensTheCaseAndTellsEachInstitution) {
  start(true);
  const int64_t round = round_with(1, "T001", {"P02"});
  auto r =
      as("admin").post("/api/v1/rounds/" + std::to_string(round) + "/results", positive("T001"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto report = body(r);
  EXPECT_EQ(report.at("positives").as_int64(), 1);
  const auto& autos = report.at("auto_confirmed").at("cases").as_array();
  ASSERT_EQ(autos.size(), 1u) << r.body;
  const int64_t case_id = autos[0].at("case").as_int64();
  const long close = static_cast<long>(autos[0].at("close").as_int64());
  const long secondary = static_cast<long>(autos[0].at("secondary").as_int64());
  EXPECT_GT(close, 0);
  EXPECT_EQ(autos[0].at("directives").as_array().size(), 2u) << r.body;
  EXPECT_EQ(autos[0].at("policy").as_string(), "covid-8th");

  // The card, the tracking table and the directives through the API.
  EXPECT_EQ(as("admin").get("/api/v1/cases/" + std::to_string(case_id)).status, 200);
  EXPECT_EQ(tracking_rows("admin", case_id), close + secondary);
  auto all = directives_seen("admin", case_id);
  EXPECT_EQ(all.size(), 2u);
  EXPECT_EQ(all["C01"] + all["A01"], close + secondary);
  EXPECT_EQ(all["A01"], 1) << "S01 only";
  // Each institution sees its own directive, with its own people only.
  EXPECT_EQ(directives_seen("a01", case_id), (std::map<std::string, long>{{"A01", 1}}));
  EXPECT_EQ(directives_seen("c01", case_id),
            (std::map<std::string, long>{{"C01", close + secondary - 1}}));
  EXPECT_EQ(tracking_rows("a01", case_id), 1);

  // The same batch again: unchanged, nothing more.
  auto again =
      as("admin").post("/api/v1/rounds/" + std::to_string(round) + "/results", positive("T001"));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(body(again).at("auto_confirmed").at("cases").as_array().empty());
  EXPECT_EQ(cases(), 1);
  EXPECT_EQ(directives_seen("admin", case_id), all);
}

TEST_F(AutoConfirmApiTest, AnUploadedResultsFileOpensTheCase) {
  start(true);
  const int64_t round = round_with(1, "F-1", {"P06"});
  std::string csv =
      "采样管码,检测结果,检测机构,报告时间,Ct值\nF-1,阳性,某检测中心,2022-03-10 21:00,28.5\n";
  auto admin = as("admin");
  auto r = admin.request(
      "POST", "/api/v1/rounds/" + std::to_string(round) + "/imports/results?filename=results.csv",
      csv, {{"Content-Type", "text/csv"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const json::value answer = body(r);
  const auto& autos = answer.at("auto_confirmed").at("cases").as_array();
  ASSERT_EQ(autos.size(), 1u) << r.body;
  EXPECT_EQ(cases(), 1);
  EXPECT_FALSE(autos[0].at("directives").as_array().empty());
}

TEST_F(AutoConfirmApiTest, APooledPositiveConfirmsNobody) {
  start(true);
  const int64_t round = round_with(5, "P-1", {"P03", "P05"});
  auto r =
      as("admin").post("/api/v1/rounds/" + std::to_string(round) + "/results", positive("P-1"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r).at("positives").as_int64(), 0);
  EXPECT_TRUE(body(r).at("auto_confirmed").at("cases").as_array().empty());
  EXPECT_EQ(cases(), 0);
}

TEST_F(AutoConfirmApiTest, SwitchedOffAPositiveOnlyWaitsForConfirmation) {
  start(false);
  const int64_t round = round_with(1, "T001", {"P02"});
  auto r =
      as("admin").post("/api/v1/rounds/" + std::to_string(round) + "/results", positive("T001"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(body(r).at("auto_confirmed").is_null());
  EXPECT_EQ(cases(), 0);
  // The person shows as positive, pending confirmation, in the round.
  auto people =
      body(as("admin").get("/api/v1/rounds/" + std::to_string(round) + "/people?status=positive"));
  EXPECT_EQ(people.at("total").as_int64(), 1);
}

}  // namespace
}  // namespace fx::server
