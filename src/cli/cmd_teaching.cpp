// fangxian teaching report|list|figures, fangxian volunteers site-add|sites|
// report|list|figures, and fangxian sim teaching: teaching continuity and the
// front-line volunteers from the command line, acting as the command centre.
#include <cstdio>

#include "app/teaching.h"
#include "app/teaching_scenario.h"
#include "app/volunteers.h"
#include "cli/context.h"

namespace fx::cli {
namespace {

void print(const std::string& s) { std::fputs(s.c_str(), stdout); }

bool kind_of(const std::string& text, app::TeachingKind& kind, int& exit_code) {
  if (app::parse_teaching_kind(text, kind)) return true;
  exit_code =
      kExitUsage +
      0 * fail(Status::Invalid("kind: 应为 attendance、access、care、spot-checks 或 activities"));
  return false;
}

}  // namespace

void add_teaching_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* t = app.add_subcommand("teaching", "线上教学 Teaching continuity: report, lists, figures");
  t->require_subcommand(1);

  static std::string kind, file;
  auto* report = t->add_subcommand(
      "report", "填报 Store a CSV/XLSX of one kind (all rows or none; errors name row and field)");
  report->add_option("kind", kind, "attendance | access | care | spot-checks | activities")
      ->required();
  report->add_option("file", file, "CSV or XLSX with a header row")->required();
  report->callback([&] {
    app::TeachingKind k;
    if (!kind_of(kind, k, exit_code)) return;
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto rows = app::read_input_file(file, app::teaching_fields(k));
    if (!rows.ok()) return void(exit_code = fail(rows.status()));
    auto ids = app::save_teaching(*store, app::cli_caller("teaching report"), k, *rows);
    if (!ids.ok()) return void(exit_code = fail(ids.status()));
    std::printf("已保存 %zu 条%s (saved)\n", ids->size(), app::teaching_kind_name(k));
  });

  static std::string list_kind, out;
  static app::TeachingQuery query;
  static bool json = false;
  auto* list = t->add_subcommand("list", "名单 A list of one kind, or --out FILE.xlsx/.csv");
  list->add_option("kind", list_kind, "attendance | access | care | spot-checks | activities")
      ->required();
  list->add_option("--institution", query.institution, "学校代码 Institution code");
  list->add_option("--day", query.day, "日期 Day (attendance, access)");
  list->add_option("--out", out, "导出 Write FILE.xlsx or FILE.csv");
  list->callback([&] {
    app::TeachingKind k;
    if (!kind_of(list_kind, k, exit_code)) return;
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto lists = app::load_teaching(*store, app::cli_caller("teaching list"), k, query);
    if (!lists.ok()) return void(exit_code = fail(lists.status()));
    if (out.empty()) return print(app::teaching_list_json(*lists, k) + "\n");
    if (Status s = app::export_teaching_list(*lists, k, out); !s.ok())
      return void(exit_code = fail(s));
    std::printf("%s\n", out.c_str());
  });

  static app::TeachingQuery fq;
  auto* figures =
      t->add_subcommand("figures", "数字 Coverage, spot checks, care lists, activities");
  figures->add_option("--institution", fq.institution, "学校代码 Institution code");
  figures->add_option("--day", fq.day, "覆盖率的日期 Day of the coverage (default: the latest)");
  figures->add_flag("--json", json, "JSON instead of text");
  figures->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto f = app::teaching_figures(*store, app::cli_caller("teaching figures"), fq);
    if (!f.ok()) return void(exit_code = fail(f.status()));
    print(json ? app::teaching_figures_json(*f) + "\n" : app::teaching_figures_text(*f));
  });

  // ------------------------------------------------------------ volunteers
  auto* v =
      app.add_subcommand("volunteers", "支援一线 Front-line volunteers: sites, shifts, hours");
  v->require_subcommand(1);
  static std::string site_name, site_kind, site_address;
  auto* add = v->add_subcommand("site-add", "添加站点 Add a site; prints its id");
  add->add_option("--name", site_name, "站点名称 Name")->required();
  add->add_option("--kind", site_kind, "隔离宾馆/hotel | 居民小区/community | 核酸检测点/test_site")
      ->required();
  add->add_option("--address", site_address, "地址 Address");
  add->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto id = app::add_volunteer_site(*store, app::cli_caller("volunteers site-add"), site_name,
                                      site_kind, site_address);
    if (!id.ok()) return void(exit_code = fail(id.status()));
    std::printf("%lld\n", static_cast<long long>(*id));
  });
  auto* sites = v->add_subcommand("sites", "站点 The sites (JSON)");
  sites->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto s = app::list_volunteer_sites(*store, app::cli_caller("volunteers sites"));
    if (!s.ok()) return void(exit_code = fail(s.status()));
    print(app::volunteer_sites_json(*s) + "\n");
  });
  static std::string shift_file;
  auto* vr = v->add_subcommand("report", "班次 Store shifts from a CSV/XLSX (all rows or none)");
  vr->add_option("file", shift_file, "工号, 站点, 岗位, 开始时间, 结束时间 (学校代码, 记录编号)")
      ->required();
  vr->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto rows = app::read_input_file(shift_file, app::shift_fields());
    if (!rows.ok()) return void(exit_code = fail(rows.status()));
    auto ids = app::save_shifts(*store, app::cli_caller("volunteers report"), *rows);
    if (!ids.ok()) return void(exit_code = fail(ids.status()));
    std::printf("已保存 %zu 个班次 (shifts saved)\n", ids->size());
  });
  static app::VolunteerQuery vq;
  static std::string which = "shifts", vout;
  auto* vl = v->add_subcommand("list", "名单 Shifts, who is where now, hours per person or school");
  vl->add_option("--list", which, "shifts | now | people | institutions")->capture_default_str();
  vl->add_option("--institution", vq.institution, "学校代码 Institution code");
  vl->add_option("--now", vq.now, "此刻 The time 'now' (local), default the clock");
  vl->add_option("--out", vout, "导出 Write FILE.xlsx or FILE.csv");
  vl->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto b = app::volunteer_board(*store, app::cli_caller("volunteers list"), vq);
    if (!b.ok()) return void(exit_code = fail(b.status()));
    if (vout.empty()) return print(app::volunteer_board_json(*b, true) + "\n");
    if (Status s = app::export_volunteers(*b, which, vout); !s.ok())
      return void(exit_code = fail(s));
    std::printf("%s\n", vout.c_str());
  });
  static app::VolunteerQuery vfq;
  static bool vjson = false;
  auto* vf = v->add_subcommand("figures", "数字 People deployed, hours served, on duty now");
  vf->add_option("--institution", vfq.institution, "学校代码 Institution code");
  vf->add_option("--now", vfq.now, "此刻 The time 'now' (local), default the clock");
  vf->add_flag("--json", vjson, "JSON instead of text");
  vf->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto b = app::volunteer_figures(*store, app::cli_caller("volunteers figures"), vfq);
    if (!b.ok()) return void(exit_code = fail(b.status()));
    print(vjson ? app::volunteer_board_json(*b, false) + "\n" : app::volunteer_figures_text(*b));
  });

  // ------------------------------------------------------------ sim teaching
  if (auto* sim = app.get_subcommand("sim")) {
    static app::TeachingScenarioOptions so;
    auto* st = sim->add_subcommand(
        "teaching",
        "线上教学与支援一线场景 A scenario shaped like the source, on the district in --db");
    st->add_option("--seed", so.seed, "Random seed")->capture_default_str();
    st->add_option("--first-day", so.first_day, "首日 The first day online")->capture_default_str();
    st->add_option("--spot-checks", so.spot_checks, "电话抽查人次 Spot checks")
        ->capture_default_str();
    st->add_option("--volunteers", so.volunteers, "支援一线人数 Staff sent")->capture_default_str();
    st->callback([&] {
      auto* store = ctx.store();
      if (!store) return void(exit_code = kExitFailed);
      auto s = app::generate_teaching_scenario(*store, so);
      if (!s.ok()) return void(exit_code = fail(s.status()));
      std::printf(
          "班级 %ld (应到 %ld, 在线 %ld), 无设备无网络 %ld, 关爱名单 %ld, 电话抽查 %ld, "
          "教研活动记录 "
          "%ld, 支援一线 %ld 人 %ld 个班次 %ld 个站点\n",
          s->classes, s->expected, s->attending, s->access_issues, s->care, s->spot_checks,
          s->activities, s->volunteers, s->shifts, s->sites);
    });
  }
}

}  // namespace fx::cli
