// fangxian roster stats
#include <cstdio>

#include "app/roster_stats.h"
#include "cli/context.h"

namespace fx::cli {

void add_roster_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* roster = app.add_subcommand("roster", "人员台账 The roster");
  roster->require_subcommand(1);
  static bool json = false;
  auto* stats = roster->add_subcommand("stats", "台账统计 Counts by institution kind and role");
  stats->add_flag("--json", json, "Print JSON");
  stats->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto s = app::roster_stats(*store);
    if (!s.ok()) return void(exit_code = fail(s.status()));
    std::fputs((json ? app::to_json(*s) + "\n" : app::to_text(*s)).c_str(), stdout);
  });
}

}  // namespace fx::cli
