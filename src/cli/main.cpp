// fangxian: the one binary. `fangxian --help` lists the commands.
#include <CLI/CLI.hpp>

#include "cli/cmd_migrate.h"

int main(int argc, char** argv) {
  CLI::App app{"防线 Fangxian — 教育系统疫情防控指挥系统 (outbreak-response command system)",
               "fangxian"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show the help of every command");
  fx::cli::Context ctx;
  app.add_option("--db", ctx.db,
                 "Database: a SQLite file path (default ./var/fangxian.db) or a postgresql:// URL")
      ->capture_default_str();
  app.add_option("--key", ctx.key,
                 "Key file for sensitive data (default: fangxian.key beside the database)");
  int exit_code = fx::cli::kExitOk;
  fx::cli::add_import_commands(app, ctx, exit_code);
  fx::cli::add_roster_commands(app, ctx, exit_code);
  fx::cli::add_template_command(app, ctx, exit_code);
  fx::cli::add_sim_commands(app, ctx, exit_code);
  fx::cli::add_demo_command(app, ctx, exit_code);
  fx::cli::add_bench_commands(app, ctx, exit_code);
  fx::cli::add_serve_command(app, ctx, exit_code);
  fx::cli::add_account_commands(app, ctx, exit_code);
  fx::cli::add_round_commands(app, ctx, exit_code);
  fx::cli::add_presence_commands(app, ctx, exit_code);
  fx::cli::add_trace_command(app, ctx, exit_code);
  fx::cli::add_case_commands(app, ctx, exit_code);
  fx::cli::add_impact_commands(app, ctx, exit_code);
  fx::cli::add_directive_commands(app, ctx, exit_code);
  fx::cli::add_inspect_commands(app, ctx, exit_code);
  fx::cli::add_teaching_commands(app, ctx, exit_code);
  fx::cli::add_screening_commands(app, ctx, exit_code);
  fx::cli::add_org_commands(app, ctx, exit_code);
  fx::cli::add_migrate_command(app, ctx, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : fx::cli::kExitUsage;
  }
  return exit_code;
}
