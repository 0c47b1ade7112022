// fangxian org show|export|member add|set|remove|liaison set|remove: the
// organisation (组织架构) from the command line, acting as the command centre.
#include <cstdio>

#include "app/org.h"
#include "cli/context.h"

namespace fx::cli {
namespace {

void add_member_options(CLI::App* cmd, app::MemberInput& in) {
  cmd->add_option("--group", in.group, "工作组 Task group (综合调度, 人员管控, …)")->required();
  cmd->add_option("--name", in.name, "姓名 Name")->required();
  cmd->add_option("--title", in.title, "职务 Role in the group (default 组长 / 成员)");
  cmd->add_flag("--lead", in.lead, "组长 The group's lead (takes it from the one before)");
  cmd->add_option("--phone", in.phone, "手机号 Mobile (sealed at rest, shown masked)");
  cmd->add_option("--user", in.username, "账号 Linked user account");
}

}  // namespace

void add_org_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* org = app.add_subcommand("org", "组织架构 Organisation: task groups, leads, liaisons");
  org->require_subcommand(1);

  static bool show_json = false;
  auto* show = org->add_subcommand("show", "工作组与联络员 Groups, members and liaisons");
  show->add_flag("--json", show_json, "Print JSON");
  show->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto v = app::show_org(*store, app::cli_caller("org show"));
    if (!v.ok()) return void(exit_code = fail(v.status()));
    std::fputs((show_json ? app::org_json(*v) + "\n" : app::org_text(*v)).c_str(), stdout);
  });

  static std::string members_out, liaisons_out;
  auto* ex = org->add_subcommand("export", "导出 Export the lists (.xlsx or .csv)");
  ex->add_option("--members", members_out, "成员名单 Members file");
  ex->add_option("--liaisons", liaisons_out, "联络员名单 Liaisons file");
  ex->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    if (members_out.empty() && liaisons_out.empty())
      return void(exit_code = fail(Status::Invalid("give --members and/or --liaisons")));
    auto v = app::show_org(*store, app::cli_caller("org export"));
    if (!v.ok()) return void(exit_code = fail(v.status()));
    if (!members_out.empty()) {
      Status s = app::export_org_members(*v, members_out);
      if (!s.ok()) return void(exit_code = fail(s));
      std::printf("%s\n", members_out.c_str());
    }
    if (!liaisons_out.empty()) {
      Status s = app::export_org_liaisons(*v, liaisons_out);
      if (!s.ok()) return void(exit_code = fail(s));
      std::printf("%s\n", liaisons_out.c_str());
    }
  });

  auto* member = org->add_subcommand("member", "工作组成员 Group members");
  member->require_subcommand(1);
  static app::MemberInput add_in, set_in;
  auto* add = member->add_subcommand("add", "添加成员 Add a member; prints its id");
  add_member_options(add, add_in);
  auto* set = member->add_subcommand("set", "修改成员 Replace a member's details");
  set->add_option("--id", set_in.id, "成员编号 Member id")->required();
  add_member_options(set, set_in);
  for (auto [cmd, in] : {std::pair{add, &add_in}, std::pair{set, &set_in}}) {
    cmd->callback([&ctx, &exit_code, in = in] {
      auto* store = ctx.store();
      if (!store) return void(exit_code = kExitFailed);
      auto id = app::put_org_member(*store, app::cli_caller("org member"), *in);
      if (!id.ok()) return void(exit_code = fail(id.status()));
      std::printf("%lld\n", static_cast<long long>(*id));
    });
  }
  static int64_t remove_id = 0;
  auto* rm = member->add_subcommand("remove", "移除成员 Remove a member");
  rm->add_option("--id", remove_id, "成员编号 Member id")->required();
  rm->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    Status s = app::remove_org_member(*store, app::cli_caller("org member remove"), remove_id);
    if (!s.ok()) return void(exit_code = fail(s));
  });

  auto* liaison = org->add_subcommand("liaison", "高校联络员 College liaisons (one per college)");
  liaison->require_subcommand(1);
  static app::LiaisonInput li;
  auto* lset = liaison->add_subcommand("set", "指定联络员 Assign a college's liaison");
  lset->add_option("--institution", li.institution, "学校代码 College code")->required();
  lset->add_option("--name", li.name, "姓名 Name")->required();
  lset->add_option("--phone", li.phone, "手机号 Mobile (sealed at rest, shown masked)");
  lset->add_option("--user", li.username, "账号 Linked user account");
  lset->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto id = app::put_org_liaison(*store, app::cli_caller("org liaison set"), li);
    if (!id.ok()) return void(exit_code = fail(id.status()));
    std::printf("%lld\n", static_cast<long long>(*id));
  });
  static std::string lrm;
  auto* lremove = liaison->add_subcommand("remove", "取消联络员 Remove a college's liaison");
  lremove->add_option("--institution", lrm, "学校代码 College code")->required();
  lremove->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    Status s = app::remove_org_liaison(*store, app::cli_caller("org liaison remove"), lrm);
    if (!s.ok()) return void(exit_code = fail(s));
  });
}

}  // namespace fx::cli
