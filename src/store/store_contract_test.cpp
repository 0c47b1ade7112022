// The store's contract, run on every backend: the same cases against a
// SQLite file and against a real PostgreSQL (a fresh database per test on
// the server CTest's `postgres` fixture started). A backend that behaves
// differently from the other fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "store/store.h"
#include "tests/pg_test_support.h"
#include "tests/test_support.h"

namespace fx::store {
namespace {

using fx::testing::TempDir;

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto location = location_for_test();
    ASSERT_TRUE(location.ok()) << location.status().message();
    location_ = *location;
    auto s = open_store(location_, vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }

  Result<std::string> location_for_test() {
    if (GetParam() == "sqlite") return dir_.file("fx.db");
    return fx::testing::pg_fresh_database();
  }

  int64_t add_institution(const std::string& code, const std::string& name) {
    auto tx = store_->begin();
    EXPECT_TRUE(tx.ok()) << tx.status().message();
    domain::Institution i;
    i.code = code;
    i.name = name;
    i.kind = domain::InstitutionKind::college;
    i.longitude = 116.397128;
    i.latitude = 39.916527;
    auto id = (*tx)->insert_institution(i);
    EXPECT_TRUE(id.ok()) << id.status().message();
    EXPECT_TRUE((*tx)->commit().ok());
    return id.ok() ? *id : 0;
  }

  domain::Person person(int64_t inst, const std::string& code, const std::string& id_number,
                        const std::string& phone = "") {
    domain::Person p;
    p.institution_id = inst;
    p.person_code = code;
    p.name = "张三" + code;
    p.gender = domain::Gender::female;
    p.birth_date = "2003-04-05";
    p.role = domain::Role::student;
    p.id_kind = domain::IdKind::resident;
    p.id_number = id_number;
    p.phone = phone;
    p.home_compound = "幸福里\t3号\\院";  // a tab and a backslash: COPY must escape them
    return p;
  }

  Result<int64_t> add_person(WriteTx& tx, const domain::Person& p) {
    return tx.insert_person(p, seal_person(vault_, p), vault_.hash("row", p.person_code + p.name));
  }

  ImportRecord import_record(const std::string& sha) {
    ImportRecord r;
    r.kind = "roster";
    r.file_name = "roster.csv";
    r.sha256 = sha;
    r.format = "CSV (UTF-8)";
    r.started_at = "2022-03-08T01:02:03.456Z";
    r.finished_at = "2022-03-08T01:02:04.000Z";
    r.actor = "cli";
    r.rows = 3;
    r.imported = 2;
    r.rejected = 1;
    r.rejections.push_back({4, "身份证号", "校验位错误", {"S004", "李四", "11010519491231002X"}});
    return r;
  }

  void check_round_batches();  // RoundBatchesAreWholeAndInOrder…

  TempDir dir_;
  Vault vault_ = Vault::for_testing(7);
  std::string location_;
  std::unique_ptr<Store> store_;
};

// Both backends at the highest migration (15: dorm assignment periods), every
// area on both. The areas' contracts are store_*_contract_test.cpp.
int expected_version(const std::string&) { return 15; }

TEST_P(StoreContract, MigratesToTheExpectedVersion) {
  EXPECT_EQ(store_->schema_version(), expected_version(GetParam()));
}

TEST_P(StoreContract, ReopeningKeepsDataAndVersion) {
  add_institution("A01", "第一中学");
  store_.reset();
  auto s = open_store(location_, vault_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ((*s)->schema_version(), expected_version(GetParam()));
  EXPECT_EQ((*s)->list_institutions()->size(), 1u);
}

TEST_P(StoreContract, InstitutionsRoundTripAndUniqueCodes) {
  int64_t a = add_institution("B02", "第二中学");
  add_institution("A01", "第一中学");
  auto list = store_->list_institutions();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].code, "A01");  // by code
  EXPECT_EQ((*list)[1].name, "第二中学");
  EXPECT_DOUBLE_EQ(*(*list)[1].longitude, 116.397128);
  EXPECT_EQ((*list)[1].kind, domain::InstitutionKind::college);

  auto tx = store_->begin();
  ASSERT_TRUE(tx.ok());
  domain::Institution dup;
  dup.code = "A01";
  dup.name = "另一所";
  auto id = (*tx)->insert_institution(dup);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), Status::Code::already_exists);

  auto tx2 = (tx = Status::Internal("released"), store_->begin());
  ASSERT_TRUE(tx2.ok());
  domain::Institution upd = (*list)[1];
  upd.liaison = "王老师";
  upd.longitude.reset();
  ASSERT_TRUE((*tx2)->update_institution(upd).ok());
  ASSERT_TRUE((*tx2)->commit().ok());
  auto again = store_->list_institutions();
  EXPECT_EQ((*again)[1].id, a);
  EXPECT_EQ((*again)[1].liaison, "王老师");
  EXPECT_FALSE((*again)[1].longitude.has_value());
}

TEST_P(StoreContract, UnitsAndPlaces) {
  int64_t inst = add_institution("A01", "第一中学");
  auto tx = store_->begin();
  ASSERT_TRUE(tx.ok());
  domain::Unit top{0, inst, 0, domain::UnitKind::grade, "2021级", "2021级"};
  auto g = (*tx)->insert_unit(top);
  ASSERT_TRUE(g.ok()) << g.status().message();
  domain::Unit cls{0, inst, *g, domain::UnitKind::class_, "1班", "2021级/1班"};
  ASSERT_TRUE((*tx)->insert_unit(cls).ok());
  auto dup = (*tx)->insert_unit(cls);
  EXPECT_EQ(dup.status().code(), Status::Code::already_exists);
  tx = Status::Internal("rolled back");

  tx = store_->begin();
  g = (*tx)->insert_unit(top);
  cls.parent_id = *g;
  ASSERT_TRUE((*tx)->insert_unit(cls).ok());
  domain::Place room{0, inst, domain::PlaceKind::dorm_room, "3号楼305"};
  ASSERT_TRUE((*tx)->insert_place(room).ok());
  ASSERT_TRUE((*tx)->commit().ok());
  auto units = store_->list_units(inst);
  ASSERT_EQ(units->size(), 2u);
  EXPECT_EQ((*units)[1].path, "2021级/1班");
  EXPECT_EQ((*units)[1].parent_id, *g);
  EXPECT_EQ((*units)[1].kind, domain::UnitKind::class_);
  EXPECT_EQ(store_->list_units(0)->size(), 2u);
  auto places = store_->list_places(inst);
  ASSERT_EQ(places->size(), 1u);
  EXPECT_EQ((*places)[0].kind, domain::PlaceKind::dorm_room);
  EXPECT_EQ((*places)[0].name, "3号楼305");
}

TEST_P(StoreContract, PeopleAreSealedAndOpened) {
  int64_t inst = add_institution("A01", "第一中学");
  auto tx = store_->begin();
  auto p = person(inst, "S001", "11010519491231002X", "13800138000");
  auto id = add_person(**tx, p);
  ASSERT_TRUE(id.ok()) << id.status().message();
  auto q = person(inst, "S002", "110105194912310037");
  ASSERT_TRUE(add_person(**tx, q).ok());
  ASSERT_TRUE((*tx)->commit().ok());
  tx = Status::Internal("released");  // a transaction holds the writer until it dies

  auto got = store_->get_person(*id);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->id_number, "11010519491231002X");
  EXPECT_EQ(got->phone, "13800138000");
  EXPECT_EQ(got->home_compound, p.home_compound);
  EXPECT_EQ(got->gender, domain::Gender::female);
  EXPECT_EQ(got->birth_date, "2003-04-05");
  EXPECT_EQ(store_->get_person(*id + 100).status().code(), Status::Code::not_found);

  auto found = store_->find_people_by_id_number(domain::IdKind::resident, "11010519491231002X");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::vector<int64_t>{*id});

  std::vector<PersonDigest> digests;
  ASSERT_TRUE(
      store_->for_each_person_digest([&](const PersonDigest& d) { digests.push_back(d); }).ok());
  ASSERT_EQ(digests.size(), 2u);
  EXPECT_EQ(digests[0].id, *id);
  EXPECT_EQ(digests[0].id_hash, seal_person(vault_, p).id_hash);
  EXPECT_EQ(digests[0].row_hash, vault_.hash("row", p.person_code + p.name));

  auto page = store_->list_people(PeopleQuery{});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items[0].id_masked, seal_person(vault_, p).id_masked);
  EXPECT_EQ(page->items[0].phone_masked, seal_person(vault_, p).phone_masked);
  EXPECT_EQ(page->items[1].phone_masked, "");

  auto tx2 = store_->begin();
  got->name = "张三丰";
  got->phone.clear();
  ASSERT_TRUE((*tx2)->update_person(*got, seal_person(vault_, *got), vault_.hash("row", "x")).ok());
  ASSERT_TRUE((*tx2)->commit().ok());
  auto after = store_->get_person(*id);
  EXPECT_EQ(after->name, "张三丰");
  EXPECT_EQ(after->phone, "");
}

TEST_P(StoreContract, DuplicatePeopleAreAlreadyExists) {
  int64_t inst = add_institution("A01", "第一中学");
  auto tx = store_->begin();
  ASSERT_TRUE(add_person(**tx, person(inst, "S001", "11010519491231002X")).ok());
  auto same_id = add_person(**tx, person(inst, "S002", "11010519491231002X"));
  EXPECT_EQ(same_id.status().code(), Status::Code::already_exists);
}

TEST_P(StoreContract, BulkLoadWithADuplicateStoresNothing) {
  int64_t inst = add_institution("A01", "第一中学");
  auto tx = store_->begin();
  ASSERT_TRUE((*tx)->prepare_bulk_people_load().ok());
  Status first_error;
  for (int i = 0; i < 300 && first_error.ok(); ++i) {
    auto r = add_person(**tx, person(inst, "S" + std::to_string(i), "ID" + std::to_string(i)));
    if (!r.ok()) first_error = r.status();
  }
  auto dup = add_person(**tx, person(inst, "S0", "ID-other"));  // person code taken
  if (!dup.ok()) first_error = dup.status();
  Status s = first_error.ok() ? (*tx)->commit() : first_error;
  EXPECT_EQ(s.code(), Status::Code::already_exists) << s.message();
  tx = Status::Internal("released");
  auto page = store_->list_people(PeopleQuery{});
  EXPECT_EQ(page->total, 0);
}

TEST_P(StoreContract, BulkLoadKeepsIdsValuesAndOrder) {
  int64_t inst = add_institution("A01", "第一中学");
  auto tx = store_->begin();
  ASSERT_TRUE((*tx)->prepare_bulk_people_load().ok());
  std::vector<int64_t> ids;
  for (int i = 0; i < 5000; ++i) {
    auto r = add_person(**tx, person(inst, "S" + std::to_string(i), "ID" + std::to_string(i),
                                     i % 2 ? "1380013" + std::to_string(1000 + i) : ""));
    ASSERT_TRUE(r.ok()) << r.status().message();
    ids.push_back(*r);
    if (i == 2500) {  // a unit in the middle of the load, as an import makes them
      domain::Unit u{0, inst, 0, domain::UnitKind::class_, "1班", "1班"};
      ASSERT_TRUE((*tx)->insert_unit(u).ok());
    }
  }
  ASSERT_TRUE((*tx)->commit().ok());
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  auto p = store_->get_person(ids[4001]);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->person_code, "S4001");
  EXPECT_EQ(p->phone, "13800135001");
  EXPECT_EQ(p->home_compound, "幸福里\t3号\\院");
  EXPECT_EQ(store_->list_people(PeopleQuery{})->total, 5000);
}

TEST_P(StoreContract, UncommittedWritesAreRolledBack) {
  int64_t inst = add_institution("A01", "第一中学");
  {
    auto tx = store_->begin();
    ASSERT_TRUE(add_person(**tx, person(inst, "S001", "X1")).ok());
    ASSERT_TRUE((*tx)->append_change({0, "", "roster.imported", 0, 1, "{}"}).ok());
  }
  EXPECT_EQ(store_->list_people(PeopleQuery{})->total, 0);
  EXPECT_EQ(*store_->last_change_seq(), 0);
}

TEST_P(StoreContract, ImportsWithSealedRejectionsAndOneWinnerPerFile) {
  auto tx = store_->begin();
  auto id = (*tx)->insert_import(import_record("abc123"));
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_TRUE((*tx)->commit().ok());
  tx = Status::Internal("released");

  auto tx2 = store_->begin();
  auto again = (*tx2)->insert_import(import_record("abc123"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::already_exists);
  tx2 = Status::Internal("released");

  auto found = store_->find_import("roster", "abc123");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, *id);
  EXPECT_FALSE(store_->find_import("institutions", "abc123")->has_value());
  auto got = store_->get_import(*id);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->started_at, "2022-03-08T01:02:03.456Z");
  EXPECT_EQ(got->rejected, 1);
  ASSERT_EQ(got->rejections.size(), 1u);
  EXPECT_EQ(got->rejections[0].row, 4);
  EXPECT_EQ(got->rejections[0].cells[2], "11010519491231002X");
  EXPECT_EQ(store_->get_import(*id + 1).status().code(), Status::Code::not_found);

  auto tx3 = store_->begin();
  ASSERT_TRUE((*tx3)->insert_import(import_record("def456")).ok());
  ASSERT_TRUE((*tx3)->commit().ok());
  tx3 = Status::Internal("released");
  auto list = store_->list_imports(10);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].sha256, "def456");  // newest first
  EXPECT_TRUE((*list)[0].rejections.empty());
}

TEST_P(StoreContract, ChangeFeedIsMonotonic) {
  std::vector<int64_t> seqs;
  for (int i = 0; i < 5; ++i) {
    auto tx = store_->begin();
    auto seq =
        (*tx)->append_change({0, "", "roster.imported", 3, i, "{\"n\":" + std::to_string(i) + "}"});
    ASSERT_TRUE(seq.ok()) << seq.status().message();
    ASSERT_TRUE((*tx)->commit().ok());
    seqs.push_back(*seq);
  }
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
  EXPECT_EQ(*store_->last_change_seq(), seqs.back());
  auto after = store_->changes_after(seqs[1], 2);
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].seq, seqs[2]);
  EXPECT_EQ((*after)[0].institution_id, 3);
  EXPECT_EQ((*after)[0].detail, "{\"n\":2}");
  EXPECT_EQ((*after)[0].at.size(), 24u);  // 2022-03-08T01:02:03.456Z
  auto tx = store_->begin();
  auto seq = (*tx)->append_change({0, "", "x", 0, 0, ""});
  ASSERT_TRUE((*tx)->commit().ok());
  EXPECT_EQ(store_->changes_after(*seq - 1, 1)->at(0).detail, "{}");
}

TEST_P(StoreContract, RosterCountsAndPeopleQueries) {
  int64_t a = add_institution("A01", "第一中学");
  int64_t b = add_institution("B02", "第二中学");
  auto tx = store_->begin();
  domain::Unit grade{0, a, 0, domain::UnitKind::grade, "2021级", "2021级"};
  auto g = (*tx)->insert_unit(grade);
  domain::Unit cls{0, a, *g, domain::UnitKind::class_, "1班", "2021级/1班"};
  auto c = (*tx)->insert_unit(cls);
  domain::Place room{0, a, domain::PlaceKind::dorm_room, "3号楼305"};
  auto r = (*tx)->insert_place(room);
  auto p1 = person(a, "S1", "I1", "13800138001");
  p1.unit_id = *c;
  p1.dorm_id = *r;
  p1.name = "王100%_五";
  auto p2 = person(a, "T1", "I2");
  p2.role = domain::Role::teacher;
  auto p3 = person(b, "S1", "I3");
  for (const auto* p : {&p1, &p2, &p3}) ASSERT_TRUE(add_person(**tx, *p).ok());
  ASSERT_TRUE((*tx)->commit().ok());

  auto counts = store_->roster_counts();
  ASSERT_EQ(counts->size(), 2u);
  EXPECT_EQ((*counts)[0].people, 2);
  EXPECT_EQ((*counts)[0].students, 1);
  EXPECT_EQ((*counts)[0].teachers, 1);
  EXPECT_EQ((*counts)[0].units, 2);
  EXPECT_EQ((*counts)[0].dorm_residents, 1);
  EXPECT_EQ((*counts)[1].people, 1);

  PeopleQuery q;
  q.unit_id = *g;  // the grade and the class below it
  auto page = store_->list_people(q);
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].unit_path, "2021级/1班");
  EXPECT_EQ(page->items[0].dorm, "3号楼305");
  EXPECT_EQ(page->items[0].institution_code, "A01");

  q = {};
  q.name_contains = "100%_";  // literally, no wildcards
  EXPECT_EQ(store_->list_people(q)->total, 1);
  q.name_contains = "%";
  EXPECT_EQ(store_->list_people(q)->total, 1);
  q = {};
  q.id_hashes = {id_number_hash(vault_, domain::IdKind::resident, "I3")};
  q.phone_hash = phone_hash(vault_, "13800138001");
  EXPECT_EQ(store_->list_people(q)->total, 2);
  q = {};
  q.role = domain::Role::teacher;
  EXPECT_EQ(store_->list_people(q)->total, 1);
  q = {};
  q.all_institutions = false;
  EXPECT_EQ(store_->list_people(q)->total, 0);
  q.scope_institutions = {b};
  EXPECT_EQ(store_->list_people(q)->total, 1);
  q = {};
  q.limit = 2;
  q.offset = 1;
  page = store_->list_people(q);
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].person_code, "T1");
}

TEST_P(StoreContract, AccountsSessionsTokensAudit) {
  auto& acc = store_->accounts();
  UserRecord u;
  u.username = "alice";
  u.display_name = "艾丽斯";
  u.role = "liaison";
  u.colleges = {3, 5};
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$x$y";
  auto id = acc.insert_user(u);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(acc.insert_user(u).status().code(), Status::Code::already_exists);
  u.username = "bob";
  u.role = "viewer";
  ASSERT_TRUE(acc.insert_user(u).ok());
  auto alice = acc.find_user("alice");
  ASSERT_TRUE(alice.ok() && alice->has_value());
  EXPECT_EQ((*alice)->colleges, (std::vector<int64_t>{3, 5}));
  EXPECT_FALSE((*alice)->disabled);
  EXPECT_FALSE(acc.find_user("carol")->has_value());
  UserRecord changed = **alice;
  changed.disabled = true;
  ASSERT_TRUE(acc.update_user(changed).ok());
  EXPECT_TRUE((*acc.get_user(*id))->disabled);
  changed.id = 999;
  EXPECT_EQ(acc.update_user(changed).code(), Status::Code::not_found);
  auto users = acc.list_users();
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].username, "alice");

  SessionRecord s{vault_.hash("session", "cookie"), *id, "2022-03-08T00:00:00.000Z",
                  "2022-03-08T08:00:00.000Z"};
  ASSERT_TRUE(acc.insert_session(s).ok());
  auto found = acc.find_session(s.token_hash);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->expires_at, s.expires_at);
  EXPECT_EQ(*acc.count_active_sessions("2022-03-08T01:00:00.000Z"), 1);
  EXPECT_EQ(*acc.count_active_sessions("2022-03-09T01:00:00.000Z"), 0);
  ASSERT_TRUE(acc.delete_session(s.token_hash).ok());
  EXPECT_FALSE(acc.find_session(s.token_hash)->has_value());
  ASSERT_TRUE(acc.insert_session(s).ok());
  ASSERT_TRUE(acc.delete_sessions_of(*id).ok());
  EXPECT_FALSE(acc.find_session(s.token_hash)->has_value());

  TokenRecord t;
  t.name = "实验室 A 结果上传";
  t.user_id = *id;
  t.scopes = {"results.write", "rounds.read"};
  t.token_hash = vault_.hash("token", "secret");
  auto tid = acc.insert_token(t);
  ASSERT_TRUE(tid.ok()) << tid.status().message();
  auto tok = acc.find_token(t.token_hash);
  ASSERT_TRUE(tok.ok() && tok->has_value());
  EXPECT_EQ((*tok)->username, "alice");
  EXPECT_EQ((*tok)->scopes, t.scopes);
  ASSERT_TRUE(acc.revoke_token(*tid, "2022-03-09T00:00:00.000Z").ok());
  ASSERT_TRUE(acc.revoke_token(*tid, "2022-03-10T00:00:00.000Z").ok());  // keeps the first
  EXPECT_EQ((*acc.list_tokens())[0].revoked_at, "2022-03-09T00:00:00.000Z");
  EXPECT_EQ(acc.revoke_token(*tid + 9, "x").code(), Status::Code::not_found);

  for (int i = 0; i < 3; ++i) {
    AuditEntry e;
    e.actor = i == 2 ? "bob" : "alice";
    e.action = "person.read";
    e.subject_kind = "person";
    e.subject_id = 10 + i;
    ASSERT_TRUE(acc.append_audit(e).ok());
  }
  AuditQuery aq;
  aq.actor = "alice";
  auto audit = acc.list_audit(aq);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].subject_id, 11);  // newest first
  aq = {};
  aq.before_id = (*audit)[0].id;
  EXPECT_EQ(acc.list_audit(aq)->size(), 1u);

  ImportFileInfo info;
  info.import_id = 0;
  auto tx = store_->begin();
  info.import_id = *(*tx)->insert_import(import_record("f1"));
  ASSERT_TRUE((*tx)->commit().ok());
  tx = Status::Internal("released");
  info.header = {"学号", "姓名"};
  info.format = 1;
  info.encoding = 2;
  info.row_institution = {{4, 7}, {9, 0}};
  ASSERT_TRUE(acc.put_import_file_info(info).ok());
  auto back = acc.get_import_file_info(info.import_id);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->header, info.header);
  EXPECT_EQ(back->row_institution, info.row_institution);
  EXPECT_EQ(acc.get_import_file_info(info.import_id + 1).status().code(), Status::Code::not_found);
}

TEST_P(StoreContract, TestRounds) {
  int64_t inst = add_institution("A01", "第一中学");
  std::vector<int64_t> people;
  {
    auto tx = store_->begin();
    for (int i = 0; i < 4; ++i)
      people.push_back(
          *add_person(**tx, person(inst, "S" + std::to_string(i), "I" + std::to_string(i))));
    ASSERT_TRUE((*tx)->commit().ok());
  }
  auto& rounds = store_->rounds();
  domain::Round r;
  r.name = "第1轮";
  r.date = "2022-03-10";
  r.pool_size = 5;
  r.created_by = "cli";
  auto rid = rounds.create_round(r, people, {0, "", "round.created", 0, 0, "{}"});
  ASSERT_TRUE(rid.ok()) << rid.status().message();
  EXPECT_EQ(rounds.get_round(*rid)->due_snapshot, 4);
  EXPECT_EQ(rounds.get_round(*rid + 1).status().code(), Status::Code::not_found);
  EXPECT_EQ(rounds.list_rounds()->size(), 1u);

  RoundBatch b;
  b.round_id = *rid;
  b.samples.push_back({"T001", {people[0], 0, "2022-03-10T01:00:00.000Z", "操场"}});
  b.samples.push_back({"T001", {people[1], 0, "2022-03-10T01:00:00.000Z", "操场"}});
  b.samples.push_back({"T002", {people[2], 0, "2022-03-10T01:05:00.000Z", "操场"}});
  b.import = import_record("samp1");
  b.import->kind = "sampling";
  b.change.kind = "round.sampling_imported";
  auto imp = rounds.write_batch(b);
  ASSERT_TRUE(imp.ok()) << imp.status().message();
  EXPECT_GT(*imp, 0);
  EXPECT_EQ(rounds.write_batch(b).status().code(), Status::Code::already_exists);

  RoundBatch res;
  res.round_id = *rid;
  res.results.push_back(
      {"T001",
       {0, domain::TestResult::positive, "实验室A", "2022-03-10T08:00:00.000Z", "N 30.5", false}});
  res.results.push_back(
      {"T002", {0, domain::TestResult::negative, "实验室A", "2022-03-10T08:00:00.000Z", "", true}});
  res.conflicts.push_back(
      {0, *rid, "result_changed", "T002", 3, 0, "negative → positive", "", "open", "", ""});
  res.change.kind = "round.results_imported";
  ASSERT_EQ(*rounds.write_batch(res), 0);
  RoundBatch unknown;
  unknown.round_id = *rid;
  unknown.results.push_back({"T999", {0, domain::TestResult::negative, "", "x", "", false}});
  EXPECT_EQ(rounds.write_batch(unknown).status().code(), Status::Code::not_found);

  auto facts = rounds.load_round(*rid);
  ASSERT_TRUE(facts.ok()) << facts.status().message();
  EXPECT_EQ(facts->due, people);
  ASSERT_EQ(facts->tubes.size(), 2u);
  ASSERT_EQ(facts->samples.size(), 3u);
  EXPECT_EQ(facts->samples[2].person_id, people[2]);
  ASSERT_EQ(facts->results.size(), 2u);
  auto pos = std::find_if(facts->results.begin(), facts->results.end(), [](const ResultRecord& x) {
    return x.result == domain::TestResult::positive;
  });
  ASSERT_NE(pos, facts->results.end());
  EXPECT_EQ(pos->ct, "N 30.5");
  EXPECT_FALSE(pos->late);

  auto of = rounds.rounds_of_tubes({"T002", "nope", "T001"});
  EXPECT_EQ(*of, (std::vector<int64_t>{*rid, 0, *rid}));

  ASSERT_TRUE(
      rounds.add_exemption(*rid, {people[3], domain::ExemptReason::in_hospital, "住院", "", "cli"})
          .ok());
  EXPECT_EQ(
      rounds.add_exemption(*rid, {people[3], domain::ExemptReason::left, "", "", "cli"}).code(),
      Status::Code::already_exists);
  EXPECT_EQ(rounds.add_exemption(*rid, {people[3] + 100, domain::ExemptReason::left, "", "", "cli"})
                .code(),
            Status::Code::not_found);

  ResultRecord fix{0, domain::TestResult::negative, "实验室B", "", "", false};
  ASSERT_TRUE(rounds.correct_result(*rid, "T002", fix, "alice", "复核").ok());
  EXPECT_EQ(rounds.correct_result(*rid, "T002", fix, "alice", "").code(),
            Status::Code::invalid_argument);
  EXPECT_EQ(rounds.correct_result(*rid, "T404", fix, "alice", "x").code(), Status::Code::not_found);
  auto conflicts = rounds.list_conflicts(*rid);
  ASSERT_EQ(conflicts->size(), 1u);
  EXPECT_EQ((*conflicts)[0].status, "resolved");
  EXPECT_EQ((*conflicts)[0].resolved_by, "alice");
  auto corrections = rounds.list_corrections(*rid);
  ASSERT_EQ(corrections->size(), 1u);
  EXPECT_EQ((*corrections)[0].before, domain::TestResult::negative);

  ASSERT_TRUE(rounds.close_round(*rid, "alice", "2022-03-11T00:00:00.000Z").ok());
  EXPECT_EQ(rounds.close_round(*rid, "alice", "x").code(), Status::Code::conflict);
  EXPECT_EQ(rounds.get_round(*rid)->status, domain::RoundStatus::closed);

  auto placements = rounds.people_placements();
  ASSERT_EQ(placements->size(), 4u);
  EXPECT_EQ((*placements)[0].institution_id, inst);
  auto briefs = rounds.people_briefs({people[2], 99999, people[0]});
  ASSERT_EQ(briefs->size(), 2u);
  EXPECT_EQ((*briefs)[0].person_code, "S2");

  auto kinds = store_->changes_after(0, 100);
  std::vector<std::string> names;
  for (const auto& c : *kinds) names.push_back(c.kind);
  EXPECT_EQ(names, (std::vector<std::string>{"round.created", "round.sampling_imported",
                                             "round.results_imported", "round.exempted",
                                             "round.result_corrected", "round.closed"}));
}

// A batch is written whole or not at all, in the order given, whatever the
// backend does in bulk: tubes of another round, a duplicate sample and a
// second result for a tube each fail the batch and leave nothing behind.
TEST_P(StoreContract, RoundBatchesAreWholeAndInOrder) { check_round_batches(); }

// The same with every batch taken as large: PostgreSQL then checks the
// samples' foreign keys once per batch instead of per row.
TEST_P(StoreContract, RoundBatchesAreWholeAndInOrderInBulk) {
  setenv("FX_PG_BULK_SAMPLES", "1", 1);
  check_round_batches();
  unsetenv("FX_PG_BULK_SAMPLES");
}

void StoreContract::check_round_batches() {
  int64_t inst = add_institution("A01", "第一中学");
  std::vector<int64_t> people;
  {
    auto tx = store_->begin();
    for (int i = 0; i < 5; ++i)
      people.push_back(
          *add_person(**tx, person(inst, "S" + std::to_string(i), "I" + std::to_string(i))));
    ASSERT_TRUE((*tx)->commit().ok());
  }
  auto& rounds = store_->rounds();
  domain::Round r;
  r.name = "第1轮";
  r.date = "2022-03-10";
  r.pool_size = 5;
  r.created_by = "cli";
  auto a = rounds.create_round(r, people, {0, "", "round.created", 0, 0, "{}"});
  auto b = rounds.create_round(r, people, {0, "", "round.created", 0, 0, "{}"});
  ASSERT_TRUE(a.ok() && b.ok());
  auto sample = [](const std::string& tube, int64_t person, const std::string& site) {
    return RoundBatch::NewSample{tube, {person, 0, "2022-03-10T01:00:00.000Z", site}};
  };
  RoundBatch first;
  first.round_id = *a;
  first.samples = {sample("T1", people[0], "操场"), sample("T2", people[2], "东门"),
                   sample("T1", people[1], "操场")};
  first.change.kind = "round.sampling_posted";
  ASSERT_TRUE(rounds.write_batch(first).ok());

  RoundBatch other = first;  // T1 is round a's
  other.round_id = *b;
  other.samples = {sample("T9", people[3], ""), sample("T1", people[4], "")};
  EXPECT_EQ(rounds.write_batch(other).status().code(), Status::Code::conflict);
  EXPECT_TRUE(rounds.load_round(*b)->tubes.empty());
  EXPECT_EQ(*rounds.rounds_of_tubes({"T9"}), std::vector<int64_t>{0});

  RoundBatch dup = first;  // a new tube, then a person already in T1
  dup.samples = {sample("T3", people[3], ""), sample("T1", people[0], "")};
  EXPECT_EQ(rounds.write_batch(dup).status().code(), Status::Code::already_exists);
  EXPECT_EQ(*rounds.rounds_of_tubes({"T3"}), std::vector<int64_t>{0});

  RoundBatch dangling = first;  // a person who is not in the roster
  dangling.samples = {sample("T3", people[3], ""), sample("T5", people[4] + 1000, "")};
  EXPECT_EQ(rounds.write_batch(dangling).status().code(), Status::Code::already_exists);
  EXPECT_EQ(*rounds.rounds_of_tubes({"T3"}), std::vector<int64_t>{0});

  RoundBatch more;  // samples and results in one batch, text with COPY's special characters
  more.round_id = *a;
  more.samples = {sample("T3", people[3], "西门\t2号\\窗"), sample("T4", people[4], "")};
  more.results.push_back(
      {"T3", {0, domain::TestResult::positive, "实验室\nA", "2022-03-10T08:00:00.000Z", "N\t30"}});
  more.results.push_back(
      {"T1", {0, domain::TestResult::negative, "实验室B", "2022-03-10T08:00:00.000Z", "", true}});
  more.change.kind = "round.sampling_posted";
  ASSERT_TRUE(rounds.write_batch(more).ok());
  RoundBatch again;
  again.round_id = *a;
  again.results.push_back(
      {"T4", {0, domain::TestResult::negative, "", "2022-03-10T09:00:00.000Z", ""}});
  again.results.push_back(
      {"T1", {0, domain::TestResult::positive, "", "2022-03-10T09:00:00.000Z", ""}});
  EXPECT_EQ(rounds.write_batch(again).status().code(), Status::Code::already_exists);

  auto facts = rounds.load_round(*a);
  ASSERT_TRUE(facts.ok()) << facts.status().message();
  std::vector<std::string> codes;
  for (const auto& t : facts->tubes) codes.push_back(t.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"T1", "T2", "T3", "T4"}));  // by id: first seen
  std::vector<int64_t> order;
  for (const auto& s : facts->samples) order.push_back(s.person_id);
  EXPECT_EQ(order, (std::vector<int64_t>{people[0], people[2], people[1], people[3], people[4]}));
  EXPECT_EQ(facts->samples[3].site, "西门\t2号\\窗");
  ASSERT_EQ(facts->results.size(), 2u);  // T4's result went with the failed batch
  const auto& t3 =
      facts->results[0].tube_id == facts->tubes[2].id ? facts->results[0] : facts->results[1];
  EXPECT_EQ(t3.result, domain::TestResult::positive);
  EXPECT_EQ(t3.lab, "实验室\nA");
  EXPECT_EQ(t3.ct, "N\t30");
  EXPECT_FALSE(t3.late);
}

TEST_P(StoreContract, PresenceRecords) {
  int64_t inst = add_institution("A01", "第一中学");
  std::vector<int64_t> people;
  int64_t unit = 0;
  {
    auto tx = store_->begin();
    domain::Unit u{0, inst, 0, domain::UnitKind::class_, "1班", "1班"};
    unit = *(*tx)->insert_unit(u);
    for (int i = 0; i < 3; ++i) {
      auto p = person(inst, "S" + std::to_string(i), "I" + std::to_string(i));
      p.unit_id = unit;
      people.push_back(*add_person(**tx, p));
    }
    ASSERT_TRUE((*tx)->commit().ok());
  }
  PresenceBatch b;
  b.new_places.push_back({0, inst, domain::PlaceKind::canteen, "一食堂"});
  b.timetable.push_back({0, inst, unit, "数学", 1, 480, 525, -1, "2022-03-01", "2022-06-30", 0});
  for (int i = 0; i < 2500; ++i) b.swipes.push_back({people[i % 3], -1, 1646700000 + i});
  b.contacts.push_back(
      {people[0], people[1], 1646700000, 1646701800, "食堂\t同桌", ContactSource::sensor});
  b.import = import_record("presence1");
  b.import.kind = "presence.swipes";
  b.change.kind = "presence.imported";
  auto id = store_->presence().write_batch(b);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(store_->presence().write_batch(b).status().code(), Status::Code::already_exists);
  EXPECT_EQ(*store_->presence().count_swipes(), 2500);
  std::vector<SwipeRecord> swipes;
  ASSERT_TRUE(
      store_->presence().for_each_swipe([&](const SwipeRecord& s) { swipes.push_back(s); }).ok());
  ASSERT_EQ(swipes.size(), 2500u);
  EXPECT_EQ(swipes[2499].at, 1646700000 + 2499);  // file order
  EXPECT_EQ(swipes[4].person_id, people[1]);
  auto places = store_->list_places(inst);
  ASSERT_EQ(places->size(), 1u);
  EXPECT_EQ(swipes[0].place_id, (*places)[0].id);
  auto tt = store_->presence().list_timetable();
  ASSERT_EQ(tt->size(), 1u);
  EXPECT_EQ((*tt)[0].place_id, (*places)[0].id);
  EXPECT_EQ((*tt)[0].import_id, *id);
  auto contacts = store_->presence().list_contacts();
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ((*contacts)[0].setting, "食堂\t同桌");
  EXPECT_EQ((*contacts)[0].source, ContactSource::sensor);
  auto pp = store_->presence().presence_people();
  ASSERT_EQ(pp->size(), 3u);
  EXPECT_EQ((*pp)[2].unit_id, unit);
}

TEST_P(StoreContract, DormAssignmentPeriods) {
  int64_t inst = add_institution("A01", "第一中学");
  std::vector<int64_t> people;
  int64_t room_a = 0;
  {
    auto tx = store_->begin();
    room_a = *(*tx)->insert_place({0, inst, domain::PlaceKind::dorm_room, "1号楼101"});
    for (int i = 0; i < 2; ++i)
      people.push_back(
          *add_person(**tx, person(inst, "S" + std::to_string(i), "I" + std::to_string(i))));
    ASSERT_TRUE((*tx)->commit().ok());
  }
  auto changes_before = store_->changes_after(0, 1000);
  ASSERT_TRUE(changes_before.ok());
  PresenceBatch b;
  b.new_places.push_back({0, inst, domain::PlaceKind::dorm_room, "1号楼102"});
  b.dorms.push_back({0, people[0], room_a, "2022-03-01", "2022-03-09", 0});
  b.dorms.push_back({0, people[0], -1, "2022-03-10", "", 0});  // open
  b.dorms.push_back({0, people[1], room_a, "2022-03-01", "2022-06-30", 0});
  b.import = import_record("dorms1");
  b.import.kind = "presence.dorms";
  b.change.kind = "presence.imported";
  auto id = store_->presence().write_batch(b);
  ASSERT_TRUE(id.ok()) << id.status().message();
  auto changes = store_->changes_after(0, 1000);
  ASSERT_EQ(changes->size(), changes_before->size() + 1);
  EXPECT_EQ(changes->back().kind, "presence.imported");
  EXPECT_EQ(changes->back().subject_id, *id);
  auto rooms = store_->list_places(inst);
  ASSERT_EQ(rooms->size(), 2u);
  int64_t room_b = (*rooms)[0].id == room_a ? (*rooms)[1].id : (*rooms)[0].id;
  auto all = store_->presence().list_dorm_assignments();
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].person_id, people[0]);
  EXPECT_EQ((*all)[0].place_id, room_a);
  EXPECT_EQ((*all)[0].date_to, "2022-03-09");
  EXPECT_EQ((*all)[1].place_id, room_b);
  EXPECT_EQ((*all)[1].date_from, "2022-03-10");
  EXPECT_EQ((*all)[1].date_to, "");  // open stays open
  EXPECT_EQ((*all)[1].import_id, *id);
  EXPECT_EQ((*all)[2].person_id, people[1]);

  // A period overlapping a stored one (the open one reaches every later
  // date): the whole batch refused, nothing of it stored, no change entry.
  PresenceBatch bad;
  bad.new_places.push_back({0, inst, domain::PlaceKind::dorm_room, "1号楼103"});
  bad.dorms.push_back({0, people[1], room_a, "2022-07-01", "2022-07-31", 0});  // fine alone
  bad.dorms.push_back({0, people[0], room_a, "2023-01-01", "2023-01-31", 0});
  bad.import = import_record("dorms2");
  bad.import.kind = "presence.dorms";
  bad.change.kind = "presence.imported";
  EXPECT_EQ(store_->presence().write_batch(bad).status().code(), Status::Code::conflict);
  // Overlapping within one batch is refused as well.
  bad.dorms = {{0, people[1], room_a, "2022-07-01", "2022-07-31", 0},
               {0, people[1], room_a, "2022-07-31", "2022-08-31", 0}};
  EXPECT_EQ(store_->presence().write_batch(bad).status().code(), Status::Code::conflict);
  EXPECT_EQ(store_->presence().list_dorm_assignments()->size(), 3u);
  EXPECT_EQ(store_->list_places(inst)->size(), 2u);
  EXPECT_EQ(store_->changes_after(0, 1000)->size(), changes->size());
  // Adjacent periods (last night 7/31, next first night 8/1) are fine.
  bad.dorms = {{0, people[1], room_a, "2022-07-01", "2022-07-31", 0},
               {0, people[1], room_a, "2022-08-01", "2022-08-31", 0}};
  ASSERT_TRUE(store_->presence().write_batch(bad).ok());
  EXPECT_EQ(store_->presence().list_dorm_assignments()->size(), 5u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fx::store
