// fangxian impact --institution CODE --dorm-building B|--class C|--unit ID,
// and fangxian chain: the impact preview and the chain of transmission.
#include <cstdio>

#include "app/chain.h"
#include "app/impact.h"
#include "cli/context.h"

namespace fx::cli {

void add_impact_commands(CLI::App& app, Context& ctx, int& exit_code) {
  static app::ImpactRequest req;
  static bool json = false;
  auto* impact = app.add_subcommand(
      "impact",
      "影响预估 What closing a dorm building or a class would touch (people, classes, "
      "shared rooms)");
  impact->add_option("--institution", req.institution_code, "学校代码")->required();
  impact->add_option("--dorm-building", req.dorm_building, "宿舍楼 (3号楼, or 3)");
  impact->add_option("--class", req.class_name, "班级 (the last level of a unit path: 护理2101)");
  impact->add_option("--unit", req.unit_id, "Unit id (a unit and everything below it)");
  impact->add_flag("--json", json, "Print JSON");
  impact->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto m = app::preview_impact(*store, app::cli_caller("cli impact"), req);
    if (!m.ok()) return void(exit_code = fail(m.status()));
    std::fputs(json ? (app::impact_json(*m) + "\n").c_str() : app::impact_text(*m).c_str(), stdout);
  });

  auto* chain = app.add_subcommand(
      "chain",
      "传播链 The chain of transmission: cases, contacts and the links between them (JSON)");
  chain->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto c = app::transmission_chain(*store, app::cli_caller("cli chain"));
    if (!c.ok()) return void(exit_code = fail(c.status()));
    std::printf("%s\n", app::chain_json(*c).c_str());
  });
}

}  // namespace fx::cli
