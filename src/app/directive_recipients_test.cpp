// Directives to task groups and liaisons (issue 6): each such recipient has
// its own row and clocks; only the group's people, the liaison's own account
// and command act for it; the sender's group sees it to accept or return;
// an unknown group or liaison is refused naming it, with nothing stored.
#include "app/directive_recipients.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <tuple>

#include "../../tests/test_support.h"
#include "app/directive_files.h"
#include "app/directive_reports.h"
#include "app/directives.h"
#include "app/org.h"
#include "ingest/table.h"

namespace fx::app {
namespace {

using domain::DirectiveAction;
using fx::testing::TempDir;

constexpr const char* kT0 = "2022-03-10T02:00:00Z";

class RecipientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_store(dir_.file("fx.db"), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    {  // the write lock is held until the transaction is destroyed
      auto tx = store_->begin();
      ASSERT_TRUE(tx.ok());
      for (auto [code, name, kind] :
           {std::tuple{"A01", "净月一中", domain::InstitutionKind::middle},
            std::tuple{"C01", "长春职业技术学院", domain::InstitutionKind::college},
            std::tuple{"C02", "净月职业学院", domain::InstitutionKind::college}}) {
        domain::Institution i;
        i.code = code;
        i.name = name;
        i.kind = kind;
        inst_[code] = *(*tx)->insert_institution(i);
      }
      ASSERT_TRUE((*tx)->commit().ok());
    }
    zhang_ = user("zhang", Role::group, "人员管控");
    wang_ = user("wang", Role::group, "教学保障");
    liu_ = user("liu", Role::liaison, "", {inst_["C01"]});
    sun_ = user("sun", Role::institution, "", {inst_["A01"]});
    // 赵敏 liaises for C01 with the account liu; C02's liaison has no account.
    ASSERT_TRUE(put_org_liaison(*store_, cli_, {"C01", "刘洋", "", "liu"}).ok());
    ASSERT_TRUE(put_org_liaison(*store_, cli_, {"C02", "赵敏", "", ""}).ok());
    // sun, an institution admin, is also a member of 物资保障.
    MemberInput m;
    m.group = "物资保障";
    m.name = "孙丽";
    m.username = "sun";
    ASSERT_TRUE(put_org_member(*store_, cli_, m).ok());
  }

  Caller user(const std::string& name, Role role, const std::string& group,
              std::vector<int64_t> insts = {}) {
    store::UserRecord u;
    u.username = name;
    u.display_name = name;
    u.role = role_code(role);
    u.task_group = group;
    u.password_hash = "x";
    u.created_at = u.updated_at = kT0;
    auto id = store_->accounts().insert_user(u);
    EXPECT_TRUE(id.ok()) << id.status().message();
    Caller c;
    c.user_id = id.ok() ? *id : 0;
    c.username = name;
    c.role = role;
    c.task_group = group;
    c.all_institutions = role == Role::group;
    c.institutions = std::move(insts);
    c.permissions = permissions_of(role, group);
    return c;
  }

  Result<int64_t> send(const Caller& by, std::vector<std::string> to,
                       const std::string& deadline = "2022-03-10 18:00") {
    SendDirective d;
    d.title = "统筹调配防疫物资";
    d.deadline = deadline;
    d.to = std::move(to);
    d.now = kT0;
    return send_directive(*store_, by, d);
  }
  Status act(const Caller& c, int64_t id, const std::string& key, DirectiveAction a,
             const std::string& text = "", const std::string& at = "2022-03-10T02:30:00Z") {
    return act_on_directive(*store_, c, id, key, a, text, at);
  }
  std::vector<std::string> keys(const Caller& c, int64_t id,
                                const std::string& now = "2022-03-10T03:00:00Z") {
    auto v = show_directive(*store_, c, id, now);
    std::vector<std::string> out;
    if (v.ok())
      for (const auto& r : v->recipients) out.push_back(r.key);
    return out;
  }
  const RecipientView* row(const DirectiveView& v, const std::string& key) {
    for (const auto& r : v.recipients)
      if (r.key == key) return &r;
    ADD_FAILURE() << "no row " << key;
    return nullptr;
  }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(11);
  std::unique_ptr<store::Store> store_;
  std::map<std::string, int64_t> inst_;
  Caller cli_ = cli_caller("test");
  Caller zhang_, wang_, liu_, sun_;
};

TEST_F(RecipientTest, OneRowPerInstitutionGroupAndLiaisonWithKeysAndNames) {
  auto id = send(cli_, {"A01", "group:人员管控", "liaison:liu", "liaison:C01"});
  ASSERT_TRUE(id.ok()) << id.status().message();
  auto v = show_directive(*store_, cli_, *id, kT0);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->recipients.size(), 3u) << "liaison:C01 is liu: sent once";
  const auto* g = row(*v, "group:人员管控");
  const auto* l = row(*v, "liaison:liu");
  ASSERT_TRUE(g && l);
  EXPECT_EQ(g->row.kind, "group");
  EXPECT_EQ(g->name, "人员管控组");
  EXPECT_EQ(g->institution_code, "");
  EXPECT_EQ(l->row.kind, "liaison");
  EXPECT_EQ(l->row.user_id, liu_.user_id);
  EXPECT_EQ(l->name, "刘洋 (联络员)");
  EXPECT_EQ(row(*v, "A01")->row.kind, "institution");
  const std::string j = directive_json(*v);
  EXPECT_NE(j.find("\"key\":\"group:人员管控\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"kind\":\"liaison\""), std::string::npos) << j;
}

TEST_F(RecipientTest, OnlyTheGroupTheLiaisonAndCommandActForTheirRows) {
  auto id = send(cli_, {"A01", "group:人员管控", "group:物资保障", "liaison:liu"});
  ASSERT_TRUE(id.ok()) << id.status().message();
  // Opening marks one's own row read, no one else's.
  auto seen = show_directive(*store_, zhang_, *id, "2022-03-10T02:05:00Z");
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(row(*seen, "group:人员管控")->row.read_at, "2022-03-10T02:05:00Z");
  EXPECT_EQ(row(*seen, "A01")->row.state, "delivered") << "a group opening does not read A01's";
  // 人员管控 sees the institution (district-wide) and its own group row, not the others.
  EXPECT_EQ(keys(zhang_, *id), (std::vector<std::string>{"A01", "group:人员管控"}));
  EXPECT_EQ(keys(wang_, *id), (std::vector<std::string>{"A01"}));
  EXPECT_EQ(keys(liu_, *id), (std::vector<std::string>{"liaison:liu"}));
  // sun: an A01 admin linked as a 物资保障 member, acts for both.
  EXPECT_EQ(keys(sun_, *id), (std::vector<std::string>{"A01", "group:物资保障"}));
  EXPECT_EQ(keys(cli_, *id).size(), 4u);

  // Another group's or liaison's row is NotFound, as another institution's is.
  EXPECT_EQ(act(wang_, *id, "group:人员管控", DirectiveAction::acknowledge).code(),
            Status::Code::not_found);
  EXPECT_EQ(act(liu_, *id, "group:人员管控", DirectiveAction::acknowledge).code(),
            Status::Code::not_found);
  EXPECT_EQ(act(zhang_, *id, "liaison:liu", DirectiveAction::acknowledge).code(),
            Status::Code::not_found);
  EXPECT_EQ(act(liu_, *id, "A01", DirectiveAction::acknowledge).code(), Status::Code::not_found);

  // Each row keeps its own clocks.
  ASSERT_TRUE(
      act(zhang_, *id, "group:人员管控", DirectiveAction::acknowledge, "", "2022-03-10T02:10:00Z")
          .ok());
  ASSERT_TRUE(act(zhang_, *id, "group:人员管控", DirectiveAction::done, "已排查完毕",
                  "2022-03-10T03:00:00Z")
                  .ok());
  ASSERT_TRUE(
      act(liu_, *id, "liaison:liu", DirectiveAction::acknowledge, "", "2022-03-10T02:20:00Z").ok());
  ASSERT_TRUE(act(sun_, *id, "group:物资保障", DirectiveAction::acknowledge).ok());
  auto all = show_directive(*store_, cli_, *id, "2022-03-10T03:00:00Z");
  ASSERT_TRUE(all.ok());
  const auto* g = row(*all, "group:人员管控");
  EXPECT_EQ(g->row.state, "done");
  EXPECT_DOUBLE_EQ(*g->minutes_to_ack, 10);
  EXPECT_DOUBLE_EQ(*g->minutes_to_done, 60);
  EXPECT_EQ(g->row.feedback, "已排查完毕");
  EXPECT_DOUBLE_EQ(*row(*all, "liaison:liu")->minutes_to_ack, 20);
  EXPECT_EQ(all->summary.acknowledged, 3);

  // Command accepts the group's feedback; the group may not accept its own.
  EXPECT_EQ(act(zhang_, *id, "group:人员管控", DirectiveAction::accept).code(),
            Status::Code::permission_denied);
  ASSERT_TRUE(act(cli_, *id, "group:人员管控", DirectiveAction::accept).ok());

  // Inboxes: the liaison's is its one row; a recipient key filters.
  auto inbox = list_directives(*store_, liu_, "", kT0);
  ASSERT_TRUE(inbox.ok()) << inbox.status().message();
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ((*inbox)[0].recipients.size(), 1u);
  auto only = list_directives(*store_, cli_, "group:物资保障", kT0);
  ASSERT_TRUE(only.ok()) << only.status().message();
  ASSERT_EQ(only->size(), 1u);
  EXPECT_EQ((*only)[0].recipients.at(0).key, "group:物资保障");
  EXPECT_EQ(list_directives(*store_, wang_, "", kT0)->at(0).recipients.size(), 1u);
  EXPECT_EQ(list_directives(*store_, cli_, "group:后勤", kT0).status().code(),
            Status::Code::not_found);
}

TEST_F(RecipientTest, TheSendersGroupSeesAcceptsAndEscalatesToItsLead) {
  auto id = send(zhang_, {"group:教学保障", "liaison:liu"});
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(keys(zhang_, *id), (std::vector<std::string>{"group:教学保障", "liaison:liu"}));
  EXPECT_EQ(keys(wang_, *id), (std::vector<std::string>{"group:教学保障"}));
  // The sender sees but does not act for the recipient.
  EXPECT_EQ(act(zhang_, *id, "group:教学保障", DirectiveAction::acknowledge).code(),
            Status::Code::not_found);
  ASSERT_TRUE(act(wang_, *id, "group:教学保障", DirectiveAction::acknowledge).ok());
  ASSERT_TRUE(act(wang_, *id, "group:教学保障", DirectiveAction::done, "已安排").ok());
  // Another group does not see the liaison's row, even to accept.
  EXPECT_EQ(act(wang_, *id, "liaison:liu", DirectiveAction::accept).code(),
            Status::Code::not_found);
  ASSERT_TRUE(act(zhang_, *id, "group:教学保障", DirectiveAction::send_back, "缺名单").ok());

  // Feedback files: the liaison on its own row; wang cannot read them.
  ASSERT_TRUE(act(liu_, *id, "liaison:liu", DirectiveAction::acknowledge).ok());
  Upload u{"说明.txt", "text/plain", "已落实", "2022-03-10T02:40:00Z"};
  EXPECT_EQ(attach_to_feedback(*store_, wang_, *id, "liaison:liu", u).status().code(),
            Status::Code::not_found);
  auto f = attach_to_feedback(*store_, liu_, *id, "liaison:liu", u);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(read_directive_file(*store_, wang_, *id, *f).status().code(), Status::Code::not_found);
  EXPECT_TRUE(read_directive_file(*store_, zhang_, *id, *f).ok()) << "the sender's group";

  // Overdue: both open rows escalate to the sender group's lead.
  MemberInput lead;
  lead.group = "人员管控";
  lead.name = "张伟";
  lead.lead = true;
  lead.username = "zhang";
  ASSERT_TRUE(put_org_member(*store_, cli_, lead).ok());
  EXPECT_EQ(*escalate_overdue(*store_, cli_, "2022-03-10T10:30:00Z"), 2);
  auto v = show_directive(*store_, cli_, *id, "2022-03-10T10:30:00Z");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(row(*v, "liaison:liu")->row.escalated_to, "人员管控组长 张伟 @zhang");
  EXPECT_TRUE(row(*v, "group:教学保障")->overdue);
}

TEST_F(RecipientTest, UnknownGroupOrLiaisonIsRefusedNamingItNothingStored) {
  for (const std::string key :
       {"group:后勤保障", "liaison:nobody", "liaison:C02", "liaison:A01", "group:", "Z99"}) {
    auto r = send(cli_, {"A01", key});
    ASSERT_FALSE(r.ok()) << key;
    EXPECT_EQ(r.status().code(), Status::Code::invalid_argument) << key;
    EXPECT_EQ(r.status().message().rfind("to:", 0), 0u) << r.status().message();
    EXPECT_NE(r.status().message().find(key), std::string::npos) << r.status().message();
  }
  EXPECT_TRUE(store_->directives().list_all(0)->empty());
  EXPECT_TRUE(store_->directives().recipients({})->empty());
  auto no_account = send(cli_, {"liaison:C02"});
  EXPECT_NE(no_account.status().message().find("未关联账号"), std::string::npos);
  // An institution may still not send, to a group or anyone.
  EXPECT_EQ(send(sun_, {"group:人员管控"}).status().code(), Status::Code::permission_denied);
  auto id = send(cli_, {"A01"});
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(act(cli_, *id, "group:人员管控", DirectiveAction::acknowledge).code(),
            Status::Code::not_found)
      << "a group that is not a recipient of this one";
  EXPECT_EQ(act(cli_, *id, "liaison:ghost", DirectiveAction::acknowledge).code(),
            Status::Code::not_found);
}

TEST_F(RecipientTest, TimingStatsAndExportsPerRecipientKind) {
  auto id = send(cli_, {"A01", "group:人员管控", "liaison:liu"});
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(act(cli_, *id, "A01", DirectiveAction::acknowledge, "", "2022-03-10T02:10:00Z").ok());
  ASSERT_TRUE(
      act(zhang_, *id, "group:人员管控", DirectiveAction::acknowledge, "", "2022-03-10T02:40:00Z")
          .ok());
  ASSERT_TRUE(
      act(liu_, *id, "liaison:liu", DirectiveAction::acknowledge, "", "2022-03-10T03:00:00Z").ok());
  ASSERT_TRUE(
      act(liu_, *id, "liaison:liu", DirectiveAction::done, "好了", "2022-03-10T04:00:00Z").ok());
  auto s = directive_stats(*store_, cli_, "2022-03-10T05:00:00Z");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->total.recipients, 3);
  ASSERT_EQ(s->institutions.size(), 1u) << "the per-institution table stays institutions";
  EXPECT_EQ(s->institutions[0].code, "A01");
  ASSERT_EQ(s->others.size(), 2u);
  EXPECT_EQ(s->others[0].code, "group:人员管控");
  EXPECT_DOUBLE_EQ(*s->others[0].mean_minutes_to_ack, 40);
  EXPECT_EQ(s->others[1].code, "liaison:liu");
  EXPECT_DOUBLE_EQ(*s->others[1].summary.median_minutes_to_done, 120);
  EXPECT_EQ(s->by_kind.at("institution").recipients, 1);
  EXPECT_DOUBLE_EQ(*s->by_kind.at("group").median_minutes_to_ack, 40);
  EXPECT_EQ(s->by_kind.at("liaison").done, 1);
  const boost::json::value j = boost::json::parse(directive_stats_json(*s));  // kept: a local
  EXPECT_EQ(j.at("groups_and_liaisons").as_array().size(), 2u);
  EXPECT_EQ(j.at("by_kind").at("liaison").at("done").to_number<int>(), 1);

  // The liaison's own figures are its row only.
  auto own = directive_stats(*store_, liu_, "2022-03-10T05:00:00Z");
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->total.recipients, 1);
  EXPECT_TRUE(own->institutions.empty());

  const std::string rec = dir_.file("rec.xlsx"), per = dir_.file("per.xlsx");
  auto v = show_directive(*store_, cli_, *id, "2022-03-10T05:00:00Z");
  ASSERT_TRUE(export_directive_recipients(*v, rec).ok());
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
  EXPECT_NE(cells(rec).find("group:人员管控|人员管控组|工作组|已确认接收|"), std::string::npos)
      << cells(rec);
  EXPECT_NE(cells(per).find("liaison:liu|刘洋 (联络员)|联络员|1|1|1|0|0|0|60.0|120.0|"),
            std::string::npos)
      << cells(per);
  EXPECT_NE(cells(per).find("A01|净月一中|学校|1|1|0|"), std::string::npos) << cells(per);
}

}  // namespace
}  // namespace fx::app
