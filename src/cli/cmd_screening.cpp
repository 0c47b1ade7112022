// fangxian screening import|day|list|figures|generate|track: home-bound
// screening (居家排查) from the command line, acting as the command centre.
#include <chrono>
#include <cstdio>
#include <functional>

#include "app/screening.h"
#include "app/screening_generate.h"
#include "cli/context.h"

namespace fx::cli {
namespace {

void print(const std::string& s) { std::puts(s.c_str()); }

int print_write(const app::ScreeningWrite& w) {
  for (const auto& p : w.problems)
    std::fprintf(stderr, "%s %s: %s\n", p.where.c_str(), p.field.c_str(), p.reason.c_str());
  if (!w.problems.empty()) {
    std::fprintf(stderr, "fangxian: %zu 处错误,未保存任何记录 (%zu problems, nothing stored)\n",
                 w.problems.size(), w.problems.size());
    return kExitFailed;
  }
  std::printf("已保存 %ld 条,异常 %ld (stored %ld, abnormal %ld)\n", w.stored, w.abnormal, w.stored,
              w.abnormal);
  return kExitOk;
}

// Writes `write` to `out` (.xlsx or .csv), or prints `json` when `out` is empty.
int emit(const std::string& out, const std::string& json,
         const std::function<Status(const std::string&)>& write) {
  if (out.empty()) return print(json), kExitOk;
  Status s = write(out);
  if (!s.ok()) return fail(s);
  std::fprintf(stderr, "wrote %s\n", out.c_str());
  return kExitOk;
}

}  // namespace

void add_screening_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* sc =
      app.add_subcommand("screening", "居家排查 Home-bound screening: reports, table, lists");
  sc->require_subcommand(1);

  static std::string kind = "reports", file;
  auto* imp = sc->add_subcommand(
      "import",
      "导入班主任上报文件 Import a file of reports or home-bound people (all or nothing)");
  imp->add_option("--kind", kind, "reports | home_bound")->capture_default_str();
  imp->add_option("file", file, "CSV or XLSX")->required();
  imp->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto w = app::import_screening_file(*store, *ctx.vault(), app::cli_caller("screening import"),
                                        kind, file, file);
    if (!w.ok()) return void(exit_code = fail(w.status()));
    exit_code = print_write(*w);
  });

  static std::string day, out;
  auto* d =
      sc->add_subcommand("day", "每日排查统计表 The day's table per institution (and its time)");
  d->add_option("--day", day, "YYYY-MM-DD (default today)");
  d->add_option("--out", out, "Write FILE.xlsx or FILE.csv instead of JSON");
  d->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto start = std::chrono::steady_clock::now();
    auto t = app::screening_day(*store, app::cli_caller("screening day"), day);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!t.ok()) return void(exit_code = fail(t.status()));
    std::fprintf(stderr, "table: %zu institutions in %.2f ms\n", t->rows.size(), ms);
    exit_code = emit(out, app::screening_day_json(*t),
                     [&](const std::string& p) { return app::export_screening_day(*t, p); });
  });

  static std::string list_kind = "not_reported", institution;
  auto* l = sc->add_subcommand("list", "未报/异常名单 Not reported, abnormal or all reports");
  l->add_option("--kind", list_kind, "not_reported | abnormal | reports")->capture_default_str();
  l->add_option("--day", day, "YYYY-MM-DD (default today)");
  l->add_option("--institution", institution, "学校代码");
  l->add_option("--out", out, "Write FILE.xlsx or FILE.csv instead of JSON");
  l->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto r =
        app::screening_list(*store, app::cli_caller("screening list"), day, list_kind, institution);
    if (!r.ok()) return void(exit_code = fail(r.status()));
    exit_code = emit(out, app::screening_list_json(*r),
                     [&](const std::string& p) { return app::export_screening_list(*r, p); });
  });

  auto* f = sc->add_subcommand("figures", "排查人次 Person-times and the day's totals");
  f->add_option("--day", day, "YYYY-MM-DD (default today)");
  f->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto r = app::screening_figures(*store, app::cli_caller("screening figures"), day);
    if (!r.ok()) return void(exit_code = fail(r.status()));
    print(app::screening_figures_json(*r));
  });

  static int64_t person = 0;
  static int days = 7;
  auto* t = sc->add_subcommand(
      "track", "异常人员列入重点人员 Put a person with an abnormal report on the tracking table");
  t->add_option("--person", person, "人员编号 Person id")->required();
  t->add_option("--day", day, "The day of the abnormal report")->required();
  t->add_option("--days", days, "居家健康监测天数 Home monitoring days")->capture_default_str();
  t->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto id = app::track_abnormal(*store, app::cli_caller("screening track"), person, day, days);
    if (!id.ok()) return void(exit_code = fail(id.status()));
    std::printf("%lld\n", static_cast<long long>(*id));
  });

  static app::ScreeningPlan plan;
  auto* g = sc->add_subcommand(
      "generate", "生成居家人员 Mark a spread of the roster home-bound (and fill reports)");
  g->add_option("--people", plan.people, "How many")->capture_default_str();
  g->add_option("--from", plan.from, "First day, YYYY-MM-DD (default today)");
  g->add_option("--days", plan.days, "Days home-bound")->capture_default_str();
  g->add_flag("--reports", plan.reports, "Also report for every day up to --today");
  g->add_option("--today", plan.today, "YYYY-MM-DD (default today)");
  g->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    if (plan.from.empty()) plan.from = app::shanghai_today();
    if (plan.today.empty()) plan.today = app::shanghai_today();
    auto r = app::generate_screening(*store, app::cli_caller("screening generate"), plan);
    if (!r.ok()) return void(exit_code = fail(r.status()));
    std::printf("home-bound %ld, reports %ld, abnormal %ld\n", r->home_bound, r->reports,
                r->abnormal);
  });
}

}  // namespace fx::cli
