// The tracking part of the store's contract (cases, key people, quarantine
// sites), run on both backends like store_contract_test.cpp: a SQLite file
// and a fresh PostgreSQL database on CTest's `postgres` fixture.
#include <gtest/gtest.h>

#include <thread>

#include "store/sealed_person.h"
#include "store/store.h"
#include "tests/pg_test_support.h"
#include "tests/test_support.h"

namespace fx::store {
namespace {

class TrackingContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto location = GetParam() == "sqlite" ? Result<std::string>(dir_.file("fx.db"))
                                           : fx::testing::pg_fresh_database();
    ASSERT_TRUE(location.ok()) << location.status().message();
    location_ = *location;
    auto s = open_store(location_, vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto tx = store_->begin();
    ASSERT_TRUE(tx.ok()) << tx.status().message();
    domain::Institution inst;
    inst.code = "A01";
    inst.name = "第一中学";
    int64_t i = *(*tx)->insert_institution(inst);
    for (int n = 0; n < 6; ++n) {
      domain::Person p;
      p.institution_id = i;
      p.person_code = "S" + std::to_string(n);
      p.name = "学生" + std::to_string(n);
      p.role = domain::Role::student;
      p.id_kind = domain::IdKind::passport;
      p.id_number = "X" + std::to_string(n);
      auto id = (*tx)->insert_person(p, seal_person(vault_, p), vault_.hash("row", p.name));
      ASSERT_TRUE(id.ok()) << id.status().message();
      people_.push_back(*id);
    }
    ASSERT_TRUE((*tx)->commit().ok());
  }

  CaseRecord a_case(int64_t person) {
    CaseRecord c;
    c.person_id = person;
    c.sample_time = 1646700000;
    c.onset_date = "2022-03-07";
    c.confirmed_at = 1646786400;
    c.isolated_at = 1646790000;
    c.window_from = 1646440800;
    c.policy_id = "sh-2022";
    c.symptoms = "发热\t咳嗽";  // a tab: COPY and text columns keep it
    c.actor = "cli";
    return c;
  }

  KeyPersonRecord key(int64_t person, const std::string& category, const std::string& kind,
                      int64_t source) {
    KeyPersonRecord k;
    k.person_id = person;
    k.category = category;
    k.policy_id = "sh-2022";
    k.first_exposure = 1646600000;
    k.last_exposure = 1646603600;
    k.exposure_seconds = 3600;
    k.quarantine_kind = kind;
    k.start_at = 1646790000;
    k.planned_end = 1647394800;
    k.plan = "[{\"kind\":\"" + kind + "\",\"days\":7}]";
    k.sources.push_back({source, 3600, 1646600000, 1646603600, "[{\"place\":\"一食堂\"}]"});
    k.tests = {{1, "2022-03-10", ""}, {3, "2022-03-12", "咽拭子"}};
    return k;
  }

  int64_t key_row(int64_t person) {
    KeyPersonFilter f;
    f.person_ids = {person};
    auto l = store_->tracking().list_key_people(f);
    return l.ok() && l->size() == 1 ? (*l)[0].id : 0;
  }

  std::vector<std::string> change_kinds() {
    std::vector<std::string> out;
    auto changes = store_->changes_after(0, 1000);
    for (const auto& c : *changes) out.push_back(c.kind);
    return out;
  }

  fx::testing::TempDir dir_;
  Vault vault_ = Vault::for_testing(7);
  std::string location_;
  std::unique_ptr<Store> store_;
  std::vector<int64_t> people_;
};

TEST_P(TrackingContract, SitesCasesKeyPeopleWithSourcesAndTests) {
  auto& t = store_->tracking();
  auto a = t.add_site({0, "如家酒店", "幸福路1号", 1, 0});
  auto b = t.add_site({0, "汉庭酒店", "", 2, 0});
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().message();
  EXPECT_EQ(t.add_site({0, "如家酒店", "", 5, 0}).status().code(), Status::Code::already_exists);

  std::vector<KeyPersonRecord> people = {key(people_[1], "close", "centralised", people_[0]),
                                         key(people_[2], "close", "centralised", people_[0]),
                                         key(people_[3], "secondary", "home", people_[1])};
  auto id = t.record_case(a_case(people_[0]), people);
  ASSERT_TRUE(id.ok()) << id.status().message();
  auto again = t.record_case(a_case(people_[0]), {});
  EXPECT_EQ(again.status().code(), Status::Code::already_exists);

  auto got = t.get_case(*id);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->person_id, people_[0]);
  EXPECT_EQ(got->symptoms, "发热\t咳嗽");
  EXPECT_EQ(got->window_from, 1646440800);
  EXPECT_FALSE(got->created_at.empty());
  EXPECT_EQ(t.get_case(*id + 100).status().code(), Status::Code::not_found);
  EXPECT_EQ((*t.find_case_by_person(people_[0]))->id, *id);
  EXPECT_FALSE(t.find_case_by_person(people_[5])->has_value());
  EXPECT_EQ(t.list_cases()->size(), 1u);

  // The most free places first (B: 2), then the first of the ties (A).
  auto all = t.list_key_people({});
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].site_id, *b);
  EXPECT_EQ((*all)[0].site_name, "汉庭酒店");
  EXPECT_EQ((*all)[0].transfer, "requested");
  EXPECT_EQ((*all)[1].site_id, *a);
  EXPECT_EQ((*all)[2].site_id, 0);
  EXPECT_EQ((*all)[2].transfer, "");
  EXPECT_EQ((*all)[0].status, "quarantined");
  EXPECT_EQ((*all)[0].case_id, *id);
  ASSERT_EQ((*all)[0].sources.size(), 1u);
  EXPECT_EQ((*all)[0].sources[0].source_person_id, people_[0]);
  EXPECT_EQ((*all)[0].sources[0].exposures, "[{\"place\":\"一食堂\"}]");
  ASSERT_EQ((*all)[2].tests.size(), 2u);
  EXPECT_EQ((*all)[2].tests[1].day, 3);
  EXPECT_EQ((*all)[2].tests[1].note, "咽拭子");
  auto sites = t.list_sites();
  ASSERT_EQ(sites->size(), 2u);
  EXPECT_EQ((*sites)[0].occupied, 1);
  EXPECT_EQ((*sites)[1].occupied, 1);

  // Filters.
  KeyPersonFilter f;
  f.category = "close";
  EXPECT_EQ(t.list_key_people(f)->size(), 2u);
  f = {};
  f.quarantine_kind = "home";
  EXPECT_EQ(t.list_key_people(f)->size(), 1u);
  f = {};
  f.site_id = *a;
  EXPECT_EQ((*t.list_key_people(f))[0].person_id, people_[2]);
  f = {};
  f.person_ids = {people_[3], people_[5]};
  EXPECT_EQ(t.list_key_people(f)->size(), 1u);
  f = {};
  f.status = "released";
  EXPECT_TRUE(t.list_key_people(f)->empty());

  // A contact becomes a case: its row is marked, people it lists are
  // upgraded in place (site and transfer kept, sources replaced).
  CaseRecord second = a_case(people_[1]);
  second.from_key_person = key_row(people_[1]);
  auto upgraded = key(people_[3], "close", "centralised", people_[1]);
  upgraded.sources.push_back({people_[2], 60, 1646600000, 1646600060, "[]"});
  auto id2 =
      t.record_case(second, {upgraded, key(people_[4], "secondary", "centralised", people_[1]),
                             key(people_[5], "secondary", "centralised", people_[1])});
  ASSERT_TRUE(id2.ok()) << id2.status().message();
  EXPECT_EQ((*t.get_case(*id2)).from_key_person, second.from_key_person);
  all = t.list_key_people({});
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[0].status, "became_case");
  EXPECT_EQ((*all)[2].category, "close");
  EXPECT_EQ((*all)[2].case_id, *id2);
  EXPECT_EQ((*all)[2].sources.size(), 2u);
  EXPECT_EQ((*all)[2].site_id, *b);  // B has both places free again
  EXPECT_EQ((*all)[3].site_id, *b);
  EXPECT_EQ((*all)[4].site_id, 0);  // and then every site is full
  EXPECT_EQ((*t.list_sites())[1].occupied, 2);

  EXPECT_EQ(change_kinds(), (std::vector<std::string>{"site.added", "site.added", "case.confirmed",
                                                      "case.confirmed"}));
}

TEST_P(TrackingContract, TransferAssignAndRelease) {
  auto& t = store_->tracking();
  int64_t small = *t.add_site({0, "小站", "", 1, 0});
  int64_t big = *t.add_site({0, "大站", "", 5, 0});
  ASSERT_TRUE(
      t.record_case(a_case(people_[0]), {key(people_[1], "close", "centralised", people_[0]),
                                         key(people_[2], "close", "home", people_[0])})
          .ok());
  int64_t k1 = key_row(people_[1]), k2 = key_row(people_[2]);
  EXPECT_EQ((*t.list_key_people({}))[0].site_id, big);

  EXPECT_EQ(t.set_transfer(k1, "flying", "a").code(), Status::Code::invalid_argument);
  EXPECT_EQ(t.set_transfer(k1 + 100, "dispatched", "a").code(), Status::Code::not_found);
  ASSERT_TRUE(t.set_transfer(k1, "dispatched", "a").ok());
  EXPECT_EQ((*t.list_key_people({}))[0].transfer, "dispatched");

  ASSERT_TRUE(t.assign_site(k1, small, "arrived", "a").ok());  // moved: its place in big frees
  EXPECT_EQ(t.assign_site(k2, small, "requested", "a").code(), Status::Code::conflict);
  EXPECT_EQ(t.assign_site(k2, big + 100, "requested", "a").code(), Status::Code::invalid_argument);
  EXPECT_EQ(t.assign_site(k2 + 100, big, "requested", "a").code(), Status::Code::not_found);
  EXPECT_EQ(t.assign_site(k2, big, "nowhere", "a").code(), Status::Code::invalid_argument);
  ASSERT_TRUE(t.assign_site(k2, big, "requested", "a").ok());
  auto all = t.list_key_people({});
  EXPECT_EQ((*all)[1].quarantine_kind, "centralised");
  EXPECT_EQ((*all)[1].site_id, big);
  auto sites = t.list_sites();
  EXPECT_EQ((*sites)[0].occupied, 1);
  EXPECT_EQ((*sites)[1].occupied, 1);

  ASSERT_TRUE(t.release(k1, 1647394800, "a").ok());
  EXPECT_EQ(t.release(k1, 1647394800, "a").code(), Status::Code::conflict);
  EXPECT_EQ(t.assign_site(k1, big, "requested", "a").code(), Status::Code::conflict);
  all = t.list_key_people({});
  EXPECT_EQ((*all)[0].status, "released");
  EXPECT_EQ((*all)[0].released_at, 1647394800);
  EXPECT_EQ((*t.list_sites())[0].occupied, 0);

  EXPECT_EQ(change_kinds(), (std::vector<std::string>{"site.added", "site.added", "case.confirmed",
                                                      "tracking.transfer", "tracking.transfer",
                                                      "tracking.transfer", "tracking.release"}));
  auto last = store_->changes_after(0, 1000);
  EXPECT_EQ(last->back().subject_id, k1);
  EXPECT_EQ(last->back().detail, "{\"actor\":\"a\"}");
}

// Two stores on one database (two nodes) race for a site's last place many
// times: one wins each time, the other is told the site is full.
TEST_P(TrackingContract, TwoWritersCannotOverfillASite) {
  auto other = open_store(location_, vault_);
  ASSERT_TRUE(other.ok()) << other.status().message();
  auto& t = store_->tracking();
  ASSERT_TRUE(t.record_case(a_case(people_[0]), {key(people_[1], "close", "home", people_[0]),
                                                 key(people_[2], "close", "home", people_[0])})
                  .ok());
  int64_t k1 = key_row(people_[1]), k2 = key_row(people_[2]);
  for (int round = 0; round < 5; ++round) {
    int64_t site = *t.add_site({0, "站" + std::to_string(round), "", 1, 0});
    Status s1, s2;
    std::thread one([&] { s1 = t.assign_site(k1, site, "requested", "a"); });
    std::thread two([&] { s2 = (*other)->tracking().assign_site(k2, site, "requested", "b"); });
    one.join();
    two.join();
    EXPECT_NE(s1.ok(), s2.ok()) << s1.message() << " / " << s2.message();
    EXPECT_TRUE(s1.code() == Status::Code::conflict || s2.code() == Status::Code::conflict)
        << s1.message() << " / " << s2.message();
    auto sites = t.list_sites();
    EXPECT_EQ(sites->back().occupied, 1);
  }
}

TEST_P(TrackingContract, ReturneesWithoutACaseAndTheirArea) {
  // Migration 13: a key person with no case (case_id NULL) and an area.
  auto site = store_->tracking().add_site({0, "隔离酒店", "", 1, 0});
  ASSERT_TRUE(site.ok()) << site.status().message();
  KeyPersonRecord r = key(people_[0], "returnee", "centralised", people_[1]);
  r.sources.clear();
  r.area = "上海市浦东新区";
  auto id = store_->tracking().add_key_person(r, "cli");
  ASSERT_TRUE(id.ok()) << id.status().message();
  KeyPersonRecord s = key(people_[2], "symptomatic", "home_monitoring", people_[1]);
  s.sources.clear();
  s.area = "发热";
  ASSERT_TRUE(store_->tracking().add_key_person(s, "cli").ok());
  KeyPersonFilter f;
  f.category = "returnee";
  auto rows = store_->tracking().list_key_people(f);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  const KeyPersonRecord& got = rows->front();
  EXPECT_EQ(got.id, *id);
  EXPECT_EQ(got.case_id, 0);
  EXPECT_EQ(got.area, "上海市浦东新区");
  EXPECT_EQ(got.status, "quarantined");
  EXPECT_EQ(got.site_id, *site);  // centralised: the free site, as record_case assigns
  EXPECT_EQ(got.transfer, "requested");
  ASSERT_EQ(got.tests.size(), 2u);
  EXPECT_EQ(got.tests[1].due_date, "2022-03-12");
  // Already in quarantine: refused, nothing changed.
  auto again = store_->tracking().add_key_person(r, "cli");
  EXPECT_EQ(again.status().code(), Status::Code::already_exists);
  // A category outside the schema's list is refused by the database itself.
  KeyPersonRecord bad = key(people_[3], "tourist", "home", people_[1]);
  bad.sources.clear();
  EXPECT_FALSE(store_->tracking().add_key_person(bad, "cli").ok());
  EXPECT_EQ(key_row(people_[3]), 0);
  // Released, the person may be added again (the row is reused).
  ASSERT_TRUE(store_->tracking().release(*id, 1647000000, "cli").ok());
  auto back = store_->tracking().add_key_person(r, "cli");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, *id);
  long added = 0;
  for (const auto& k : change_kinds()) added += k == "tracking.added";
  EXPECT_EQ(added, 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, TrackingContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fx::store
