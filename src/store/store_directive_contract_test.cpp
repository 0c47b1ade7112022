// The directives part of the store's contract (directives, recipients with
// their clocks, listed people, the history, escalation), run on both
// backends like store_tracking_contract_test.cpp: a SQLite file and a fresh
// PostgreSQL database on CTest's `postgres` fixture.
#include <gtest/gtest.h>

#include <thread>

#include "store/account_store.h"
#include "store/sealed_person.h"
#include "store/store.h"
#include "tests/pg_test_support.h"
#include "tests/test_support.h"

namespace fx::store {
namespace {

class DirectiveContract : public ::testing::TestWithParam<std::string> {
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
    for (const char* code : {"A01", "B02"}) {
      domain::Institution inst;
      inst.code = code;
      inst.name = std::string("学校") + code;
      insts_.push_back(*(*tx)->insert_institution(inst));
    }
    for (int n = 0; n < 3; ++n) {
      domain::Person p;
      p.institution_id = insts_[0];
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

  NewDirective directive(const std::string& title, const std::string& deadline = "") {
    NewDirective n;
    n.directive.title = title;
    n.directive.body = "正文\t第二行\n";  // tab and newline survive both backends
    n.directive.priority = "urgent";
    n.directive.deadline = deadline;
    n.directive.sender = "alice";
    n.directive.sender_group = "人员管控";
    n.directive.source = "round_missed";
    n.directive.source_id = 4;
    n.directive.created_at = "2022-03-10T02:00:00Z";
    n.targets = {{insts_[0], {people_[2], people_[0]}}, {insts_[1], {}}};
    return n;
  }

  RecipientRecord recipient(int64_t directive_id, int64_t inst) {
    RecipientFilter f;
    f.directive_id = directive_id;
    f.institution_id = inst;
    auto r = store_->directives().recipients(f);
    EXPECT_TRUE(r.ok() && r->size() == 1);
    return r.ok() && r->size() == 1 ? (*r)[0] : RecipientRecord{};
  }

  RecipientMove move(int64_t rid, const char* action, const char* from, const char* to,
                     const char* at, const std::string& note = "") {
    return {rid, action, from, to, "school", at, note};
  }

  fx::testing::TempDir dir_;
  Vault vault_ = Vault::for_testing(7);
  std::string location_;
  std::unique_ptr<Store> store_;
  std::vector<int64_t> insts_, people_;
};

TEST_P(DirectiveContract, SendListAndRecipientsWithPeople) {
  auto& d = store_->directives();
  auto ids = d.send({directive("第一条"), directive("第二条", "2022-03-10T10:00:00Z")}, "alice");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  ASSERT_EQ(ids->size(), 2u);
  auto one = d.get((*ids)[0]);
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one->title, "第一条");
  EXPECT_EQ(one->body, "正文\t第二行\n");
  EXPECT_EQ(one->priority, "urgent");
  EXPECT_EQ(one->sender_group, "人员管控");
  EXPECT_EQ(one->source, "round_missed");
  EXPECT_EQ(one->source_id, 4);
  EXPECT_EQ(one->created_at, "2022-03-10T02:00:00Z");
  EXPECT_EQ(d.get(999).status().code(), Status::Code::not_found);

  auto all = d.list_all(0);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, (*ids)[1]) << "newest first";
  EXPECT_EQ(d.list_all(insts_[1])->size(), 2u);
  auto two = d.list({(*ids)[1], (*ids)[0]});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ((*two)[0].deadline, "2022-03-10T10:00:00Z");
  EXPECT_EQ(d.list({(*ids)[0], 999}).status().code(), Status::Code::not_found);

  RecipientFilter f;
  f.directive_id = (*ids)[0];
  auto rows = d.recipients(f);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].institution_id, insts_[0]);
  EXPECT_EQ((*rows)[0].state, "delivered");
  EXPECT_EQ((*rows)[0].delivered_at, "2022-03-10T02:00:00Z");
  EXPECT_EQ((*rows)[0].people, (std::vector<int64_t>{people_[0], people_[2]})) << "sorted";
  EXPECT_TRUE((*rows)[1].people.empty());
  f.directive_id = 0;
  f.institution_id = insts_[1];
  EXPECT_EQ(d.recipients(f)->size(), 2u);

  // One sent event and one change per recipient, the change naming its institution.
  EXPECT_EQ(d.events((*ids)[0])->size(), 2u);
  EXPECT_EQ((*d.events((*ids)[0]))[0].note, "2 people");
  auto changes = store_->changes_after(0, 100);
  int sent = 0;
  for (const auto& c : *changes)
    if (c.kind == "directive.sent") {
      ++sent;
      EXPECT_TRUE(c.institution_id == insts_[0] || c.institution_id == insts_[1]);
    }
  EXPECT_EQ(sent, 4);
}

TEST_P(DirectiveContract, SendIsAllOrNothing) {
  auto& d = store_->directives();
  NewDirective twice = directive("重复");
  twice.targets.push_back({insts_[0], {}});
  auto bad = d.send({directive("好的"), twice}, "alice");
  EXPECT_EQ(bad.status().code(), Status::Code::invalid_argument) << bad.status().message();
  EXPECT_TRUE(d.list_all(0)->empty()) << "the good one is not stored either";
  NewDirective unknown = directive("未知学校");
  unknown.targets = {{987654, {}}};
  EXPECT_FALSE(d.send({unknown}, "alice").ok());
  EXPECT_TRUE(d.list_all(0)->empty());
  // The store still writes after a refused transaction.
  EXPECT_TRUE(d.send({directive("之后")}, "alice").ok());
}

TEST_P(DirectiveContract, MovesStampClocksAndKeepHistory) {
  auto& d = store_->directives();
  int64_t id = (*d.send({directive("办理")}, "alice"))[0];
  int64_t rid = recipient(id, insts_[0]).id;
  ASSERT_TRUE(d.move(move(rid, "ack", "delivered", "acknowledged", "2022-03-10T02:10:00Z")).ok());
  // From a state it is no longer in: Conflict, nothing written.
  EXPECT_EQ(d.move(move(rid, "ack", "delivered", "acknowledged", "2022-03-10T02:11:00Z")).code(),
            Status::Code::conflict);
  ASSERT_TRUE(
      d.move(move(rid, "done", "acknowledged", "done", "2022-03-10T03:00:00Z", "已完成")).ok());
  ASSERT_TRUE(
      d.move(move(rid, "return", "done", "acknowledged", "2022-03-10T03:10:00Z", "缺名单")).ok());
  ASSERT_TRUE(
      d.move(move(rid, "done", "acknowledged", "done", "2022-03-10T04:00:00Z", "补齐")).ok());
  ASSERT_TRUE(d.move(move(rid, "accept", "done", "accepted", "2022-03-10T04:30:00Z")).ok());
  auto r = recipient(id, insts_[0]);
  EXPECT_EQ(r.state, "accepted");
  EXPECT_EQ(r.read_at, "2022-03-10T02:10:00Z") << "an ack stamps read";
  EXPECT_EQ(r.acknowledged_at, "2022-03-10T02:10:00Z");
  EXPECT_EQ(r.done_at, "2022-03-10T04:00:00Z") << "the done that was accepted";
  EXPECT_EQ(r.accepted_at, "2022-03-10T04:30:00Z");
  EXPECT_EQ(r.feedback, "补齐");
  EXPECT_EQ(r.return_reason, "缺名单");
  EXPECT_EQ(r.returns, 1);
  EXPECT_EQ(r.updated_at, "2022-03-10T04:30:00Z");
  EXPECT_EQ(recipient(id, insts_[1]).state, "delivered") << "the other school is untouched";
  EXPECT_EQ(d.move(move(99999, "ack", "delivered", "acknowledged", "2022-03-10T05:00:00Z")).code(),
            Status::Code::not_found);

  auto history = d.events(id);
  std::vector<std::string> actions;
  for (const auto& e : *history)
    if (e.recipient_id == rid) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"sent", "ack", "done", "return", "done", "accept"}));
  EXPECT_EQ(history->back().actor, "school");
  EXPECT_EQ(history->back().from_state, "done");
  EXPECT_EQ(history->back().to_state, "accepted");
  auto changes = store_->changes_after(0, 100);
  EXPECT_EQ(changes->back().kind, "directive.accept");
  EXPECT_EQ(changes->back().institution_id, insts_[0]);
  EXPECT_EQ(changes->back().subject_id, id);
  EXPECT_EQ(changes->back().detail, "{\"recipient_id\":" + std::to_string(rid) + "}");
}

TEST_P(DirectiveContract, EscalateOnlyOpenOverdueRowsOnce) {
  auto& d = store_->directives();
  int64_t due = (*d.send({directive("限时", "2022-03-10T10:00:00Z")}, "alice"))[0];
  int64_t none = (*d.send({directive("不限时")}, "alice"))[0];
  int64_t r0 = recipient(due, insts_[0]).id, r1 = recipient(due, insts_[1]).id;
  ASSERT_TRUE(d.move(move(r1, "ack", "delivered", "acknowledged", "2022-03-10T02:10:00Z")).ok());
  ASSERT_TRUE(
      d.move(move(r1, "done", "acknowledged", "done", "2022-03-10T03:00:00Z", "好了")).ok());
  EXPECT_FALSE(*d.escalate(r0, "人员管控组长", "2022-03-10T09:00:00Z", "cli")) << "not yet due";
  EXPECT_TRUE(*d.escalate(r0, "人员管控组长", "2022-03-10T11:00:00Z", "cli"));
  EXPECT_FALSE(*d.escalate(r0, "人员管控组长", "2022-03-10T12:00:00Z", "cli")) << "idempotent";
  EXPECT_FALSE(*d.escalate(r1, "人员管控组长", "2022-03-10T11:00:00Z", "cli")) << "done";
  EXPECT_FALSE(*d.escalate(recipient(none, insts_[0]).id, "x", "2022-03-11T00:00:00Z", "cli"));
  EXPECT_EQ(d.escalate(99999, "x", "2022-03-11T00:00:00Z", "cli").status().code(),
            Status::Code::not_found);
  auto r = recipient(due, insts_[0]);
  EXPECT_EQ(r.escalated_at, "2022-03-10T11:00:00Z");
  EXPECT_EQ(r.escalated_to, "人员管控组长");
  EXPECT_EQ(r.state, "delivered") << "escalation flags, it does not move";
  EXPECT_EQ(d.events(due)->back().action, "escalate");
  EXPECT_EQ(d.events(due)->back().note, "人员管控组长");
  EXPECT_EQ(store_->changes_after(0, 100)->back().kind, "directive.escalated");
  RecipientFilter open;
  open.open_only = true;
  EXPECT_EQ(d.recipients(open)->size(), 3u) << "r1 is done";
}

// Two stores on one database (two nodes) acknowledge the same recipient many
// times over: one wins each time, the other gets Conflict, one event is written.
TEST_P(DirectiveContract, TwoNodesCannotBothMoveOneRecipient) {
  auto other = open_store(location_, vault_);
  ASSERT_TRUE(other.ok()) << other.status().message();
  for (int round = 0; round < 5; ++round) {
    int64_t id = (*store_->directives().send({directive("竞争")}, "alice"))[0];
    int64_t rid = recipient(id, insts_[0]).id;
    Status s1, s2;
    std::thread one([&] {
      s1 = store_->directives().move(
          move(rid, "ack", "delivered", "acknowledged", "2022-03-10T02:10:00Z"));
    });
    std::thread two([&] {
      s2 = (*other)->directives().move(
          move(rid, "ack", "delivered", "acknowledged", "2022-03-10T02:11:00Z"));
    });
    one.join();
    two.join();
    EXPECT_NE(s1.ok(), s2.ok()) << s1.message() << " / " << s2.message();
    EXPECT_TRUE(s1.code() == Status::Code::conflict || s2.code() == Status::Code::conflict)
        << s1.message() << " / " << s2.message();
    int acks = 0;
    auto events = store_->directives().events(id);  // kept: a range-for over *temp dangles
    for (const auto& e : *events) acks += e.action == "ack";
    EXPECT_EQ(acks, 1);
  }
}

TEST_P(DirectiveContract, FilesAreBlobsWithTheirRecipient) {
  auto& d = store_->directives();
  int64_t id = (*d.send({directive("附件")}, "alice"))[0];
  int64_t other = (*d.send({directive("另一条")}, "alice"))[0];
  int64_t rid = recipient(id, insts_[0]).id;
  DirectiveFile f;
  f.directive_id = id;
  f.name = "通知.pdf";
  f.content_type = "application/pdf";
  f.data = std::string("%PDF\0\x01\xff\n\t end", 13);  // NUL, high bytes, tab, newline
  f.sha256 = "00ff";
  f.uploaded_by = "alice";
  f.uploaded_at = "2022-03-10T02:01:00Z";
  auto a = d.add_file(f);
  ASSERT_TRUE(a.ok()) << a.status().message();
  f.recipient_id = rid;
  f.name = "反馈.jpg";
  auto b = d.add_file(f);
  ASSERT_TRUE(b.ok()) << b.status().message();
  f.directive_id = other;  // a recipient of another directive
  EXPECT_EQ(d.add_file(f).status().code(), Status::Code::invalid_argument);
  f.recipient_id = 99999;
  EXPECT_EQ(d.add_file(f).status().code(), Status::Code::not_found);

  auto list = d.files(id);
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].recipient_id, 0);
  EXPECT_EQ((*list)[0].size, 13);
  EXPECT_TRUE((*list)[0].data.empty()) << "lists leave the bytes out";
  EXPECT_EQ((*list)[1].recipient_id, rid);
  auto got = d.get_file(*b);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->data, std::string("%PDF\0\x01\xff\n\t end", 13));
  EXPECT_EQ(got->name, "反馈.jpg");
  EXPECT_EQ(got->sha256, "00ff");
  EXPECT_EQ(d.get_file(99999).status().code(), Status::Code::not_found);
  EXPECT_TRUE(d.files(other)->empty());
  auto changes = store_->changes_after(0, 100);
  EXPECT_EQ(changes->back().kind, "directive.file");
  EXPECT_EQ(changes->back().institution_id, insts_[0]) << "feedback files reach their school";
}

// Migration 14: a recipient may be a task group or a liaison's account, each
// row with its own state and clocks; a group or liaison listed twice is
// refused whole, as an institution is.
TEST_P(DirectiveContract, GroupAndLiaisonRecipientsHaveTheirOwnRows) {
  auto& d = store_->directives();
  auto groups = store_->org().groups();
  ASSERT_TRUE(groups.ok() && groups->size() == 6u);
  const int64_t group = (*groups)[1].id;  // 人员管控
  UserRecord u;
  u.username = "liu.liaison";
  u.display_name = "刘联络";
  u.role = "liaison";
  u.password_hash = "x";
  u.created_at = u.updated_at = "2022-03-10T00:00:00Z";
  auto user = store_->accounts().insert_user(u);
  ASSERT_TRUE(user.ok()) << user.status().message();

  NewDirective n = directive("三类接收方");
  n.targets = {{insts_[0], {}}};
  n.targets.push_back({0, {}, "group", group, 0});
  n.targets.push_back({0, {}, "liaison", 0, *user});
  auto ids = d.send({n}, "alice");
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  RecipientFilter f;
  f.directive_id = (*ids)[0];
  auto rows = d.recipients(f);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].kind, "institution");
  EXPECT_EQ((*rows)[0].group_id, 0);
  EXPECT_EQ((*rows)[1].kind, "group");
  EXPECT_EQ((*rows)[1].group_id, group);
  EXPECT_EQ((*rows)[1].institution_id, 0);
  EXPECT_EQ((*rows)[2].kind, "liaison");
  EXPECT_EQ((*rows)[2].user_id, *user);
  EXPECT_EQ((*rows)[2].state, "delivered");

  RecipientFilter by_group;
  by_group.group_id = group;
  ASSERT_EQ(d.recipients(by_group)->size(), 1u);
  RecipientFilter by_user;
  by_user.user_id = *user;
  ASSERT_EQ(d.recipients(by_user)->size(), 1u);
  EXPECT_EQ(d.list_all(insts_[1])->size(), 0u) << "B02 was not sent this one";

  // The group's row moves on its own; the change names no institution.
  const int64_t gid = (*rows)[1].id;
  ASSERT_TRUE(d.move(move(gid, "ack", "delivered", "acknowledged", "2022-03-10T02:05:00Z")).ok());
  ASSERT_TRUE(
      d.move(move(gid, "done", "acknowledged", "done", "2022-03-10T02:40:00Z", "已落实")).ok());
  auto g = d.recipients(by_group);
  EXPECT_EQ((*g)[0].state, "done");
  EXPECT_EQ((*g)[0].acknowledged_at, "2022-03-10T02:05:00Z");
  EXPECT_EQ((*g)[0].feedback, "已落实");
  EXPECT_EQ(d.recipients(by_user)->front().state, "delivered");
  auto changes = store_->changes_after(0, 100);
  EXPECT_EQ(changes->back().kind, "directive.done");
  EXPECT_EQ(changes->back().institution_id, 0);
  DirectiveFile file;
  file.directive_id = (*ids)[0];
  file.recipient_id = gid;
  file.name = "落实情况.txt";
  file.content_type = "text/plain";
  file.data = "ok";
  file.sha256 = "00";
  file.uploaded_by = "zhang";
  file.uploaded_at = "2022-03-10T02:41:00Z";
  EXPECT_TRUE(d.add_file(file).ok());

  // Listed twice, or a group that does not exist: nothing stored.
  NewDirective twice = directive("重复组");
  twice.targets = {{0, {}, "group", group, 0}, {0, {}, "group", group, 0}};
  auto bad = d.send({twice}, "alice");
  EXPECT_EQ(bad.status().code(), Status::Code::invalid_argument) << bad.status().message();
  NewDirective ghost = directive("无此组");
  ghost.targets = {{0, {}, "group", 999, 0}};
  EXPECT_FALSE(d.send({ghost}, "alice").ok());
  NewDirective mixed = directive("类型不符");
  mixed.targets = {{insts_[0], {}, "group", 0, 0}};  // a group row without its group
  EXPECT_FALSE(d.send({mixed}, "alice").ok()) << "the CHECK holds one target per kind";
  EXPECT_EQ(d.list_all(0)->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DirectiveContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fx::store
