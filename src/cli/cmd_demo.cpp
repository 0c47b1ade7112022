// fangxian demo: the demo district in the embedded store, then its figures.
#include <cstdio>
#include <filesystem>

#include "app/imports.h"
#include "app/roster_stats.h"
#include "cli/context.h"
#include "sim/district.h"

namespace fx::cli {
namespace {

// Generates and imports the synthetic district when the store holds nobody yet.
Status seed_demo_district(store::Store& store, const Vault& vault, long people,
                          const std::string& dir) {
  auto stats = app::roster_stats(store);
  if (!stats.ok()) return stats.status();
  if (stats->total.people > 0) return Status::Ok();
  std::printf("生成合成学区 generating the demo district (%ld people) in %s …\n", people, dir.c_str());
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

}  // namespace

void add_demo_command(CLI::App& app, Context& ctx, int& exit_code) {
  static long people = 181035;
  auto* cmd = app.add_subcommand(
      "demo", "演示 Create the demo district on first run and show its figures");
  cmd->add_option("--people", people, "People in the demo district")->capture_default_str();
  cmd->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto dir = std::filesystem::path(ctx.db).parent_path() / "demo-district";
    if (Status s = seed_demo_district(*store, *ctx.vault(), people, dir.string()); !s.ok())
      return void(exit_code = fail(s));
    auto stats = app::roster_stats(*store);
    if (!stats.ok()) return void(exit_code = fail(stats.status()));
    std::printf("\n数据库 database: %s\n", ctx.db.c_str());
    std::fputs(app::to_text(*stats).c_str(), stdout);
  });
}

}  // namespace fx::cli
