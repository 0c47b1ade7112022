// The test-round routes over real HTTP on a SQLite file: a round created by
// the command role, sampling and results posted by a lab's API token, the
// live table, the people behind its figures, scope, uploads and exports.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>

#include "../../tests/test_support.h"
#include "domain/id_number.h"
#include "server/service.h"
#include "server/test_client.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::HttpResponse;

constexpr const char* kPassword = "rounds-and-tubes-9";
constexpr int kSchoolPeople = 25;  // S001
constexpr int kCollegePeople = 5;  // C001

std::string id_number(int n) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "2201022008%02d%02d%03d", 1 + n % 12, 1 + n % 28, 100 + n);
  return first17 + std::string(1, domain::resident_check_char(first17));
}

std::string roster_csv() {
  std::string csv = "学校代码,姓名,证件号码,学号/工号,人员类别,年级,班级\n";
  for (int i = 0; i < kSchoolPeople + kCollegePeople; ++i) {
    bool school = i < kSchoolPeople;
    csv += std::string(school ? "S001" : "C001") + ",学生" + std::to_string(i) + "," +
           id_number(i) + ",P" + std::to_string(i) + ",学生,2022级," + (i % 2 ? "1班" : "2班") +
           "\n";
  }
  return csv;
}

json::value parse(const HttpResponse& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  EXPECT_FALSE(ec) << r.body;
  return v;
}

class RoundsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    auto vault = Vault::open_or_create(dir_.file("fangxian.key"));
    ASSERT_TRUE(vault.ok());
    vault_ = std::move(*vault);
    auto store = store::open_store(dir_.file("fx.db"), *vault_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    ServiceOptions o;
    o.http.host = "127.0.0.1";
    o.http.port = 0;
    o.upload_dir = dir_.file("uploads");
    o.accounts.pwhash_ops = 1;
    o.accounts.pwhash_mem = 8192;
    service_ = std::make_unique<Service>(*store_, *vault_, o);
    auto port = service_->start();
    ASSERT_TRUE(port.ok()) << port.status().message();
    port_ = *port;
    auto& acc = service_->accounts();
    auto cli = app::cli_caller("test");
    app::NewUser admin{"admin", "", "command", "", "", {}, ""};
    admin.password = kPassword;
    ASSERT_TRUE(acc.add_user(admin, cli).ok());
    auto lab = acc.create_token({"lab", "admin", {"samples.write"}, 30}, cli);
    ASSERT_TRUE(lab.ok());
    lab_token_ = lab->second;
    admin_ = std::make_unique<Client>(port_);
    ASSERT_EQ(admin_->login("admin", kPassword).status, 200);
    ASSERT_EQ(admin_
                  ->request("POST", "/api/v1/imports/institutions?filename=i.csv",
                            "学校代码,学校名称,学校类型\nS001,净月第一中学,中学\n"
                            "C001,长春职业技术学院,高职\n")
                  .status,
              201);
    auto roster = admin_->request("POST", "/api/v1/imports/roster?filename=r.csv", roster_csv());
    ASSERT_EQ(roster.status, 201) << roster.body;
    for (app::NewUser u : {app::NewUser{"college", "", "institution", "", "C001", {}, ""},
                           app::NewUser{"viewer", "", "viewer", "", "", {}, ""}}) {
      u.password = kPassword;
      ASSERT_TRUE(acc.add_user(u, cli).ok()) << u.username;
    }
  }
  void TearDown() override { service_.reset(); }

  Client lab() {
    Client c(port_);
    c.bearer_ = lab_token_;
    return c;
  }
  Client as(const std::string& user) {
    Client c(port_);
    EXPECT_EQ(c.login(user, kPassword).status, 200);
    return c;
  }
  int64_t create_round(const std::string& extra = "") {
    auto r =
        admin_->post("/api/v1/rounds",
                     R"({"name":"第1轮全员核酸","date":"2022-03-10","pool_size":10)" + extra + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    return parse(r).at("round").at("id").as_int64();
  }
  json::value total(int64_t round, Client& c) {
    auto r = c.get("/api/v1/rounds/" + std::to_string(round) + "/table");
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r).at("total");
  }
  // Tube `code` holding people [from, to).
  std::string sampling(const std::string& code, int from, int to) {
    json::array records;
    for (int i = from; i < to; ++i)
      records.push_back(json::object{{"tube_code", code},
                                     {"id_number", id_number(i)},
                                     {"site", "一号采样点"},
                                     {"sampled_at", "2022-03-10 09:00"}});
    return json::serialize(json::object{{"records", records}});
  }
  std::string result(const std::string& code, const std::string& value) {
    return json::serialize(
        json::object{{"records", json::array{json::object{{"tube_code", code},
                                                          {"result", value},
                                                          {"lab", "吉林金域"},
                                                          {"reported_at", "2022-03-10 20:00"},
                                                          {"ct", 31.5}}}}});
  }

  fx::testing::TempDir dir_;
  std::optional<Vault> vault_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<Client> admin_;
  uint16_t port_ = 0;
  std::string lab_token_;
};

TEST_F(RoundsApi, PostedSamplesAndResultsMoveTheLiveTableAndThePoolRetestClears) {
  int64_t round = create_round();
  std::string base = "/api/v1/rounds/" + std::to_string(round);
  Client c = lab();
  auto t = total(round, *admin_);
  EXPECT_EQ(t.at("due").as_int64(), kSchoolPeople + kCollegePeople);
  EXPECT_EQ(t.at("sampled").as_int64(), 0);

  // Two pools of ten from the school.
  auto s = c.post(base + "/sampling", sampling("T0001", 0, 10));
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(parse(s).at("imported").as_int64(), 10);
  ASSERT_EQ(c.post(base + "/sampling", sampling("T0002", 10, 20)).status, 200);
  t = total(round, *admin_);  // the same board, updated from the feed
  EXPECT_EQ(t.at("sampled").as_int64(), 20);
  EXPECT_EQ(t.at("pending").as_int64(), 20);

  ASSERT_EQ(c.post(base + "/results", result("T0001", "阴性")).status, 200);
  ASSERT_EQ(c.post(base + "/results", result("T0002", "positive")).status, 200);
  t = total(round, *admin_);
  EXPECT_EQ(t.at("negative").as_int64(), 10);
  EXPECT_EQ(t.at("pool_positive").as_int64(), 10);

  // The map's coverage: the latest round's, per institution, in %.
  const json::value institutions = parse(admin_->get("/api/v1/institutions"));
  for (const auto& i : institutions.at("items").as_array())
    if (i.at("code").as_string() == "S001") {
      EXPECT_EQ(i.at("sampled").as_int64(), 20);
      EXPECT_DOUBLE_EQ(i.at("coverage").as_double(), 80.0);  // 20 of 25
    }
  EXPECT_EQ(parse(admin_->get("/api/v1/stats/overview")).at("sampled").as_int64(), 20);

  // A posted batch is checked against the stored round: someone already in a
  // negative tube cannot be in another; the same pair again is unchanged.
  auto twice = parse(c.post(base + "/sampling", sampling("T0003", 0, 1)));
  EXPECT_EQ(twice.at("rejected").as_array().size(), 1u);
  EXPECT_NE(json::serialize(twice).find("another tube"), std::string::npos);
  auto same = parse(c.post(base + "/sampling", sampling("T0001", 0, 2)));
  EXPECT_EQ(same.at("unchanged").as_int64(), 2);

  // The re-test list is exactly the positive pool's members.
  auto retest = admin_->get(base + "/people?status=pool_positive&per_page=500");
  ASSERT_EQ(retest.status, 200) << retest.body;
  auto list = parse(retest);
  ASSERT_EQ(list.at("total").as_int64(), 10);
  std::set<std::string> codes;
  for (const auto& p : list.at("items").as_array()) {
    codes.insert(std::string(p.at("person_code").as_string()));
    EXPECT_NE(std::string(p.at("id_masked").as_string()).find('*'), std::string::npos);
  }
  for (int i = 10; i < 20; ++i) EXPECT_TRUE(codes.count("P" + std::to_string(i))) << i;

  // Single-tube re-tests, all negative: the pool positives clear.
  for (int i = 10; i < 20; ++i) {
    std::string code = "R" + std::to_string(i);
    ASSERT_EQ(c.post(base + "/sampling", sampling(code, i, i + 1)).status, 200);
    ASSERT_EQ(c.post(base + "/results", result(code, "阴性")).status, 200);
  }
  t = total(round, *admin_);
  EXPECT_EQ(t.at("pool_positive").as_int64(), 0);
  EXPECT_EQ(t.at("negative").as_int64(), 20);

  // Closing: the ten never sampled become missed, and the missed list is them.
  auto closed = admin_->post(base + "/close", "");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(parse(closed).at("round").at("status").as_string(), "closed");
  t = total(round, *admin_);
  EXPECT_EQ(t.at("missed").as_int64(), kSchoolPeople + kCollegePeople - 20);
  auto missed = parse(admin_->get(base + "/people?status=missed&per_page=500"));
  EXPECT_EQ(missed.at("total").as_int64(), kSchoolPeople + kCollegePeople - 20);
  for (const auto& p : missed.at("items").as_array()) {
    int n = std::stoi(std::string(p.at("person_code").as_string()).substr(1));
    EXPECT_GE(n, 20);
  }
  // Listing people is a read of personal data: audited.
  store::AuditQuery q;
  q.action = "round.people";
  auto audit = store_->accounts().list_audit(q);
  ASSERT_TRUE(audit.ok());
  EXPECT_GE(audit->size(), 2u);
}

TEST_F(RoundsApi, AnInstitutionSeesOnlyItsOwnRowsAndPeople) {
  int64_t round = create_round();
  std::string base = "/api/v1/rounds/" + std::to_string(round);
  Client college = as("college");
  auto table = parse(college.get(base + "/table"));
  ASSERT_EQ(table.at("rows").as_array().size(), 1u);
  EXPECT_EQ(table.at("rows").at(0).at("institution_code").as_string(), "C001");
  EXPECT_EQ(table.at("total").at("due").as_int64(), kCollegePeople);
  EXPECT_EQ(college.get(base + "/table?institution=S001").status, 404);
  EXPECT_EQ(college.get(base + "/people?institution=S001").status, 404);
  auto due = parse(college.get(base + "/people?status=due&per_page=500"));
  EXPECT_EQ(due.at("total").as_int64(), kCollegePeople);
  auto rounds = parse(college.get("/api/v1/rounds"));
  EXPECT_EQ(rounds.at("items").at(0).at("total").at("due").as_int64(), kCollegePeople);
  // Neither the college nor a viewer may create rounds or post samples.
  EXPECT_EQ(college.post("/api/v1/rounds", R"({"name":"x","date":"2022-03-11"})").status, 403);
  EXPECT_EQ(college.post(base + "/sampling", sampling("T9", 25, 26)).status, 403);
  Client viewer = as("viewer");
  EXPECT_EQ(viewer.get(base + "/table").status, 200);
  EXPECT_EQ(viewer.get(base + "/people").status, 403);
}

TEST_F(RoundsApi, BadRequestsAreClearClientErrors) {
  int64_t round = create_round();
  std::string base = "/api/v1/rounds/" + std::to_string(round);
  Client c = lab();
  auto r = c.post(base + "/sampling", R"({"records":[{"tube_code":"T1","colour":"red"}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("records[1].colour"), std::string::npos) << r.body;
  EXPECT_EQ(c.post(base + "/sampling", R"({"records":7})").status, 400);
  EXPECT_EQ(c.post(base + "/sampling", "not json").status, 400);
  // A result for an unknown tube and an unknown person: listed, not stored.
  auto rep = c.post(base + "/results", result("NO-SUCH-TUBE", "阴性"));
  ASSERT_EQ(rep.status, 200) << rep.body;
  EXPECT_EQ(parse(rep).at("rejected").as_array().size(), 1u);
  json::array records{json::object{{"tube_code", "T5"},
                                   {"id_number", id_number(999)},
                                   {"site", "x"},
                                   {"sampled_at", "2022-03-10 09:00"}}};
  rep = c.post(base + "/sampling", json::serialize(json::object{{"records", records}}));
  ASSERT_EQ(rep.status, 200) << rep.body;
  EXPECT_EQ(parse(rep).at("imported").as_int64(), 0);
  EXPECT_EQ(parse(rep).at("rejected").as_array().size(), 1u);
  EXPECT_EQ(total(round, *admin_).at("sampled").as_int64(), 0);

  EXPECT_EQ(admin_->get("/api/v1/rounds/999/table").status, 404);
  EXPECT_EQ(admin_->get(base + "/table?by=grade").status, 400);
  EXPECT_EQ(admin_->get(base + "/table?format=pdf").status, 400);
  EXPECT_EQ(admin_->get(base + "/people?status=bogus").status, 400);
  EXPECT_EQ(admin_->post("/api/v1/rounds", R"({"date":"2022-03-10"})").status, 400);
  EXPECT_EQ(
      admin_->post("/api/v1/rounds", R"({"name":"x","date":"2022-03-10","pool_size":3})").status,
      400);
  EXPECT_EQ(
      admin_->post("/api/v1/rounds", R"({"name":"x","date":"2022-03-10","scope":{"kind":"moon"}})")
          .status,
      400);
}

TEST_F(RoundsApi, UploadsImportOnceAndTheTableExports) {
  int64_t round = create_round(R"(,"scope":{"kind":"institutions","values":["C001"]})");
  std::string base = "/api/v1/rounds/" + std::to_string(round);
  EXPECT_EQ(total(round, *admin_).at("due").as_int64(), kCollegePeople);
  std::string csv = "采样管码,证件号码,姓名,采样点,采样时间\n";
  for (int i = kSchoolPeople; i < kSchoolPeople + kCollegePeople; ++i)
    csv += "C-T1," + id_number(i) + ",学生" + std::to_string(i) + ",二号点,2022-03-10 10:00\n";
  csv += "C-T2,220102200801011234,无此人,二号点,2022-03-10 10:00\n";
  Client c = lab();
  auto up = c.request("POST", base + "/imports/sampling?filename=%E9%87%87%E6%A0%B7.csv", csv);
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(parse(up).at("imported").as_int64(), kCollegePeople);
  EXPECT_EQ(parse(up).at("rejected").as_array().size(), 1u);
  auto again = c.request("POST", base + "/imports/sampling?filename=%E9%87%87%E6%A0%B7.csv", csv);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(parse(again).at("already_imported").as_bool());
  EXPECT_EQ(total(round, *admin_).at("sampled").as_int64(), kCollegePeople);
  EXPECT_EQ(c.request("POST", base + "/imports/results?filename=x.txt", "a").status, 400);

  auto xlsx = admin_->get(base + "/table?format=xlsx&by=unit");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  EXPECT_NE(xlsx.header("content-disposition").find("attachment"), std::string::npos);
  auto csv_out = admin_->get(base + "/table?format=csv");
  ASSERT_EQ(csv_out.status, 200);
  EXPECT_NE(csv_out.body.find("C001"), std::string::npos);
  auto trends = parse(admin_->get("/api/v1/rounds/trends"));
  EXPECT_EQ(trends.at("items").as_array().size(), 1u);
}

}  // namespace
}  // namespace fx::server

namespace fx::server {
namespace {

// The done-when of the directives loop over HTTP: a round's missed list
// becomes one directive per institution listing exactly its missed people;
// the college acknowledges and completes its own, sees nothing else, and
// command accepts it.
TEST_F(RoundsApi, MissedListBecomesDirectivesThatTheCollegeAcknowledgesAndCompletes) {
  int64_t round = create_round();
  const std::string base = "/api/v1/rounds/" + std::to_string(round);
  ASSERT_EQ(lab().post(base + "/sampling", sampling("T0001", 0, 10)).status, 200);  // pools of 10
  ASSERT_EQ(lab().post(base + "/sampling", sampling("T0002", 10, 20)).status, 200);
  auto made = admin_->post("/api/v1/rounds/" + std::to_string(round) + "/missed-directives",
                           R"({"deadline":"2099-03-10 18:00"})");
  ASSERT_EQ(made.status, 201) << made.body;
  auto ids = parse(made).at("ids").as_array();
  ASSERT_EQ(ids.size(), 2u);  // C001, then S001
  std::map<std::string, int64_t> by_code;
  std::map<std::string, size_t> listed;
  for (const auto& id : ids) {
    auto d = parse(admin_->get("/api/v1/directives/" + std::to_string(id.as_int64())));
    const auto& rec = d.at("recipients").as_array().at(0);
    std::string code(rec.at("institution").at("code").as_string());
    by_code[code] = id.as_int64();
    listed[code] = rec.at("people").as_array().size();
    EXPECT_EQ(d.at("source").as_string(), "round_missed");
  }
  EXPECT_EQ(listed["S001"], static_cast<size_t>(kSchoolPeople - 20));
  EXPECT_EQ(listed["C001"], static_cast<size_t>(kCollegePeople));

  Client college = as("college");
  // The overview counts open directive rows within the caller's scope.
  EXPECT_EQ(parse(admin_->get("/api/v1/stats/overview")).at("directives_open").as_int64(), 2);
  EXPECT_EQ(parse(college.get("/api/v1/stats/overview")).at("directives_open").as_int64(), 1);
  EXPECT_EQ(parse(admin_->get("/api/v1/stats/overview")).at("directives_overdue").as_int64(), 0);
  auto inbox = parse(college.get("/api/v1/directives"));
  ASSERT_EQ(inbox.at("items").as_array().size(), 1u);
  std::string own = "/api/v1/directives/" + std::to_string(by_code["C001"]);
  std::string other = "/api/v1/directives/" + std::to_string(by_code["S001"]);
  EXPECT_EQ(college.get(other).status, 404);
  EXPECT_EQ(college.post(other + "/recipients/S001/ack", "{}").status, 404);
  EXPECT_EQ(college.post(own + "/recipients/C001/done", R"({"feedback":"x"})").status, 409);
  EXPECT_EQ(parse(college.get(own)).at("recipients").as_array().at(0).at("state").as_string(),
            "read");  // opened by the college itself
  EXPECT_EQ(college.post(own + "/recipients/C001/ack", "").status, 200);
  EXPECT_EQ(college.post(own + "/recipients/C001/done", "{}").status, 400);
  auto done = college.post(own + "/recipients/C001/done", R"({"feedback":"5 人已补检"})");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(college.post(own + "/recipients/C001/accept", "{}").status, 403);
  EXPECT_EQ(parse(college.get("/api/v1/stats/overview")).at("directives_open").as_int64(), 0);
  auto accepted = admin_->post(own + "/recipients/C001/accept", "{}");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  auto d = parse(accepted);
  const auto& rec = d.at("recipients").as_array().at(0);
  EXPECT_EQ(rec.at("state").as_string(), "accepted");
  EXPECT_FALSE(rec.at("acknowledged_at").as_string().empty());
  EXPECT_FALSE(rec.at("done_at").as_string().empty());
  EXPECT_EQ(rec.at("feedback").as_string(), "5 人已补检");
  EXPECT_TRUE(rec.at("minutes_to_done").is_double());
  std::vector<std::string> actions;
  for (const auto& e : d.at("history").as_array()) actions.emplace_back(e.at("action").as_string());
  EXPECT_EQ(actions, (std::vector<std::string>{"sent", "read", "ack", "done", "accept"}));
  // Bad input over HTTP names the field.
  auto bad = admin_->post("/api/v1/directives", R"({"title":"补检","to":["ZZZ"]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("to:"), std::string::npos) << bad.body;
  EXPECT_EQ(as("viewer").get("/api/v1/directives").status, 403);
}

}  // namespace
}  // namespace fx::server
