// fangxian import institutions|roster FILE, import presence --kind K FILE
#include <cstdio>

#include "app/import_presence.h"
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

  static ImportFlags presence;
  static std::string presence_kind;
  static app::PresenceImportOptions presence_options;
  auto* p = add_import(*import, "presence",
                       "导入同处数据 Import co-presence data for contact tracing (timetables, card "
                       "swipes, investigator contacts, proximity sensors, dorm assignment "
                       "periods)",
                       presence);
  p->add_option("--kind", presence_kind,
                "timetable, swipes, contacts, sensor or dorms (dorm assignment periods: 学校代码, "
                "证件号码 or 学号/工号, 宿舍, 起始日期, 结束日期 (empty: open); all or nothing)")
      ->required()
      ->check(CLI::IsMember({"timetable", "swipes", "contacts", "sensor", "dorms"}));
  p->add_option("--institution", presence_options.institution,
                "学校代码 for rows without one (required for sensor files)");
  p->add_option("--epoch", presence_options.epoch,
                "Sensor files: the local time of t = 0 (\"2013-12-02 00:00\"), or Unix seconds "
                "(0 when t is Unix time)");
  p->add_flag("--create-places", presence_options.create_places,
              "Create rooms and swipe places the institution does not have yet (else: row error)");
  p->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    app::PresenceKind kind;
    app::parse_presence_kind(presence_kind, kind);
    presence_options.import = presence.options;
    auto r = app::import_presence(*store, *ctx.vault(), kind, presence.file, presence_options);
    if (!r.ok()) return void(exit_code = fail(r.status()));
    std::fputs((presence.json ? app::to_json(*r) + "\n" : app::to_text(*r)).c_str(), stdout);
    exit_code = r->refused ? kExitFailed : kExitOk;
  });
}

}  // namespace fx::cli
