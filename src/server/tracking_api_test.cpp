// Cases, the case card, the tracking table and quarantine sites over real
// HTTP: a small district with a class timetable, dorms and investigator
// contacts (tests/data/presence), a case confirmed through POST /cases, and
// callers of three institutions.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <set>

#include "../../tests/pdf_tools.h"
#include "../../tests/test_support.h"
#include "app/import_presence.h"
#include "app/imports.h"
#include "ingest/table.h"
#include "server/api_test_world.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::HttpResponse;

constexpr const char* kCaseBody =
    R"({"person":"C01:P01","sample_time":"2022-03-10 08:00","confirmed_at":"2022-03-10 12:00",)"
    R"("symptoms":"发热"})";

std::string data(const std::string& name) {
  return fx::testing::source_dir() + "/tests/data/presence/" + name;
}

struct TrackingWorld : testing::ApiWorld {
  int64_t case_id = 0;
  json::value confirmed;  // the answer to the first POST /cases
};

TrackingWorld* tw = nullptr;

class TrackingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    using testing::world_user;
    tw = new TrackingWorld;
    TrackingWorld& w = *tw;
    // B01 has nobody: its admin must see nothing at all.
    w.open(
        "学校代码,学校名称,学校类型\nC01,净月职业技术学院,高职\n"
        "A01,净月一中,中学\nB01,净月二中,中学\n");
    ASSERT_FALSE(HasFatalFailure());
    auto roster = app::import_roster(*w.store, *w.vault, data("roster.csv"));
    ASSERT_TRUE(roster.ok()) << roster.status().message();
    for (auto [kind, file] : {std::pair{app::PresenceKind::timetable, "timetable.csv"},
                              std::pair{app::PresenceKind::contacts, "contacts.csv"}}) {
      app::PresenceImportOptions o;
      o.create_places = true;
      auto r = app::import_presence(*w.store, *w.vault, kind, data(file), o);
      ASSERT_TRUE(r.ok()) << r.status().message();
      ASSERT_TRUE(r->base.rejected.empty()) << file;
    }
    w.start({world_user("admin", "command"), world_user("dispatch", "group", "人员管控"),
             world_user("supply", "group", "物资保障"), world_user("c01", "institution", "", "C01"),
             world_user("a01", "institution", "", "A01"),
             world_user("b01", "institution", "", "B01")});
    ASSERT_FALSE(HasFatalFailure());

    auto r = as("dispatch").post("/api/v1/cases", kCaseBody);
    ASSERT_EQ(r.status, 201) << r.body;
    w.confirmed = json::parse(r.body);
    w.case_id = w.confirmed.at("case").as_int64();
  }

  static void TearDownTestSuite() {
    delete tw;
    tw = nullptr;
  }

  static Client as(const std::string& user) { return tw->as(user); }
  static json::value body(const HttpResponse& r) { return testing::body_of(r); }
  static std::set<std::string> names(const json::value& list) {
    std::set<std::string> out;
    for (const auto& x : list.as_array()) out.insert(std::string(x.at("name").as_string()));
    return out;
  }
  // The tracking row of the person named `name`, as `user` sees it.
  static json::value row_of(const std::string& user, const std::string& name) {
    auto t = body(as(user).get("/api/v1/tracking"));
    for (const auto& r : t.at("rows").as_array())
      if (r.at("name").as_string() == name) return r;
    return nullptr;
  }
  static long audit_count(const std::string& action) {
    store::AuditQuery q;
    q.action = action;
    q.limit = 1000;
    auto e = tw->store->accounts().list_audit(q);
    return e.ok() ? static_cast<long>(e->size()) : -1;
  }
  static std::set<std::string> change_kinds() {
    std::set<std::string> out;
    auto ch = tw->store->changes_after(0, 10000);
    if (ch.ok())
      for (const auto& c : *ch) out.insert(c.kind);
    return out;
  }
};

TEST_F(TrackingTest, ConfirmingACaseListsItsContactsWithMaskedIdNumbers) {
  const auto& done = tw->confirmed;
  EXPECT_EQ(done.at("policy").as_string(), "covid-8th");
  EXPECT_GT(done.at("close").as_int64(), 0);
  // 学生己 met the case in an investigator's record (30 min); 学生乙 shares its dorm room.
  auto close = names(done.at("lists").at("close"));
  EXPECT_TRUE(close.count("学生己")) << json::serialize(done);
  EXPECT_TRUE(close.count("学生乙")) << json::serialize(done);

  auto t = body(as("admin").get("/api/v1/tracking"));
  EXPECT_EQ(t.at("close").as_int64(), done.at("close").as_int64());
  auto rows = names(t.at("rows"));
  EXPECT_TRUE(rows.count("学生己"));
  for (const auto& r : t.at("rows").as_array()) {
    std::string masked(r.at("id_masked").as_string());
    EXPECT_NE(masked.find('*'), std::string::npos) << masked;
    EXPECT_EQ(r.at("institution").as_string(), "净月职业技术学院");
    EXPECT_FALSE(r.at("tests").as_array().empty());
  }
  EXPECT_EQ(t.at("rows").as_array().size(),
            static_cast<size_t>(t.at("close").as_int64() + t.at("secondary").as_int64()));
  auto only_close = body(as("admin").get("/api/v1/tracking?category=close"));
  EXPECT_EQ(only_close.at("rows").as_array().size(),
            static_cast<size_t>(done.at("close").as_int64()));
  // The case's own rows, and none for a case that listed nobody.
  const std::string by_case = "/api/v1/tracking?case=" + std::to_string(tw->case_id);
  auto of_case = body(as("admin").get(by_case));
  EXPECT_EQ(of_case.at("rows").as_array().size(), t.at("rows").as_array().size());
  EXPECT_EQ(of_case.at("close").as_int64(), done.at("close").as_int64());
  for (const auto& r : of_case.at("rows").as_array())
    EXPECT_EQ(r.at("case").as_int64(), tw->case_id);
  auto other = body(as("admin").get("/api/v1/tracking?case=" + std::to_string(tw->case_id + 1)));
  EXPECT_TRUE(other.at("rows").as_array().empty());

  auto cases = body(as("c01").get("/api/v1/cases")).at("items").as_array();
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].at("name").as_string(), "学生甲");
  EXPECT_EQ(cases[0].at("close").as_int64(), done.at("close").as_int64());
  EXPECT_EQ(std::string(cases[0].at("id_masked").as_string()).find("220102200301050112"),
            std::string::npos);

  auto card = body(as("c01").get("/api/v1/cases/" + std::to_string(tw->case_id)));
  EXPECT_EQ(card.at("name").as_string(), "学生甲");
  EXPECT_EQ(card.at("symptoms").as_string(), "发热");
  EXPECT_EQ(card.at("close").as_int64(), done.at("close").as_int64());
  EXPECT_FALSE(card.at("places").as_array().empty());
  EXPECT_TRUE(names(card.at("contacts")).count("学生己"));

  // The battle map's counts: the case and its close contacts on their institution.
  const json::value institutions = body(as("admin").get("/api/v1/institutions"));
  for (const auto& i : institutions.at("items").as_array()) {
    if (i.at("code").as_string() != "C01") continue;
    EXPECT_EQ(i.at("cases").as_int64(), 1);
    EXPECT_EQ(i.at("close_contacts").as_int64() + i.at("secondary_contacts").as_int64(),
              t.at("close").as_int64() + t.at("secondary").as_int64());
  }
  auto overview = body(as("a01").get("/api/v1/stats/overview"));
  EXPECT_EQ(overview.at("cases").as_int64(), 0);  // A01 sees only its own institution
  const json::value whole = body(as("admin").get("/api/v1/stats/overview"));
  EXPECT_EQ(whole.at("cases").as_int64(), 1);
  long daily_cases = 0, daily_contacts = 0;
  for (const auto& d : whole.at("daily").as_array()) {
    daily_cases += d.at("cases").as_int64();
    daily_contacts += d.at("close_contacts").as_int64() + d.at("secondary_contacts").as_int64();
  }
  EXPECT_EQ(daily_cases, 1);
  EXPECT_EQ(daily_contacts,
            whole.at("close_contacts").as_int64() + whole.at("secondary_contacts").as_int64());

  // The same person again is a conflict, not a second case.
  auto again = as("dispatch").post("/api/v1/cases", kCaseBody);
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("person"), std::string::npos) << again.body;
  EXPECT_TRUE(change_kinds().count("case.confirmed"));
}

TEST_F(TrackingTest, AnotherInstitutionGets404ForTheCardAndAnEmptyTable) {
  const std::string card = "/api/v1/cases/" + std::to_string(tw->case_id);
  Client b = as("b01");
  auto r = b.get(card);
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(b.get(card + "?format=xlsx").status, 404);
  EXPECT_EQ(b.get("/api/v1/cases/999999").status, 404);  // the same answer as absent
  auto t = body(b.get("/api/v1/tracking"));
  EXPECT_TRUE(t.at("rows").as_array().empty());
  EXPECT_EQ(t.at("close").as_int64(), 0);
  EXPECT_TRUE(body(b.get("/api/v1/cases")).at("items").as_array().empty());
  EXPECT_EQ(b.get("/api/v1/tracking?institution=C01").status, 404);
  EXPECT_EQ(b.get("/api/v1/tracking?institution=B01").status, 200);
  // No write either: transfers and releases are the command's.
  EXPECT_EQ(b.post("/api/v1/tracking/1/release", "{}").status, 403);
  EXPECT_EQ(as("c01").get("/api/v1/tracking?institution=C01").status, 200);
}

TEST_F(TrackingTest, EveryReadOfACardOrTheTableIsAudited) {
  const long cards = audit_count("case.read"), tables = audit_count("tracking.read");
  Client c = as("c01");
  EXPECT_EQ(c.get("/api/v1/cases/" + std::to_string(tw->case_id)).status, 200);
  EXPECT_EQ(c.get("/api/v1/tracking?format=csv").status, 200);
  EXPECT_EQ(audit_count("case.read"), cards + 1);
  EXPECT_EQ(audit_count("tracking.read"), tables + 1);
  store::AuditQuery q;
  q.action = "case.read";
  auto e = tw->store->accounts().list_audit(q);
  ASSERT_TRUE(e.ok() && !e->empty());
  EXPECT_EQ(e->front().actor, "c01");
  EXPECT_EQ(e->front().route, "GET /api/v1/cases/{id}");
  EXPECT_EQ(e->front().subject_id, tw->case_id);
}

TEST_F(TrackingTest, TransferToASiteAndReleaseChangeTheRow) {
  Client admin = as("admin");
  auto site = admin.post("/api/v1/sites", R"({"name":"如家酒店净月店","capacity":1})");
  ASSERT_EQ(site.status, 201) << site.body;
  const int64_t site_id = body(site).at("id").as_int64();
  auto a = row_of("admin", "学生己"), b = row_of("admin", "学生乙");
  ASSERT_TRUE(a.is_object() && b.is_object());
  const std::string ra = "/api/v1/tracking/" + std::to_string(a.at("id").as_int64());
  const std::string rb = "/api/v1/tracking/" + std::to_string(b.at("id").as_int64());

  auto moved = admin.post(ra + "/transfer", "{\"site\":" + std::to_string(site_id) + "}");
  ASSERT_EQ(moved.status, 200) << moved.body;
  auto row = body(moved);
  EXPECT_EQ(row.at("site").as_string(), "如家酒店净月店");
  EXPECT_EQ(row.at("transfer").as_string(), "dispatched");
  EXPECT_EQ(row.at("quarantine_kind").as_string(), "centralised");
  EXPECT_EQ(row_of("c01", "学生己").at("site").as_string(), "如家酒店净月店");

  // The site is full now; an unknown site and a bad state name their field.
  auto full = admin.post(rb + "/transfer", "{\"site\":" + std::to_string(site_id) + "}");
  EXPECT_EQ(full.status, 409);
  EXPECT_NE(full.body.find("site"), std::string::npos) << full.body;
  auto unknown = admin.post(rb + "/transfer", R"({"site":987654})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("site"), std::string::npos) << unknown.body;
  auto state = admin.post(rb + "/transfer", "{\"site\":1,\"state\":\"teleported\"}");
  EXPECT_EQ(state.status, 400) << state.body;
  EXPECT_EQ(admin.post(rb + "/transfer", "{}").status, 400);
  EXPECT_EQ(admin.post("/api/v1/tracking/999999/transfer", "{\"site\":1}").status, 404);

  auto sites = body(admin.get("/api/v1/sites")).at("items").as_array();
  ASSERT_FALSE(sites.empty());
  EXPECT_EQ(sites.back().at("occupied").as_int64(), 1);

  auto released = admin.post(ra + "/release", R"({"note":"期满，两次阴性"})");
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_EQ(body(released).at("status").as_string(), "released");
  EXPECT_EQ(row_of("admin", "学生己").at("status").as_string(), "released");
  EXPECT_EQ(admin.post(ra + "/release", "{}").status, 409);  // not in quarantine any more
  EXPECT_EQ(
      body(admin.get("/api/v1/sites")).at("items").as_array().back().at("occupied").as_int64(), 0);
  // Now there is room for the other one.
  EXPECT_EQ(admin.post(rb + "/transfer", "{\"site\":" + std::to_string(site_id) + "}").status, 200);

  auto kinds = change_kinds();
  for (const char* k : {"site.added", "tracking.transfer", "tracking.release"})
    EXPECT_TRUE(kinds.count(k)) << k;
  // Reading sites is for people.list; adding them for cases.manage.
  EXPECT_EQ(as("supply").get("/api/v1/sites").status, 200);
  EXPECT_EQ(as("supply").post("/api/v1/sites", R"({"name":"x","capacity":1})").status, 403);
}

TEST_F(TrackingTest, BadInputIsAClear4xxNamingTheField) {
  Client d = as("dispatch");
  const size_t cases = body(d.get("/api/v1/cases")).at("items").as_array().size();
  auto expect = [&](const std::string& json, int status, const std::string& field) {
    auto r = d.post("/api/v1/cases", json);
    EXPECT_EQ(r.status, status) << json << " → " << r.body;
    EXPECT_NE(r.body.find(field), std::string::npos) << json << " → " << r.body;
  };
  expect(R"({"person":"C01:NOPE","sample_time":"2022-03-10 08:00"})", 400, "person");
  expect(R"({"person":"110101199001011234","sample_time":"2022-03-10 08:00"})", 400, "person");
  expect(R"({"sample_time":"2022-03-10 08:00"})", 400, "person");
  expect(R"({"person":"C01:P02","sample_time":"yesterday"})", 400, "sample_time");
  expect(R"({"person":"C01:P02"})", 400, "sample_time");
  expect(R"({"person":"C01:P02","sample_time":"2099-01-01 08:00"})", 400, "sample_time");
  expect(R"({"person":"C01:P02","sample_time":"2022-03-10 08:00","confirmed_at":"2022-03-09"})",
         400, "sample_time");
  expect(R"({"person":"C01:P02","sample_time":"2022-03-10 08:00","onset":"March"})", 400, "onset");
  expect(R"({"person":"C01:P02","sample_time":"2022-03-10 08:00","policy":"ebola"})", 400,
         "policy");
  // A policy is a built-in id, never a file on the server.
  expect(R"({"person":"C01:P02","sample_time":"2022-03-10 08:00","policy":"/etc/x.json"})", 400,
         "policy");
  expect(R"({"person":1,"sample_time":"2022-03-10 08:00"})", 400, "person");
  expect(R"({"person":"C01:P02","colour":"red"})", 400, "colour");
  EXPECT_EQ(d.get("/api/v1/tracking?category=tertiary").status, 400);
  EXPECT_EQ(d.get("/api/v1/tracking?format=pdf").status, 400);
  EXPECT_EQ(d.get("/api/v1/tracking?case=first").status, 400);
  EXPECT_EQ(d.get("/api/v1/cases/" + std::to_string(tw->case_id) + "?format=doc").status, 400);
  EXPECT_EQ(d.post("/api/v1/sites", R"({"name":"x"})").status, 400);
  EXPECT_EQ(d.post("/api/v1/sites", R"({"name":"x","capacity":-1})").status, 400);
  EXPECT_EQ(d.post("/api/v1/sites", R"({"capacity":3})").status, 400);
  // Nobody was confirmed by any of these.
  EXPECT_EQ(body(d.get("/api/v1/cases")).at("items").as_array().size(), cases);
}

TEST_F(TrackingTest, ExportsAreAttachmentsThatOpen) {
  Client c = as("c01");
  auto x = c.get("/api/v1/tracking?format=xlsx");
  ASSERT_EQ(x.status, 200) << x.body.substr(0, 200);
  EXPECT_EQ(x.header("content-type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_NE(x.header("content-disposition").find("attachment; filename=\"tracking.xlsx\""),
            std::string::npos);
  const std::string path = tw->dir.file("tracking.xlsx");
  fx::testing::write_file(path, x.body);
  auto table = ingest::open_table(path);
  ASSERT_TRUE(table.ok()) << table.status().message();
  std::string cells;
  ingest::Row row;
  while ((*table)->next(row))
    for (const auto& cell : row.cells) cells += cell.text + "|";
  ASSERT_TRUE((*table)->status().ok()) << (*table)->status().message();
  EXPECT_NE(cells.find("序号"), std::string::npos);
  EXPECT_NE(cells.find("学生己"), std::string::npos);
  EXPECT_EQ(cells.find("220102200306280216"), std::string::npos);  // 学生己's ID, masked

  auto card = c.get("/api/v1/cases/" + std::to_string(tw->case_id) + "?format=xlsx");
  ASSERT_EQ(card.status, 200);
  fx::testing::write_file(tw->dir.file("card.xlsx"), card.body);
  auto card_table = ingest::open_table(tw->dir.file("card.xlsx"));
  ASSERT_TRUE(card_table.ok()) << card_table.status().message();
  auto csv = c.get("/api/v1/tracking?format=csv");
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("学生己"), std::string::npos);
  // Nothing is left behind in the scratch folder.
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(tw->dir.file("uploads"), ec))
    ADD_FAILURE() << "left behind: " << f.path();
}

TEST_F(TrackingTest, PresenceImportedAfterTheFirstCaseIsTraced) {
  // The index was built for the first case; a contact recorded later must be
  // found, so the index is rebuilt when the change feed shows new presence.
  fx::testing::write_file(tw->dir.file("late.csv"),
                          "学校代码,人员A,人员B,开始时间,时长(分钟),场景\n"
                          "A01,S01,S02,2022-03-11 10:00,40,操场\n");
  app::PresenceImportOptions o;
  auto imported = app::import_presence(*tw->store, *tw->vault, app::PresenceKind::contacts,
                                       tw->dir.file("late.csv"), o);
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  auto r = as("admin").post("/api/v1/cases", R"({"person":"A01:S01","sample_time":)"
                                             R"("2022-03-12 08:00","confirmed_at":)"
                                             R"("2022-03-12 12:00"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(names(body(r).at("lists").at("close")).count("学生壬")) << r.body;
  // A01's admin sees this case and its contact, not C01's; C01's the reverse.
  auto a01 = body(as("a01").get("/api/v1/tracking"));
  EXPECT_EQ(names(a01.at("rows")), std::set<std::string>{"学生壬"});
  EXPECT_EQ(names(body(as("a01").get("/api/v1/cases")).at("items")),
            std::set<std::string>{"学生辛"});
  EXPECT_FALSE(names(body(as("c01").get("/api/v1/tracking")).at("rows")).count("学生壬"));
}

TEST_F(TrackingTest, CardAndNoticesArePdfsInTheCallersScope) {
  const std::string card = "/api/v1/cases/" + std::to_string(tw->case_id) + "?format=pdf";
  const long reads = audit_count("case.read"), batches = audit_count("tracking.notices");
  Client c = as("c01");
  auto pdf = c.get(card);
  ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 200);
  EXPECT_EQ(pdf.header("content-type"), "application/pdf");
  EXPECT_NE(pdf.header("content-disposition").find("case-" + std::to_string(tw->case_id) + ".pdf"),
            std::string::npos);
  EXPECT_TRUE(pdf.body.starts_with("%PDF-"));
  EXPECT_EQ(audit_count("case.read"), reads + 1);
  EXPECT_EQ(as("b01").get(card).status, 404);

  auto notices = c.get("/api/v1/tracking/notices");
  ASSERT_EQ(notices.status, 200) << notices.body.substr(0, 200);
  EXPECT_EQ(notices.header("content-type"), "application/pdf");
  EXPECT_EQ(audit_count("tracking.notices"), batches + 1);
  EXPECT_EQ(c.get("/api/v1/tracking/notices?case=" + std::to_string(tw->case_id)).status, 200);
  // Nobody of B01 is in quarantine; C01 is not A01's to ask for; no such case.
  EXPECT_EQ(as("b01").get("/api/v1/tracking/notices").status, 404);
  EXPECT_EQ(as("a01").get("/api/v1/tracking/notices?institution=C01").status, 404);
  EXPECT_EQ(c.get("/api/v1/tracking/notices?case=999999").status, 404);
  EXPECT_EQ(c.get("/api/v1/tracking/notices?case=abc").status, 400);

  if (auto missing = fx::testing::pdf_tools_missing(); !missing.empty())
    GTEST_SKIP() << missing << " is not installed (scripts/install-deps.sh installs it)";
  const std::string path = tw->dir.file("card.pdf");
  fx::testing::write_file(path, pdf.body);
  EXPECT_EQ(fx::testing::pdf_pages(path), 1);
  EXPECT_NE(fx::testing::pdf_text(path).find("学生甲"), std::string::npos);
  fx::testing::write_file(path, notices.body);
  const json::value quarantined = body(c.get("/api/v1/tracking?status=quarantined"));
  const auto& rows = quarantined.at("rows").as_array();
  EXPECT_EQ(fx::testing::pdf_pages(path), static_cast<int>(rows.size()));
  const std::string text = fx::testing::pdf_text(path);
  for (const auto& r : rows)
    EXPECT_NE(text.find(std::string(r.at("name").as_string())), std::string::npos);
}

TEST_F(TrackingTest, ReturneesAndSymptomaticPeopleAreAddedByPost) {
  Client d = as("dispatch");
  auto r = d.post("/api/v1/tracking",
                  R"({"person":"C01:T01","category":"returnee","since":"2022-03-08",)"
                  R"("area":"上海市浦东新区"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const json::value row = body(r);
  EXPECT_EQ(row.at("category").as_string(), "returnee");
  EXPECT_EQ(row.at("area").as_string(), "上海市浦东新区");
  EXPECT_EQ(row.at("quarantine_kind").as_string(), "centralised");
  EXPECT_EQ(row.at("tests").as_array().size(), 4u);  // covid-8th: days 1, 4, 7, 14
  EXPECT_EQ(d.post("/api/v1/tracking",
                   R"({"person":"C01:T01","category":"symptomatic","since":"2022-03-09"})")
                .status,
            409);
  auto expect = [&](const std::string& json, const std::string& field) {
    auto x = d.post("/api/v1/tracking", json);
    EXPECT_EQ(x.status, 400) << json << " → " << x.body;
    EXPECT_NE(x.body.find(field), std::string::npos) << json << " → " << x.body;
  };
  expect(R"({"person":"C01:NOPE","category":"returnee","since":"2022-03-08"})", "person");
  expect(R"({"person":"C01:P05","category":"close","since":"2022-03-08"})", "category");
  expect(R"({"person":"C01:P05","category":"returnee","since":"2022-03-08","policy":"measles"})",
         "category");
  expect(R"({"person":"C01:P05","category":"returnee","since":"2099-01-01"})", "since");
  expect(R"({"person":"C01:P05","category":"returnee"})", "since");
  expect(R"({"person":"C01:P05","category":"returnee","since":"2022-03-08","x":1})", "x");
  // Adding is for cases.manage; a supply group may not.
  EXPECT_EQ(as("supply")
                .post("/api/v1/tracking",
                      R"({"person":"C01:P05","category":"symptomatic","since":"2022-03-09"})")
                .status,
            403);
  auto listed = body(as("c01").get("/api/v1/tracking?category=returnee"));
  EXPECT_EQ(names(listed.at("rows")), std::set<std::string>{"教师庚"});
  EXPECT_EQ(listed.at("returnee").as_int64(), 1);
  EXPECT_TRUE(change_kinds().count("tracking.added"));
}

}  // namespace
}  // namespace fx::server
