// The organisation against a real SQLite file: groups seeded, members and
// leads edited by command only, liaisons on colleges only, phones sealed and
// masked, bad input refused whole, the lists exported, and escalation to the
// lead's name and account.
#include "app/org.h"

#include <gtest/gtest.h>

#include "../../tests/test_support.h"
#include "app/directives.h"
#include "ingest/table.h"

namespace fx::app {
namespace {

using fx::testing::TempDir;

// Every cell of a written table, row after row, each followed by "|".
std::string cells_of(const std::string& path) {
  auto t = ingest::open_table(path);
  EXPECT_TRUE(t.ok()) << t.status().message();
  if (!t.ok()) return "";
  std::string all;
  ingest::Row row;
  while ((*t)->next(row))
    for (const auto& cell : row.cells) all += cell.text + "|";
  EXPECT_TRUE((*t)->status().ok()) << (*t)->status().message();
  return all;
}

class OrgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_store(dir_.file("fx.db"), vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    {  // the write lock is held until the transaction is destroyed
      auto tx = store_->begin();
      ASSERT_TRUE(tx.ok());
      domain::Institution c;
      c.code = "C01";
      c.name = "长春职业技术学院";
      c.kind = domain::InstitutionKind::college;
      college_ = *(*tx)->insert_institution(c);
      domain::Institution m;
      m.code = "M01";
      m.name = "净月一中";
      m.kind = domain::InstitutionKind::middle;
      (void)*(*tx)->insert_institution(m);
      ASSERT_TRUE((*tx)->commit().ok());
    }
    store::UserRecord u;
    u.username = "zhangwei";
    u.display_name = "张伟";
    u.role = "group";
    u.task_group = "人员管控";
    u.password_hash = "x";
    u.created_at = u.updated_at = "2022-03-10T00:00:00Z";
    ASSERT_TRUE(store_->accounts().insert_user(u).ok());
  }

  MemberInput member(const std::string& group, const std::string& name, bool lead = false) {
    MemberInput m;
    m.group = group;
    m.name = name;
    m.lead = lead;
    return m;
  }

  Caller school() {
    Caller c;
    c.username = "school";
    c.role = Role::institution;
    c.institutions = {college_};
    c.permissions = permissions_of(Role::institution, "");
    return c;
  }

  TempDir dir_;
  Vault vault_ = Vault::for_testing(9);
  std::unique_ptr<store::Store> store_;
  int64_t college_ = 0;
  Caller cli_ = cli_caller("test");
};

TEST_F(OrgTest, CommandEditsGroupsLeadsAndLiaisons) {
  MemberInput lead = member("人员管控", "张伟", true);
  lead.phone = "138-1234-5678";
  lead.username = "zhangwei";
  auto id = put_org_member(*store_, cli_, lead);
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_TRUE(put_org_member(*store_, cli_, member("人员管控", "李娜")).ok());
  LiaisonInput l{"C01", "赵敏", "13900001111", ""};
  ASSERT_TRUE(put_org_liaison(*store_, cli_, l).ok());

  auto v = show_org(*store_, school());  // an institution admin reads it (whom to call)
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_EQ(v->groups.size(), 6u);
  ASSERT_EQ(v->members.size(), 2u);
  EXPECT_EQ(v->members[0].member.name, "张伟");
  EXPECT_EQ(v->members[0].member.title, "组长");
  EXPECT_EQ(v->members[0].member.phone_masked, "138****5678");
  EXPECT_EQ(v->members[0].username, "zhangwei");
  EXPECT_EQ(v->members[1].member.title, "成员");
  ASSERT_EQ(v->liaisons.size(), 1u);
  EXPECT_EQ(v->liaisons[0].institution_code, "C01");
  const std::string j = org_json(*v);
  EXPECT_NE(j.find("\"lead\":\"张伟\""), std::string::npos) << j;
  EXPECT_EQ(j.find("13812345678"), std::string::npos) << "never the phone in full";
  EXPECT_EQ(j.find("13900001111"), std::string::npos);
  EXPECT_NE(org_text(*v).find("赵敏"), std::string::npos);

  // Editing is audited, with no phone in the detail.
  store::AuditQuery q;
  auto audit = store_->accounts().list_audit(q);
  ASSERT_TRUE(audit.ok());
  int org_entries = 0;
  for (const auto& e : *audit)
    if (e.action.starts_with("org.")) {
      ++org_entries;
      EXPECT_EQ(e.detail.find("1381234"), std::string::npos);
    }
  EXPECT_EQ(org_entries, 3);

  // The lead moves to 李娜 when she is named lead.
  MemberInput li = member("人员管控", "李娜", true);
  li.id = v->members[1].member.id;
  ASSERT_TRUE(put_org_member(*store_, cli_, li).ok());
  auto lead_now = group_lead(*store_, "人员管控");
  ASSERT_TRUE(lead_now.ok() && *lead_now);
  EXPECT_EQ((*lead_now)->name, "李娜");
  EXPECT_FALSE(*group_lead(*store_, "物资保障"));
  ASSERT_TRUE(remove_org_member(*store_, cli_, *id).ok());
  EXPECT_EQ(remove_org_member(*store_, cli_, *id).code(), Status::Code::not_found);
  ASSERT_TRUE(remove_org_liaison(*store_, cli_, "C01").ok());
  EXPECT_TRUE(show_org(*store_, cli_)->liaisons.empty());
}

TEST_F(OrgTest, OnlyOrgManageEditsAndViewersDoNotRead) {
  EXPECT_EQ(put_org_member(*store_, school(), member("人员管控", "某人")).status().code(),
            Status::Code::permission_denied);
  Caller dispatch;
  dispatch.role = Role::group;
  dispatch.task_group = "综合调度";
  dispatch.all_institutions = true;
  dispatch.permissions = permissions_of(Role::group, "综合调度");
  EXPECT_EQ(put_org_liaison(*store_, dispatch, {"C01", "某人", "", ""}).status().code(),
            Status::Code::permission_denied);
  EXPECT_TRUE(show_org(*store_, dispatch).ok());
  Caller viewer;
  viewer.role = Role::viewer;
  viewer.permissions = permissions_of(Role::viewer, "");
  EXPECT_EQ(show_org(*store_, viewer).status().code(), Status::Code::permission_denied);
  EXPECT_TRUE(cli_.can(Permission::org_manage));
  EXPECT_STREQ(permission_name(Permission::org_manage), "org.manage");
}

TEST_F(OrgTest, BadInputIsRefusedWholeAndNamesTheField) {
  auto expect_invalid = [&](const Result<int64_t>& r, const std::string& field) {
    EXPECT_EQ(r.status().code(), Status::Code::invalid_argument) << r.status().message();
    EXPECT_TRUE(r.status().message().starts_with(field)) << r.status().message();
  };
  expect_invalid(put_org_member(*store_, cli_, member("后勤", "某人")), "group");
  expect_invalid(put_org_member(*store_, cli_, member("人员管控", "")), "name");
  MemberInput bad_phone = member("人员管控", "某人");
  bad_phone.phone = "12345";
  expect_invalid(put_org_member(*store_, cli_, bad_phone), "phone");
  MemberInput no_user = member("人员管控", "某人");
  no_user.username = "nobody";
  expect_invalid(put_org_member(*store_, cli_, no_user), "user");
  expect_invalid(put_org_liaison(*store_, cli_, {"M01", "某人", "", ""}), "institution");
  expect_invalid(put_org_liaison(*store_, cli_, {"X99", "某人", "", ""}), "institution");
  auto v = show_org(*store_, cli_);
  EXPECT_TRUE(v->members.empty());
  EXPECT_TRUE(v->liaisons.empty());
}

TEST_F(OrgTest, ListsExportToXlsx) {
  ASSERT_TRUE(put_org_member(*store_, cli_, member("教学保障", "王芳", true)).ok());
  ASSERT_TRUE(put_org_liaison(*store_, cli_, {"C01", "赵敏", "13900001111", ""}).ok());
  auto v = show_org(*store_, cli_);
  const std::string members = dir_.file("members.xlsx"), liaisons = dir_.file("liaisons.xlsx");
  ASSERT_TRUE(export_org_members(*v, members).ok());
  ASSERT_TRUE(export_org_liaisons(*v, liaisons).ok());
  std::string all = cells_of(members);
  EXPECT_NE(all.find("教学保障|组长|王芳|"), std::string::npos) << all;
  all = cells_of(liaisons);
  EXPECT_NE(all.find("C01|长春职业技术学院|赵敏|139****1111|"), std::string::npos) << all;
}

TEST_F(OrgTest, OverdueEscalatesToTheLeadsNameAndAccount) {
  Caller group;
  group.username = "zhangwei";
  group.role = Role::group;
  group.task_group = "人员管控";
  group.all_institutions = true;
  group.permissions = permissions_of(Role::group, "人员管控");
  SendDirective d;
  d.title = "排查";
  d.deadline = "2022-03-10 18:00";
  d.to = {"C01"};
  d.now = "2022-03-10T02:00:00Z";
  auto id = send_directive(*store_, group, d);
  ASSERT_TRUE(id.ok()) << id.status().message();
  // No lead named yet: the group's role name, saying so.
  ASSERT_EQ(*escalate_overdue(*store_, cli_, "2022-03-10T11:00:00Z"), 1);
  auto v = show_directive(*store_, cli_, *id, "2022-03-10T11:00:00Z");
  EXPECT_EQ(v->recipients[0].row.escalated_to, "人员管控组长 (group lead, none named)");

  MemberInput lead = member("人员管控", "张伟", true);
  lead.username = "zhangwei";
  ASSERT_TRUE(put_org_member(*store_, cli_, lead).ok());
  auto second = send_directive(*store_, group, d);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(*escalate_overdue(*store_, cli_, "2022-03-10T11:00:00Z"), 1);
  v = show_directive(*store_, cli_, *second, "2022-03-10T11:00:00Z");
  EXPECT_EQ(v->recipients[0].row.escalated_to, "人员管控组长 张伟 @zhangwei");
}

}  // namespace
}  // namespace fx::app
