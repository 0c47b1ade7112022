// Risk-area returnees and symptomatic people added by hand, with their plans
// from both COVID-19 policies; and the quarantine notices: one page per
// person in quarantine, only the caller's own people, against a real SQLite
// file with the small district of tests/data/presence and a confirmed case.
#include <gtest/gtest.h>

#include <map>

#include "../../tests/pdf_tools.h"
#include "../../tests/test_support.h"
#include "app/cases.h"
#include "app/import_presence.h"
#include "app/imports.h"
#include "app/notices.h"
#include "app/policies.h"
#include "app/presence_time.h"
#include "app/tracing.h"
#include "app/tracking_add.h"
#include "store/store.h"

namespace fx::app {
namespace {

using fx::testing::TempDir;

std::string data(const std::string& name) {
  return testing::source_dir() + "/tests/data/presence/" + name;
}

Caller school(int64_t inst) {
  Caller c;
  c.username = "school";
  c.role = Role::institution;
  c.institutions = {inst};
  c.permissions = permissions_of(Role::institution, "");
  return c;
}

class KeyPeopleDocsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_store(dir_.file("fx.db"), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ASSERT_TRUE(import_institutions(*store_, data("institutions.csv")).ok());
    auto r = import_roster(*store_, vault_, data("roster.csv"));
    ASSERT_TRUE(r.ok()) << r.status().message();
    auto institutions = store_->list_institutions();
    ASSERT_TRUE(institutions.ok());
    for (const auto& i : *institutions) inst_[i.code] = i.id;
  }

  Result<TrackingRow> add(const std::string& person, const std::string& category,
                          const std::string& since, const std::string& policy = "",
                          const Caller& caller = cli_caller("test")) {
    KeyPersonRequest r;
    r.person = person;
    r.category = category;
    r.since = since;
    r.area = category == "returnee" ? "上海市浦东新区" : "发热、干咳";
    r.policy = policy;
    return add_key_person(*store_, vault_, caller, r);
  }

  // Confirms C01:P01 as in tests/data/presence: its contacts fill the table.
  void confirm_case() {
    for (auto [kind, file] : {std::pair{PresenceKind::timetable, "timetable.csv"},
                              std::pair{PresenceKind::contacts, "contacts.csv"}}) {
      PresenceImportOptions o;
      o.create_places = true;
      auto r = import_presence(*store_, vault_, kind, data(file), o);
      ASSERT_TRUE(r.ok()) << r.status().message();
    }
    auto policy = find_policy("covid-8th");
    ASSERT_TRUE(policy.ok());
    auto index = TraceIndex::build(*store_, *policy);
    ASSERT_TRUE(index.ok()) << index.status().message();
    ConfirmCase req;
    auto person = resolve_person(*store_, vault_, "C01:P01");
    ASSERT_TRUE(person.ok());
    req.person_id = *person;
    ASSERT_TRUE(parse_local_instant("2022-03-10 08:00", req.sample_time));
    ASSERT_TRUE(parse_local_instant("2022-03-10 12:00", req.confirmed_at));
    auto done = app::confirm_case(*store_, **index, *policy, req);
    ASSERT_TRUE(done.ok()) << done.status().message();
    case_id_ = done->case_id;
  }

  size_t rows() { return store_->tracking().list_key_people({})->size(); }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(7);
  std::unique_ptr<store::Store> store_;
  std::map<std::string, int64_t> inst_;
  int64_t case_id_ = 0;
};

std::string dates(const TrackingRow& r) {
  std::string out;
  for (const auto& t : r.tests) out += std::to_string(t.day) + ":" + t.date + " ";
  return out;
}

TEST_F(KeyPeopleDocsTest, ReturneesAndSymptomaticPeopleFollowEachPolicy) {
  // covid-8th: 7 days centralised + 7 days home, tests days 1, 4, 7, 14.
  auto r8 = add("A01:S01", "returnee", "2022-03-08");
  ASSERT_TRUE(r8.ok()) << r8.status().message();
  EXPECT_EQ(r8->key.category, "returnee");
  EXPECT_EQ(r8->key.area, "上海市浦东新区");
  EXPECT_EQ(r8->key.policy_id, "covid-8th");
  EXPECT_EQ(r8->key.quarantine_kind, "centralised");
  EXPECT_EQ(r8->key.case_id, 0);
  EXPECT_EQ(local_text(r8->key.planned_end), "2022-03-22 00:00");
  EXPECT_EQ(dates(*r8), "1:2022-03-09 4:2022-03-12 7:2022-03-15 14:2022-03-22 ");
  EXPECT_EQ(r8->key.transfer, "requested");  // centralised: a transfer task
  EXPECT_EQ(r8->institution, "净月一中");

  // covid-9th: 7 days home quarantine, tests 1, 4, 7.
  auto r9 = add("A01:S02", "returnee", "2022-07-01", "covid-9th");
  ASSERT_TRUE(r9.ok()) << r9.status().message();
  EXPECT_EQ(r9->key.quarantine_kind, "home");
  EXPECT_EQ(local_text(r9->key.planned_end), "2022-07-08 00:00");
  EXPECT_EQ(dates(*r9), "1:2022-07-02 4:2022-07-05 7:2022-07-08 ");
  EXPECT_EQ(r9->key.transfer, "");

  // Symptomatic, both policies: health monitoring, tests on days 1 and 2.
  for (const char* policy : {"covid-8th", "covid-9th"}) {
    const std::string who = std::string(policy) == "covid-8th" ? "C01:T01" : "C01:P05";
    auto s = add(who, "symptomatic", "2022-03-09", policy);
    ASSERT_TRUE(s.ok()) << policy << ": " << s.status().message();
    EXPECT_EQ(s->key.quarantine_kind, "home_monitoring") << policy;
    EXPECT_EQ(dates(*s), "1:2022-03-10 2:2022-03-11 ") << policy;
    EXPECT_EQ(s->key.area, "发热、干咳");
  }

  // The table counts them apart from contacts.
  TrackingQuery q;
  auto t = tracking_table(*store_, cli_caller("test"), q);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->returnee, 2);
  EXPECT_EQ(t->symptomatic, 2);
  EXPECT_EQ(t->close + t->secondary, 0);
  // Each add is in the change feed.
  long added = 0;
  auto changes = store_->changes_after(0, 1000);
  ASSERT_TRUE(changes.ok());
  for (const auto& c : *changes) added += c.kind == "tracking.added";
  EXPECT_EQ(added, 4);
}

TEST_F(KeyPeopleDocsTest, BadInputNamesTheFieldAndStoresNothing) {
  auto expect = [&](Result<TrackingRow> r, const std::string& field) {
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_NE(r.status().message().find(field), std::string::npos) << r.status().message();
  };
  expect(add("C01:NOPE", "returnee", "2022-03-08"), "person");
  expect(add("110101199001011234", "returnee", "2022-03-08"), "person");
  expect(add("C01:P02", "close", "2022-03-08"), "category");  // contacts come from a trace
  expect(add("C01:P02", "tourist", "2022-03-08"), "category");
  expect(add("C01:P02", "returnee", "2022-03-08", "measles"), "category");  // not in the policy
  expect(add("C01:P02", "returnee", "2099-01-01"), "since");                // in the future
  expect(add("C01:P02", "returnee", "1999-12-31"), "since");                // before COVID-19
  expect(add("C01:P02", "returnee", "last week"), "since");
  expect(add("C01:P02", "returnee", "2022-03-08", "ebola"), "policy");
  // Adding needs cases.manage; even with it, a caller scoped to one
  // institution reaches only its own people: another's is "no such person".
  Caller a01 = school(inst_["A01"]);
  auto denied = add("A01:S01", "returnee", "2022-03-08", "", a01);
  EXPECT_EQ(denied.status().code(), Status::Code::permission_denied);
  a01.permissions |= static_cast<uint32_t>(Permission::cases_manage);
  expect(add("C01:P02", "returnee", "2022-03-08", "", a01), "person");
  EXPECT_EQ(rows(), 0u);
  ASSERT_TRUE(add("C01:P02", "returnee", "2022-03-08").ok());
  auto twice = add("C01:P02", "symptomatic", "2022-03-09");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().code(), Status::Code::already_exists);
  EXPECT_EQ(rows(), 1u);
}

TEST_F(KeyPeopleDocsTest, NoticesArePagePerPersonAndScoped) {
  if (auto missing = fx::testing::pdf_tools_missing(); !missing.empty())
    GTEST_SKIP() << missing << " is not installed (scripts/install-deps.sh installs it)";
  confirm_case();
  ASSERT_TRUE(add("A01:S01", "returnee", "2022-03-08").ok());
  TrackingQuery q;
  q.status = "quarantined";
  auto all = tracking_table(*store_, cli_caller("test"), q);
  ASSERT_TRUE(all.ok());
  ASSERT_GE(all->rows.size(), 3u);

  auto whole = quarantine_notices(*store_, cli_caller("test"), {});
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(whole->people, static_cast<long>(all->rows.size()));
  const std::string path = dir_.file("all.pdf");
  testing::write_file(path, whole->pdf);
  EXPECT_EQ(testing::pdf_structure_problems(path), "");
  EXPECT_EQ(testing::pdf_pages(path), static_cast<int>(all->rows.size()));
  // Page k is row k's notice: its name, masked ID, and nobody else's name.
  for (size_t k = 0; k < all->rows.size(); ++k) {
    const std::string page = testing::pdf_text(path, static_cast<int>(k) + 1);
    EXPECT_NE(page.find("隔离告知书"), std::string::npos);
    EXPECT_NE(page.find(all->rows[k].name + ":"), std::string::npos) << page;
    EXPECT_NE(page.find(all->rows[k].id_masked), std::string::npos) << page;
    EXPECT_NE(page.find("中华人民共和国传染病防治法"), std::string::npos);
    EXPECT_NE(page.find(all->rows[k].tests.front().date), std::string::npos) << page;
    for (size_t j = 0; j < all->rows.size(); ++j)
      if (j != k) {
        EXPECT_EQ(page.find(all->rows[j].name + ":"), std::string::npos) << page;
      }
  }

  // A01's admin: only 学生辛, the returnee; C01's people never appear.
  auto a01 = quarantine_notices(*store_, school(inst_["A01"]), {});
  ASSERT_TRUE(a01.ok()) << a01.status().message();
  EXPECT_EQ(a01->people, 1);
  testing::write_file(path, a01->pdf);
  EXPECT_EQ(testing::pdf_pages(path), 1);
  const std::string text = testing::pdf_text(path);
  EXPECT_NE(text.find("学生辛"), std::string::npos) << text;
  EXPECT_NE(text.find("中高风险地区返校人员"), std::string::npos) << text;
  EXPECT_NE(text.find("上海市浦东新区"), std::string::npos) << text;
  for (const auto& r : all->rows)
    if (r.institution != "净月一中") {
      EXPECT_EQ(text.find(r.name), std::string::npos) << r.name;
    }
  // Another institution by code is not found, nor is the case's list for A01.
  EXPECT_EQ(quarantine_notices(*store_, school(inst_["A01"]), {"C01", 0}).status().code(),
            Status::Code::not_found);
  EXPECT_EQ(quarantine_notices(*store_, school(inst_["A01"]), {"", case_id_}).status().code(),
            Status::Code::not_found);
  EXPECT_EQ(quarantine_notices(*store_, cli_caller("test"), {"", 999999}).status().code(),
            Status::Code::not_found);

  // For the case: its contacts only (not the returnee).
  auto of_case = quarantine_notices(*store_, cli_caller("test"), {"", case_id_});
  ASSERT_TRUE(of_case.ok());
  EXPECT_EQ(of_case->people, static_cast<long>(all->rows.size()) - 1);
  // Each batch is audited.
  store::AuditQuery aq;
  aq.action = "tracking.notices";
  EXPECT_EQ(store_->accounts().list_audit(aq)->size(), 3u);
}

}  // namespace
}  // namespace fx::app
