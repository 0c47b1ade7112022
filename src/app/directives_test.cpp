// Directives against a real SQLite file: the state machine with its clocks,
// scope, the append-only history, escalation, every bad input, and the
// missed list of a round (hand-checked and on a generated district).
#include "app/directives.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <sstream>

#include "../../tests/test_support.h"
#include "app/directive_files.h"
#include "app/directive_reports.h"
#include "app/imports.h"
#include "app/org.h"
#include "app/rounds.h"
#include "app/rounds_board.h"
#include "domain/id_number.h"
#include "ingest/table.h"
#include "sim/district.h"
#include "sim/test_round.h"

namespace fx::app {
namespace {

using domain::DirectiveAction;
using fx::testing::TempDir;

constexpr const char* kT0 = "2022-03-10T02:00:00Z";  // 10:00 in Changchun

std::string rounds_data(const std::string& name) {
  return testing::source_dir() + "/tests/data/rounds/" + name;
}

Caller school(int64_t inst) {
  Caller c;
  c.username = "school";
  c.role = Role::institution;
  c.institutions = {inst};
  c.permissions = permissions_of(Role::institution, "");
  return c;
}

Caller group(const std::string& name, const std::string& user) {
  Caller c;
  c.username = user;
  c.role = Role::group;
  c.task_group = name;
  c.all_institutions = true;
  c.permissions = permissions_of(Role::group, name);
  return c;
}

class DirectiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_store(dir_.file("fx.db"), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ASSERT_TRUE(import_institutions(*store_, rounds_data("institutions.csv")).ok());
    auto r = import_roster(*store_, vault_, rounds_data("roster.csv"));
    ASSERT_TRUE(r.ok()) << r.status().message();
    auto insts = store_->list_institutions();
    for (const auto& i : *insts) inst_[i.code] = i.id;
  }
  SendDirective req(std::vector<std::string> to = {"A01", "B02"}) {
    SendDirective d;
    d.title = "落实全员核酸检测";
    d.body = "今日18:00前完成全员采样并反馈。";
    d.priority = "紧急";
    d.deadline = "2022-03-10 18:00";
    d.to = std::move(to);
    d.now = kT0;
    return d;
  }
  int64_t send(const Caller& c = cli_caller("test")) {
    auto id = send_directive(*store_, c, req());
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }
  Status act(const Caller& c, int64_t id, const std::string& code, DirectiveAction a,
             const std::string& text = "", const std::string& at = "2022-03-10T02:30:00Z") {
    return act_on_directive(*store_, c, id, code, a, text, at);
  }
  DirectiveView show(int64_t id, const Caller& c = cli_caller("test"),
                     const std::string& now = "2022-03-10T03:00:00Z") {
    auto v = show_directive(*store_, c, id, now);
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? *v : DirectiveView{};
  }
  const RecipientView& row(const DirectiveView& v, const std::string& code) {
    for (const auto& r : v.recipients)
      if (r.institution_code == code) return r;
    static RecipientView none;
    ADD_FAILURE() << "no row " << code;
    return none;
  }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(5);
  std::unique_ptr<store::Store> store_;
  std::map<std::string, int64_t> inst_;
};

TEST_F(DirectiveTest, SendStoresOneRecipientPerInstitutionWithTheFeed) {
  int64_t id = send();
  auto v = show(id);
  EXPECT_EQ(v.directive.title, "落实全员核酸检测");
  EXPECT_EQ(v.directive.priority, "urgent");
  EXPECT_EQ(v.directive.deadline, "2022-03-10T10:00:00Z");  // 18:00 local
  EXPECT_EQ(v.directive.sender, "cli");
  EXPECT_EQ(v.directive.created_at, kT0);
  ASSERT_EQ(v.recipients.size(), 2u);
  EXPECT_EQ(row(v, "A01").row.state, "delivered");
  EXPECT_EQ(row(v, "B02").row.delivered_at, kT0);
  auto changes = store_->changes_after(0, 1000);
  int sent = 0;
  for (const auto& c : *changes)
    if (c.kind == "directive.sent") {
      ++sent;
      EXPECT_TRUE(c.institution_id == inst_["A01"] || c.institution_id == inst_["B02"]);
      EXPECT_EQ(c.subject_id, id);
    }
  EXPECT_EQ(sent, 2);
  // "all" reaches every institution.
  auto all = req({"all"});
  auto id2 = send_directive(*store_, cli_caller("t"), all);
  ASSERT_TRUE(id2.ok());
  EXPECT_EQ(show(*id2).recipients.size(), 2u);
}

TEST_F(DirectiveTest, TheFullLoopWithClocksAndHistory) {
  int64_t id = send(group("人员管控", "zhang"));
  Caller a01 = school(inst_["A01"]);
  // Opening it marks it read, once.
  auto seen = show(id, a01, "2022-03-10T02:05:00Z");
  EXPECT_EQ(row(seen, "A01").row.state, "read");
  EXPECT_EQ(row(seen, "A01").row.read_at, "2022-03-10T02:05:00Z");
  show(id, a01, "2022-03-10T02:06:00Z");
  EXPECT_EQ(row(show(id), "A01").row.read_at, "2022-03-10T02:05:00Z");

  ASSERT_TRUE(act(a01, id, "A01", DirectiveAction::acknowledge, "", "2022-03-10T02:10:00Z").ok());
  ASSERT_TRUE(
      act(a01, id, "A01", DirectiveAction::done, "已完成采样 7 人", "2022-03-10T04:00:00Z").ok());
  Caller lead = group("人员管控", "li");
  ASSERT_TRUE(
      act(lead, id, "A01", DirectiveAction::send_back, "缺名单", "2022-03-10T04:10:00Z").ok());
  auto back = row(show(id), "A01");
  EXPECT_EQ(back.row.state, "acknowledged");
  EXPECT_EQ(back.row.return_reason, "缺名单");
  EXPECT_EQ(back.row.returns, 1);
  EXPECT_EQ(back.row.done_at, "");
  ASSERT_TRUE(
      act(a01, id, "A01", DirectiveAction::done, "已完成采样 7 人,名单附后", "2022-03-10T05:00:00Z")
          .ok());
  ASSERT_TRUE(act(lead, id, "A01", DirectiveAction::accept, "", "2022-03-10T05:30:00Z").ok());

  auto v = show(id);
  const auto& r = row(v, "A01");
  EXPECT_EQ(r.row.state, "accepted");
  EXPECT_EQ(r.row.acknowledged_at, "2022-03-10T02:10:00Z");
  EXPECT_EQ(r.row.done_at, "2022-03-10T05:00:00Z");
  EXPECT_EQ(r.row.accepted_at, "2022-03-10T05:30:00Z");
  EXPECT_EQ(r.row.feedback, "已完成采样 7 人,名单附后");
  EXPECT_DOUBLE_EQ(*r.minutes_to_ack, 10);
  EXPECT_DOUBLE_EQ(*r.minutes_to_done, 180);
  EXPECT_EQ(v.summary.recipients, 2);
  EXPECT_EQ(v.summary.acknowledged, 1);
  EXPECT_EQ(v.summary.done, 1);
  EXPECT_DOUBLE_EQ(*v.summary.median_minutes_to_ack, 10);

  // The history keeps every move, the first feedback included, in order.
  std::vector<std::string> actions;
  bool first_feedback = false;
  for (const auto& e : v.history) {
    if (e.recipient_id != r.row.id) continue;
    actions.push_back(e.action + ":" + e.actor);
    first_feedback |= e.note == "已完成采样 7 人";
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"sent:zhang", "read:school", "ack:school", "done:school",
                                      "return:li", "done:school", "accept:li"}));
  EXPECT_TRUE(first_feedback);
  // The store refuses to rewrite history.
  auto kinds = store_->changes_after(0, 1000);
  int acks = 0;
  for (const auto& c : *kinds)
    acks += c.kind == "directive.ack" && c.institution_id == inst_["A01"];
  EXPECT_EQ(acks, 1);
}

TEST_F(DirectiveTest, OutOfOrderAndClosedAreConflicts) {
  int64_t id = send();
  Caller cli = cli_caller("t");
  auto done_first = act(cli, id, "A01", DirectiveAction::done, "做完了");
  EXPECT_EQ(done_first.code(), Status::Code::conflict);
  EXPECT_NE(done_first.message().find("acknowledge"), std::string::npos);
  EXPECT_EQ(act(cli, id, "A01", DirectiveAction::accept).code(), Status::Code::conflict);
  EXPECT_EQ(act(cli, id, "A01", DirectiveAction::send_back, "x").code(), Status::Code::conflict);
  ASSERT_TRUE(act(cli, id, "A01", DirectiveAction::acknowledge).ok());
  EXPECT_EQ(act(cli, id, "A01", DirectiveAction::acknowledge).code(), Status::Code::conflict);
  ASSERT_TRUE(act(cli, id, "A01", DirectiveAction::done, "完成").ok());
  // Revising feedback before acceptance is a new event, the old one kept.
  ASSERT_TRUE(act(cli, id, "A01", DirectiveAction::done, "完成(补充)").ok());
  ASSERT_TRUE(act(cli, id, "A01", DirectiveAction::accept).ok());
  auto late = act(cli, id, "A01", DirectiveAction::done, "再补充");
  EXPECT_EQ(late.code(), Status::Code::conflict);
  EXPECT_NE(late.message().find("accepted"), std::string::npos);
  EXPECT_EQ(row(show(id), "A01").row.feedback, "完成(补充)");
}

TEST_F(DirectiveTest, BadInputNamesTheField) {
  Caller cli = cli_caller("t");
  auto expect = [&](SendDirective d, const std::string& field) {
    auto r = send_directive(*store_, cli, d);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.status().code(), Status::Code::invalid_argument) << field;
    EXPECT_EQ(r.status().message().rfind(field + ":", 0), 0u) << r.status().message();
  };
  auto d = req();
  d.title = "  ";
  expect(d, "title");
  d = req();
  d.to = {"A01", "ZZ9"};
  expect(d, "to");
  d = req();
  d.to = {};
  expect(d, "to");
  d = req();
  d.deadline = "明天下午";
  expect(d, "deadline");
  d = req();
  d.deadline = "2022-03-10 09:00";  // before kT0 (10:00 local)
  expect(d, "deadline");
  d = req();
  d.priority = "very";
  expect(d, "priority");
  // Nothing was stored half-way.
  EXPECT_TRUE(store_->directives().list_all(0)->empty());

  int64_t id = send();
  EXPECT_EQ(act(cli, id, "A01", DirectiveAction::acknowledge, "ok").code(),
            Status::Code::invalid_argument);
  ASSERT_TRUE(act(cli, id, "A01", DirectiveAction::acknowledge).ok());
  auto empty = act(cli, id, "A01", DirectiveAction::done, " ");
  EXPECT_EQ(empty.message().rfind("feedback:", 0), 0u);
  ASSERT_TRUE(act(cli, id, "A01", DirectiveAction::done, "完成").ok());
  EXPECT_EQ(act(cli, id, "A01", DirectiveAction::send_back, "").message().rfind("reason:", 0), 0u);
  EXPECT_EQ(act(cli, id, "ZZ9", DirectiveAction::acknowledge).code(), Status::Code::not_found);
  EXPECT_EQ(act(cli, 999, "A01", DirectiveAction::acknowledge).code(), Status::Code::not_found);
}

TEST_F(DirectiveTest, AnInstitutionSeesAndActsOnItsOwnRowOnly) {
  int64_t id = send();
  int64_t only_b = *send_directive(*store_, cli_caller("t"), req({"B02"}));
  Caller a01 = school(inst_["A01"]);
  auto v = show(id, a01);
  ASSERT_EQ(v.recipients.size(), 1u);
  EXPECT_EQ(v.recipients[0].institution_code, "A01");
  for (const auto& e : v.history) EXPECT_EQ(e.recipient_id, v.recipients[0].row.id);
  EXPECT_EQ(show_directive(*store_, a01, only_b, kT0).status().code(), Status::Code::not_found);
  EXPECT_EQ(act(a01, id, "B02", DirectiveAction::acknowledge).code(), Status::Code::not_found);
  EXPECT_EQ(act(a01, only_b, "B02", DirectiveAction::acknowledge).code(), Status::Code::not_found);
  auto inbox = list_directives(*store_, a01, "", kT0);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ((*inbox)[0].directive.id, id);
  EXPECT_EQ(list_directives(*store_, a01, "B02", kT0).status().code(), Status::Code::not_found);
  EXPECT_EQ(list_directives(*store_, cli_caller("t"), "", kT0)->size(), 2u);
  // An institution may not send, accept or return; another group may not accept.
  EXPECT_EQ(send_directive(*store_, a01, req()).status().code(), Status::Code::permission_denied);
  ASSERT_TRUE(act(a01, id, "A01", DirectiveAction::acknowledge).ok());
  ASSERT_TRUE(act(a01, id, "A01", DirectiveAction::done, "完成").ok());
  EXPECT_EQ(act(a01, id, "A01", DirectiveAction::accept).code(), Status::Code::permission_denied);
  EXPECT_EQ(act(group("教学保障", "wang"), id, "A01", DirectiveAction::accept).code(),
            Status::Code::permission_denied);  // sent by command
  Caller viewer;
  viewer.role = Role::viewer;
  viewer.all_institutions = true;
  viewer.permissions = permissions_of(Role::viewer, "");
  EXPECT_EQ(list_directives(*store_, viewer).status().code(), Status::Code::permission_denied);
}

TEST_F(DirectiveTest, OverdueEscalatesOnceToTheSendersLead) {
  int64_t by_group = send(group("人员管控", "zhang"));
  int64_t by_command = send();
  Caller cli = cli_caller("t");
  // The group's lead, from the organisation, is whom its overdue rows go to.
  MemberInput lead;
  lead.group = "人员管控";
  lead.name = "张伟";
  lead.lead = true;
  ASSERT_TRUE(put_org_member(*store_, cli, lead).ok());
  ASSERT_TRUE(act(cli, by_group, "A01", DirectiveAction::acknowledge).ok());
  ASSERT_TRUE(act(cli, by_group, "A01", DirectiveAction::done, "完成").ok());
  // Before the deadline (18:00 local = 10:00Z) nothing is overdue.
  EXPECT_EQ(*escalate_overdue(*store_, cli, "2022-03-10T09:59:59Z"), 0);
  EXPECT_EQ(show(by_group, cli, "2022-03-10T09:59:59Z").summary.overdue, 0);
  const std::string late = "2022-03-10T10:30:00Z";
  EXPECT_EQ(*escalate_overdue(*store_, cli, late), 3);  // B02 of one, both of the other
  EXPECT_EQ(*escalate_overdue(*store_, cli, late), 0);  // idempotent
  EXPECT_EQ(*escalate_overdue(*store_, cli, "2022-03-11T00:00:00Z"), 0);
  auto g = show(by_group, cli, late);
  EXPECT_FALSE(row(g, "A01").overdue);  // done in time
  EXPECT_EQ(row(g, "A01").row.escalated_at, "");
  EXPECT_TRUE(row(g, "B02").overdue);
  EXPECT_EQ(row(g, "B02").row.escalated_at, late);
  EXPECT_EQ(row(g, "B02").row.escalated_to, "人员管控组长 张伟");
  EXPECT_EQ(g.summary.overdue, 1);
  EXPECT_EQ(g.summary.escalated, 1);
  EXPECT_EQ(row(show(by_command, cli, late), "A01").row.escalated_to, "指挥部 (command)");
  int escalations = 0;
  auto feed = store_->changes_after(0, 1000);
  for (const auto& c : *feed) escalations += c.kind == "directive.escalated";
  EXPECT_EQ(escalations, 3);
  // Doing it late still records it; the flag stays as history.
  ASSERT_TRUE(act(cli, by_group, "B02", DirectiveAction::acknowledge, "", late).ok());
  EXPECT_TRUE(row(show(by_group, cli, late), "B02").overdue);  // acknowledged is not done
  ASSERT_TRUE(act(cli, by_group, "B02", DirectiveAction::done, "补做完成", late).ok());
  auto after = show(by_group, cli, late);
  EXPECT_FALSE(row(after, "B02").overdue);
  EXPECT_EQ(row(after, "B02").row.escalated_at, late);
}

// The hand-checked district: A01 has 7 people, B02 has 3. Sampling 学生01–04
// and all of B02 leaves 学生05–07 of A01 missing.
TEST_F(DirectiveTest, MissedListBecomesOneDirectivePerInstitution) {
  CreateRound r;
  r.name = "第1轮";
  r.date = "2022-03-10";
  r.pool_size = 5;
  auto round = create_round(*store_, r);
  ASSERT_TRUE(round.ok());
  std::string sampling = "采样管码,证件号码,姓名,采样点,采样时间\n";
  std::istringstream src(testing::read_file(rounds_data("sampling.csv")));
  std::string line;
  std::getline(src, line);
  while (std::getline(src, line))
    if (line.find("学生05") == std::string::npos && line.find("学生06") == std::string::npos)
      sampling += line + "\n";
  sampling += "T3,220102200801011013,学生10,实小门口,2022-03-10 09:02\n";
  testing::write_file(dir_.file("s.csv"), sampling);
  auto imported = import_sampling(*store_, vault_, *round, dir_.file("s.csv"));
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  ASSERT_TRUE(imported->rejected.empty()) << imported->rejected[0].reason;

  FromMissed req;
  req.round_id = *round;
  req.deadline = "2022-03-10 20:00";
  req.now = kT0;
  auto ids = directives_from_missed(*store_, group("人员管控", "zhang"), req);
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  ASSERT_EQ(ids->size(), 1u);  // B02 has nobody missing
  auto v = show((*ids)[0]);
  EXPECT_EQ(v.directive.source, "round_missed");
  EXPECT_EQ(v.directive.source_id, *round);
  EXPECT_EQ(v.directive.priority, "urgent");
  ASSERT_EQ(v.recipients.size(), 1u);
  EXPECT_EQ(v.recipients[0].institution_code, "A01");
  std::set<std::string> names;
  for (int64_t p : v.recipients[0].row.people) names.insert(store_->get_person(p)->name);
  EXPECT_EQ(names, (std::set<std::string>{"学生05", "学生06", "学生07"}));

  // Acknowledged and completed with times; an unknown round is NotFound.
  Caller a01 = school(inst_["A01"]);
  ASSERT_TRUE(
      act(a01, (*ids)[0], "A01", DirectiveAction::acknowledge, "", "2022-03-10T02:20:00Z").ok());
  ASSERT_TRUE(
      act(a01, (*ids)[0], "A01", DirectiveAction::done, "3 人已补检", "2022-03-10T03:00:00Z").ok());
  auto after = show((*ids)[0]);
  EXPECT_DOUBLE_EQ(*after.summary.median_minutes_to_ack, 20);
  EXPECT_DOUBLE_EQ(*after.summary.median_minutes_to_done, 60);
  req.round_id = 999;
  EXPECT_EQ(directives_from_missed(*store_, cli_caller("t"), req).status().code(),
            Status::Code::not_found);
}

// A generated district: the people each directive lists are exactly the
// roster's people absent from the generated sampling file, institution by
// institution (worked out from the files, not from the board).
TEST(DirectiveGenerated, EachDirectiveListsExactlyItsInstitutionsUnsampledPeople) {
  TempDir dir;
  Vault vault = Vault::for_testing(6);
  sim::DistrictShape shape;
  shape.people = 800;
  shape.institutions = 8;
  shape.colleges = 1;
  ASSERT_TRUE(sim::write_district(shape, dir.path().string(), false, false).ok());
  sim::TestRoundOptions opt;
  opt.missed_rate = 0.03;
  opt.late_rate = 0;
  auto summary = sim::write_test_round(dir.file("roster.csv"), dir.path().string(), opt);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  ASSERT_GT(summary->missed, 5);
  auto st = store::open_store(dir.file("fx.db"), vault);
  ASSERT_TRUE(st.ok());
  auto& store = **st;
  ASSERT_TRUE(import_institutions(store, dir.file("institutions.csv")).ok());
  ASSERT_TRUE(import_roster(store, vault, dir.file("roster.csv")).ok());
  CreateRound r;
  r.name = "第2轮";
  r.date = "2022-03-10";
  r.pool_size = 10;
  auto round = create_round(store, r);
  ASSERT_TRUE(round.ok());
  auto s = import_sampling(store, vault, *round, dir.file("sampling.csv"));
  ASSERT_TRUE(s.ok()) << s.status().message();

  // Expected from the files: roster rows whose ID number was never sampled.
  auto split = [](const std::string& l) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(l);
    while (std::getline(in, cell, ',')) out.push_back(cell);
    return out;
  };
  auto strip_bom = [](std::string t) { return t.rfind("\xEF\xBB\xBF", 0) == 0 ? t.substr(3) : t; };
  std::set<std::string> sampled;
  {
    std::istringstream in(strip_bom(testing::read_file(dir.file("sampling.csv"))));
    std::string line;
    std::getline(in, line);
    auto head = split(line);
    size_t col = std::find(head.begin(), head.end(), "证件号码") - head.begin();
    while (std::getline(in, line)) {
      auto cells = split(line);
      if (col < cells.size()) sampled.insert(cells[col]);
    }
  }
  std::map<std::string, std::set<int64_t>> expected;
  {
    std::istringstream in(strip_bom(testing::read_file(dir.file("roster.csv"))));
    std::string line;
    std::getline(in, line);
    auto head = split(line);
    auto at = [&](const char* name) {
      return static_cast<size_t>(std::find(head.begin(), head.end(), name) - head.begin());
    };
    size_t code = at("学校代码"), idn = at("证件号码"), kind = at("证件类型");
    while (std::getline(in, line)) {
      auto cells = split(line);
      if (sampled.count(cells[idn])) continue;
      domain::IdKind k;
      ASSERT_TRUE(domain::parse_id_kind(cells[kind], k));
      auto ids = store.find_people_by_id_number(k, cells[idn]);
      ASSERT_TRUE(ids.ok() && ids->size() == 1u) << cells[idn];
      expected[cells[code]].insert(ids->front());
    }
  }
  ASSERT_FALSE(expected.empty());

  FromMissed req;
  req.round_id = *round;
  auto ids = directives_from_missed(store, cli_caller("t"), req);
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  EXPECT_EQ(ids->size(), expected.size());
  std::map<std::string, std::set<int64_t>> got;
  for (int64_t id : *ids) {
    auto v = show_directive(store, cli_caller("t"), id);
    ASSERT_TRUE(v.ok());
    ASSERT_EQ(v->recipients.size(), 1u);
    const auto& rv = v->recipients[0];
    EXPECT_TRUE(got.emplace(rv.institution_code,
                            std::set<int64_t>(rv.row.people.begin(), rv.row.people.end()))
                    .second);
    EXPECT_EQ(rv.row.people.size(), got[rv.institution_code].size());  // no duplicates
  }
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace fx::app

namespace fx::app {
namespace {

// Time to acknowledge and to complete per directive and per institution,
// each institution seeing only its own, and the three exports.
TEST_F(DirectiveTest, TimingStatsPerDirectiveAndInstitution) {
  int64_t first = send(), second = send();
  Caller cli = cli_caller("t");
  // A01 acknowledges the first after 10 min and the second after 30; does the first after 120.
  ASSERT_TRUE(
      act(cli, first, "A01", DirectiveAction::acknowledge, "", "2022-03-10T02:10:00Z").ok());
  ASSERT_TRUE(
      act(cli, second, "A01", DirectiveAction::acknowledge, "", "2022-03-10T02:30:00Z").ok());
  ASSERT_TRUE(act(cli, first, "A01", DirectiveAction::done, "完成", "2022-03-10T04:00:00Z").ok());
  // B02 acknowledges the first after 60 min only.
  ASSERT_TRUE(
      act(cli, first, "B02", DirectiveAction::acknowledge, "", "2022-03-10T03:00:00Z").ok());

  auto s = directive_stats(*store_, cli, "2022-03-10T05:00:00Z");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->total.recipients, 4);
  EXPECT_EQ(s->total.acknowledged, 3);
  EXPECT_EQ(s->total.done, 1);
  EXPECT_DOUBLE_EQ(*s->total.median_minutes_to_ack, 30);  // 10, 30, 60
  ASSERT_EQ(s->institutions.size(), 2u);
  const auto& a01 = s->institutions[0];
  EXPECT_EQ(a01.code, "A01");
  EXPECT_EQ(a01.summary.recipients, 2);
  EXPECT_DOUBLE_EQ(*a01.summary.median_minutes_to_ack, 20);  // 10 and 30
  EXPECT_DOUBLE_EQ(*a01.mean_minutes_to_ack, 20);
  EXPECT_DOUBLE_EQ(*a01.summary.median_minutes_to_done, 120);
  const auto& b02 = s->institutions[1];
  EXPECT_DOUBLE_EQ(*b02.summary.median_minutes_to_ack, 60);
  EXPECT_FALSE(b02.summary.median_minutes_to_done);
  ASSERT_EQ(s->directives.size(), 2u);
  EXPECT_EQ(s->directives[1].directive.id, first);
  EXPECT_DOUBLE_EQ(*s->directives[1].summary.median_minutes_to_ack, 35);      // 10 and 60
  const boost::json::value j = boost::json::parse(directive_stats_json(*s));  // kept: a local
  EXPECT_DOUBLE_EQ(j.at("total").at("median_minutes_to_ack").to_number<double>(), 30);
  EXPECT_EQ(j.at("institutions").as_array().size(), 2u);

  // An institution admin's figures are its own rows only.
  auto own = directive_stats(*store_, school(inst_["B02"]), "2022-03-10T05:00:00Z");
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->institutions.size(), 1u);
  EXPECT_EQ(own->institutions[0].code, "B02");
  EXPECT_EQ(own->total.recipients, 2);

  // The exports: the list, one directive's recipients, the per-institution table.
  const std::string list = dir_.file("list.xlsx"), rec = dir_.file("rec.xlsx"),
                    per = dir_.file("per.xlsx");
  ASSERT_TRUE(export_directive_list(s->directives, list).ok());
  ASSERT_TRUE(export_directive_recipients(show(first), rec).ok());
  ASSERT_TRUE(export_directive_stats(*s, per).ok());
  auto cells = [](const std::string& path) {
    auto t = ingest::open_table(path);
    EXPECT_TRUE(t.ok()) << t.status().message();
    std::string all;
    ingest::Row row;
    if (t.ok())
      while ((*t)->next(row))
        for (const auto& cell : row.cells) all += cell.text + "|";
    return all;
  };
  EXPECT_NE(cells(list).find("落实全员核酸检测|紧急|指挥部|"), std::string::npos) << cells(list);
  EXPECT_NE(cells(rec).find("A01|净月一中|学校|已办结|"), std::string::npos) << cells(rec);
  EXPECT_NE(cells(per).find("A01|净月一中|学校|2|2|1|0|0|0|20.0|120.0|20.0|120.0|"),
            std::string::npos)
      << cells(per);
}

}  // namespace
}  // namespace fx::app

namespace fx::app {
namespace {

// Attachments: the sender's side on the directive, an institution on its own
// feedback, a size limit, and scope: B02 cannot read A01's feedback files.
TEST_F(DirectiveTest, AttachmentsWithSizeLimitAndScope) {
  int64_t id = send();
  Caller cli = cli_caller("t");
  Caller a01 = school(inst_["A01"]), b02 = school(inst_["B02"]);
  Upload notice{"C:\\通知\\防控通知.pdf", "application/pdf", "abc", "2022-03-10T02:01:00Z"};
  auto on_directive = attach_to_directive(*store_, cli, id, notice);
  ASSERT_TRUE(on_directive.ok()) << on_directive.status().message();
  // Only the sender's side attaches to the directive itself.
  EXPECT_EQ(attach_to_directive(*store_, group("教学保障", "wang"), id, notice).status().code(),
            Status::Code::permission_denied);
  EXPECT_EQ(attach_to_directive(*store_, a01, id, notice).status().code(),
            Status::Code::permission_denied);
  // Bad files: empty, no name, over the limit.
  EXPECT_EQ(attach_to_directive(*store_, cli, id, {"a.txt", "", "", ""}).status().code(),
            Status::Code::invalid_argument);
  EXPECT_EQ(attach_to_directive(*store_, cli, id, {"", "", "x", ""}).status().code(),
            Status::Code::invalid_argument);
  Upload big{"big.bin", "", std::string(kMaxAttachmentBytes + 1, 'x'), ""};
  EXPECT_EQ(attach_to_directive(*store_, cli, id, big).status().code(), Status::Code::too_large);

  // Feedback files: after acknowledging, before acceptance.
  Upload evidence{"采样照片.jpg", "image/jpeg", "\xff\xd8 jpeg bytes", "2022-03-10T03:00:00Z"};
  EXPECT_EQ(attach_to_feedback(*store_, a01, id, "A01", evidence).status().code(),
            Status::Code::conflict);
  ASSERT_TRUE(act(a01, id, "A01", DirectiveAction::acknowledge).ok());
  auto fb = attach_to_feedback(*store_, a01, id, "A01", evidence);
  ASSERT_TRUE(fb.ok()) << fb.status().message();
  EXPECT_EQ(attach_to_feedback(*store_, b02, id, "A01", evidence).status().code(),
            Status::Code::not_found);  // not B02's row

  // What each side sees.
  auto mine = list_directive_files(*store_, a01, id);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].name, "防控通知.pdf") << "folders stripped";
  EXPECT_EQ((*mine)[0].sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // sha256("abc")
  EXPECT_EQ((*mine)[0].size, 3);
  EXPECT_EQ((*mine)[1].recipient_id, row(show(id), "A01").row.id);
  auto theirs = list_directive_files(*store_, b02, id);
  ASSERT_EQ(theirs->size(), 1u) << "B02 sees the directive's file, not A01's evidence";
  EXPECT_EQ(read_directive_file(*store_, b02, id, *fb).status().code(), Status::Code::not_found);
  auto back = read_directive_file(*store_, cli, id, *fb);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->data, "\xff\xd8 jpeg bytes");
  EXPECT_EQ(back->content_type, "image/jpeg");
  EXPECT_EQ(read_directive_file(*store_, a01, id, *on_directive)->data, "abc");
  store::AuditQuery q;
  auto audit = store_->accounts().list_audit(q);
  int reads = 0;
  for (const auto& e : *audit) reads += e.action == "directive.file.read";
  EXPECT_EQ(reads, 2);

  // Once accepted, no more evidence.
  ASSERT_TRUE(act(a01, id, "A01", DirectiveAction::done, "完成").ok());
  ASSERT_TRUE(act(cli, id, "A01", DirectiveAction::accept).ok());
  EXPECT_EQ(attach_to_feedback(*store_, a01, id, "A01", evidence).status().code(),
            Status::Code::conflict);
  int file_changes = 0;
  auto feed = store_->changes_after(0, 1000);
  for (const auto& c : *feed) file_changes += c.kind == "directive.file";
  EXPECT_EQ(file_changes, 2);
}

}  // namespace
}  // namespace fx::app
