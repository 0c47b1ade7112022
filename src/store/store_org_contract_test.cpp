// The organisation part of the store's contract (task groups seeded by
// migration 7, members with one lead per group, a liaison per college), run
// on both backends like store_tracking_contract_test.cpp.
#include <gtest/gtest.h>

#include "store/store.h"
#include "tests/pg_test_support.h"
#include "tests/test_support.h"

namespace fx::store {
namespace {

class OrgContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto location = GetParam() == "sqlite" ? Result<std::string>(dir_.file("fx.db"))
                                           : fx::testing::pg_fresh_database();
    ASSERT_TRUE(location.ok()) << location.status().message();
    auto s = open_store(*location, vault_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto tx = store_->begin();
    ASSERT_TRUE(tx.ok()) << tx.status().message();
    for (const char* code : {"C01", "C02"}) {
      domain::Institution inst;
      inst.code = code;
      inst.name = std::string("学院") + code;
      inst.kind = domain::InstitutionKind::college;
      insts_.push_back(*(*tx)->insert_institution(inst));
    }
    ASSERT_TRUE((*tx)->commit().ok());
  }

  OrgMember member(int64_t group, const std::string& name, bool lead,
                   const std::string& phone = "") {
    OrgMember m;
    m.group_id = group;
    m.name = name;
    m.title = lead ? "组长" : "成员";
    m.lead = lead;
    m.phone = phone;
    return m;
  }

  fx::testing::TempDir dir_;
  Vault vault_ = Vault::for_testing(7);
  std::unique_ptr<Store> store_;
  std::vector<int64_t> insts_;
};

TEST_P(OrgContract, SixGroupsAreSeededInTheSourcesOrder) {
  auto g = store_->org().groups();
  ASSERT_TRUE(g.ok()) << g.status().message();
  std::vector<std::string> names;
  for (const auto& x : *g) names.push_back(x.name);
  EXPECT_EQ(names, (std::vector<std::string>{"综合调度", "人员管控", "物资保障", "舆论引导",
                                             "监督检查", "教学保障"}));
  EXPECT_EQ((*g)[0].id, 1);
  EXPECT_FALSE((*g)[1].duty.empty());
}

TEST_P(OrgContract, MembersWithOneLeadPerGroupAndPhonesMasked) {
  auto& o = store_->org();
  auto a = o.put_member(member(2, "张伟", true, "13812345678"), "alice");
  ASSERT_TRUE(a.ok()) << a.status().message();
  auto b = o.put_member(member(2, "李娜", false), "alice");
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_TRUE(o.put_member(member(3, "王强", true), "alice").ok());
  auto got = o.get_member(*a);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->name, "张伟");
  EXPECT_TRUE(got->lead);
  EXPECT_EQ(got->phone_masked, "138****5678");
  EXPECT_TRUE(got->phone.empty()) << "the phone is never read back in the clear";
  EXPECT_EQ(got->updated_by, "alice");
  EXPECT_EQ(o.get_member(9999).status().code(), Status::Code::not_found);

  // 李娜 becomes lead: 张伟 is a member again, in the same transaction.
  OrgMember li = *o.get_member(*b);
  li.lead = true;
  li.title = "组长";
  ASSERT_TRUE(o.put_member(li, "bob").ok());
  auto group = o.members(2);
  ASSERT_EQ(group->size(), 2u);
  EXPECT_EQ((*group)[0].name, "李娜") << "the lead first";
  EXPECT_TRUE((*group)[0].lead);
  EXPECT_FALSE((*group)[1].lead);
  EXPECT_EQ((*group)[1].phone_masked, "138****5678") << "untouched by the lead's move";
  EXPECT_EQ(o.members(0)->size(), 3u);
  EXPECT_EQ(o.members(3)->size(), 1u);

  // Bad rows: an unknown group, an unknown account, an update of nobody.
  EXPECT_FALSE(o.put_member(member(99, "某人", false), "alice").ok());
  OrgMember ghost = member(2, "某人", false);
  ghost.user_id = 4242;
  EXPECT_FALSE(o.put_member(ghost, "alice").ok());
  ghost.user_id = 0;
  ghost.id = 9999;
  EXPECT_EQ(o.put_member(ghost, "alice").status().code(), Status::Code::not_found);
  EXPECT_EQ(o.members(0)->size(), 3u) << "nothing stored half-way";

  ASSERT_TRUE(o.remove_member(*a, "alice").ok());
  EXPECT_EQ(o.remove_member(*a, "alice").code(), Status::Code::not_found);
  EXPECT_EQ(o.members(2)->size(), 1u);
  auto changes = store_->changes_after(0, 100);
  EXPECT_EQ(changes->back().kind, "org.member");
  EXPECT_EQ(changes->back().subject_id, *a);
  EXPECT_EQ(changes->back().detail, "{\"action\":\"removed\"}");
}

TEST_P(OrgContract, OneLiaisonPerCollegeReplacedInPlace) {
  auto& o = store_->org();
  OrgLiaison l;
  l.institution_id = insts_[0];
  l.name = "赵敏";
  l.phone = "13900001111";
  auto first = o.put_liaison(l, "alice");
  ASSERT_TRUE(first.ok()) << first.status().message();
  l.name = "钱进";
  l.phone = "";
  auto second = o.put_liaison(l, "bob");
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(*second, *first) << "the college's row, replaced";
  l.institution_id = insts_[1];
  l.name = "孙丽";
  ASSERT_TRUE(o.put_liaison(l, "bob").ok());
  auto all = o.liaisons();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].institution_id, insts_[0]);
  EXPECT_EQ((*all)[0].name, "钱进");
  EXPECT_EQ((*all)[0].phone_masked, "");
  EXPECT_EQ((*all)[0].updated_by, "bob");
  l.institution_id = 9999;
  EXPECT_FALSE(o.put_liaison(l, "bob").ok()) << "no such institution";
  auto changes = store_->changes_after(0, 100);
  EXPECT_EQ(changes->back().kind, "org.liaison");
  EXPECT_EQ(changes->back().institution_id, insts_[1]) << "the college sees its own";
  ASSERT_TRUE(o.remove_liaison(insts_[0], "bob").ok());
  EXPECT_EQ(o.remove_liaison(insts_[0], "bob").code(), Status::Code::not_found);
  EXPECT_EQ(o.liaisons()->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, OrgContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fx::store
