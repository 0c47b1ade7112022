// fangxian demo: the demo district in the embedded store, then its figures.
#include <cstdio>
#include <filesystem>

#include "app/import_presence.h"
#include "app/imports.h"
#include "app/org.h"
#include "app/roster_stats.h"
#include "cli/context.h"
#include "cli/serve_options.h"
#include "sim/district.h"
#include "sim/presence.h"

namespace fx::cli {
namespace {

// Generates and imports the synthetic district when the store holds nobody yet.
Status seed_demo_district(store::Store& store, const Vault& vault, long people,
                          const std::string& dir) {
  auto stats = app::roster_stats(store);
  if (!stats.ok()) return stats.status();
  if (stats->total.people > 0) return Status::Ok();
  std::printf("生成合成学区 generating the demo district (%ld people) in %s …\n", people,
              dir.c_str());
  auto files = sim::write_district(sim::DistrictShape::scaled(people), dir, false, false);
  if (!files.ok()) return files.status();
  auto inst = app::import_institutions(store, dir + "/institutions.csv");
  if (!inst.ok()) return inst.status();
  std::fputs(app::to_text(*inst).c_str(), stdout);
  auto roster = app::import_roster(store, vault, dir + "/roster.csv");
  if (!roster.ok()) return roster.status();
  std::fputs(app::to_text(*roster).c_str(), stdout);
  std::printf("导入用时 import took %.2f s\n", roster->seconds);
  return Status::Ok();
}

// Generates and imports a week of timetables and card swipes for the demo
// district when the store holds no presence data yet, so `fangxian trace` works.
Status seed_demo_presence(store::Store& store, const Vault& vault, long people,
                          const std::string& dir) {
  auto swipes = store.presence().count_swipes();
  if (!swipes.ok()) return swipes.status();
  auto timetable = store.presence().list_timetable();
  if (!timetable.ok()) return timetable.status();
  if (*swipes > 0 || !timetable->empty()) return Status::Ok();
  sim::PresenceSimOptions options;
  options.days = 7;
  std::printf(
      "生成一周课表和刷卡记录 generating a week of timetables and card swipes (from %s) …\n",
      options.start.c_str());
  auto sum = sim::write_presence(sim::DistrictShape::scaled(people), dir, options);
  if (!sum.ok()) return sum.status();
  app::PresenceImportOptions import;
  import.create_places = true;
  for (auto [kind, file] : {std::pair{app::PresenceKind::timetable, "/timetable.csv"},
                            std::pair{app::PresenceKind::swipes, "/swipes.csv"}}) {
    auto r = app::import_presence(store, vault, kind, dir + file, import);
    if (!r.ok()) return r.status();
    std::printf("%s: %ld 行 rows, %ld 记录 records, %ld 拒绝 rejected, %.2f s\n",
                r->base.file_name.c_str(), r->base.rows, r->records,
                static_cast<long>(r->base.rejected.size()), r->base.seconds);
  }
  return Status::Ok();
}

// Fills the organisation when it is empty: a lead and two members in each
// task group (synthetic names and numbers), and each college's liaison from
// the 联络人 column of the institutions file ("name phone").
Status seed_demo_org(store::Store& store) {
  auto caller = app::cli_caller("demo");
  auto org = app::show_org(store, caller);
  if (!org.ok()) return org.status();
  if (!org->members.empty() || !org->liaisons.empty()) return Status::Ok();
  static const char* kNames[] = {"王建国", "李秀英", "张志强", "刘海燕", "陈立新", "杨丽华",
                                 "赵明辉", "黄淑芬", "周文斌", "吴雪梅", "徐国庆", "孙玉兰",
                                 "马永刚", "朱红霞", "胡德胜", "郭春燕", "何光明", "林晓敏"};
  int n = 0;
  for (const auto& g : org->groups) {
    for (int i = 0; i < 3; ++i, ++n) {
      app::MemberInput m;
      m.group = g.name;
      m.name = kNames[n % 18];
      m.lead = i == 0;
      m.title = i == 0 ? "组长" : i == 1 ? "副组长" : "成员";
      m.phone = "1390431" + std::to_string(1000 + n);
      auto id = app::put_org_member(store, caller, m);
      if (!id.ok()) return id.status();
    }
  }
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  int liaisons = 0;
  for (const auto& i : *insts) {
    if (i.kind != domain::InstitutionKind::college && i.kind != domain::InstitutionKind::university)
      continue;
    const size_t space = i.liaison.find(' ');
    app::LiaisonInput l{i.code, i.liaison.substr(0, space), "", ""};
    if (space != std::string::npos) l.phone = i.liaison.substr(space + 1);
    if (l.name.empty()) continue;
    auto id = app::put_org_liaison(store, caller, l);
    if (!id.ok()) return id.status();
    ++liaisons;
  }
  std::printf("组织架构 organisation: 6 个工作组 %d 人, 高校联络员 %d 名\n", n, liaisons);
  return Status::Ok();
}

}  // namespace

// The demo's administrator: created or given a fresh password on every run.
Result<std::string> reset_demo_admin(server::Service& service) {
  auto& accounts = service.accounts();
  auto first = accounts.ensure_first_admin();
  if (!first.ok()) return first.status();
  if (*first) return **first;
  return accounts.set_password("admin", "", app::cli_caller("demo"));
}

void add_demo_command(CLI::App& app, Context& ctx, int& exit_code) {
  static long people = 181035;
  static ServeFlags flags;
  static bool no_serve = false;
  auto* cmd = app.add_subcommand(
      "demo", "演示 Create the demo district on first run, show its figures and serve it");
  cmd->add_option("--people", people, "People in the demo district")->capture_default_str();
  cmd->add_flag("--no-serve", no_serve, "Only create the district and print its figures");
  flags.add_to(cmd);
  cmd->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto dir = std::filesystem::path(ctx.db).parent_path() / "demo-district";
    if (Status s = seed_demo_district(*store, *ctx.vault(), people, dir.string()); !s.ok())
      return void(exit_code = fail(s));
    if (Status s = seed_demo_presence(*store, *ctx.vault(), people, dir.string()); !s.ok())
      return void(exit_code = fail(s));
    if (Status s = seed_demo_org(*store); !s.ok()) return void(exit_code = fail(s));
    auto stats = app::roster_stats(*store);
    if (!stats.ok()) return void(exit_code = fail(stats.status()));
    std::printf("\n数据库 database: %s\n", ctx.db.c_str());
    std::fputs(app::to_text(*stats).c_str(), stdout);
    if (no_serve) return;
    auto options = flags.options(ctx);
    if (!options.ok()) return void(exit_code = fail(options.status()));
    exit_code = run_server(*store, *ctx.vault(), *options, [&](server::Service& s, uint16_t port) {
      auto pw = reset_demo_admin(s);
      if (!pw.ok()) {
        fail(pw.status());
        s.stop();
        return;
      }
      std::printf(
          "\n演示服务已启动 DEMO server running: http://%s:%u/  (API: /api/v1, stop: Ctrl-C)\n"
          "演示登录 demo login (this is the DEMO admin; its password is reset on every run):\n"
          "  用户名 user:     admin\n"
          "  密码 password:   %s\n"
          "  curl -c /tmp/fx.cookies -H 'Content-Type: application/json' \\\n"
          "       -d '{\"username\":\"admin\",\"password\":\"%s\"}' http://%s:%u/api/v1/login\n",
          options->http.host.c_str(), port, pw->c_str(), pw->c_str(), options->http.host.c_str(),
          port);
      if (options->web_root.empty())
        std::printf("  (no web front end found: build web/ or pass --web-root)\n");
    });
  });
}

}  // namespace fx::cli
