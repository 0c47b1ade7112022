// fangxian import institutions|roster FILE
#include <cstdio>

#include "app/imports.h"
#include "cli/context.h"

namespace fx::cli {
namespace {

struct ImportFlags {
  std::string file;
  bool json = false;
  app::ImportOptions options;
};

CLI::App* add_import(CLI::App& parent, const std::string& name, const std::string& help,
                     ImportFlags& flags) {
  auto* cmd = parent.add_subcommand(name, help);
  cmd->add_option("FILE", flags.file, "XLSX, or CSV in UTF-8 (with or without BOM) or GB18030/GBK")
      ->required();
  cmd->add_flag("--dry-run", flags.options.dry_run, "Validate and report; store nothing");
  cmd->add_option("--errors-out", flags.options.errors_out,
                  "Write the rejected rows, with a 错误原因 column, to this file (same format)");
  cmd->add_flag("--json", flags.json, "Print the report as JSON");
  return cmd;
}

int report(const Result<app::ImportReport>& r, bool json) {
  if (!r.ok()) return fail(r.status());
  std::fputs((json ? app::to_json(*r) + "\n" : app::to_text(*r)).c_str(), stdout);
  return kExitOk;
}

}  // namespace

void add_import_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* import = app.add_subcommand("import", "导入 Import spreadsheets into the store");
  import->require_subcommand(1);
  static ImportFlags inst, roster;
  add_import(*import, "institutions", "导入学校名单 Import institutions", inst)->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    exit_code = report(app::import_institutions(*store, inst.file, inst.options), inst.json);
  });
  add_import(*import, "roster", "导入人员台账 Import the roster of people", roster)->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    exit_code =
        report(app::import_roster(*store, *ctx.vault(), roster.file, roster.options), roster.json);
  });
}

}  // namespace fx::cli
