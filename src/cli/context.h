// What every command shares: the database location, the key file, and the
// store and vault opened from them on first use.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "core/vault.h"
#include "store/store.h"

namespace fx::cli {

// Exit codes: 0 committed (rejected rows included), 1 nothing stored or a
// failure, 2 a usage error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

struct Context {
  std::string db = "./var/fangxian.db";
  std::string key;  // default: fangxian.key beside the database

  std::string key_path() const;
  // Opens the vault and the store; prints the error and returns null on failure.
  store::Store* store();
  const Vault* vault();

 private:
  std::optional<Vault> vault_;
  std::unique_ptr<store::Store> store_;
};

// Prints `status` to stderr as "fangxian: message".
int fail(const Status& status);

// Each file adds its commands to the app; the callback sets the exit code.
void add_import_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_roster_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_template_command(CLI::App& app, Context& ctx, int& exit_code);
void add_sim_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_demo_command(CLI::App& app, Context& ctx, int& exit_code);
void add_bench_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_serve_command(CLI::App& app, Context& ctx, int& exit_code);     // cmd_serve.cpp
void add_account_commands(CLI::App& app, Context& ctx, int& exit_code);  // cmd_accounts.cpp
// After import, sim and bench: adds to those groups too (cmd_round.cpp, cmd_bench_round.cpp).
void add_round_commands(CLI::App& app, Context& ctx, int& exit_code);
// After bench: bench presence-load (cmd_presence.cpp).
void add_presence_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_trace_command(CLI::App& app, Context& ctx, int& exit_code);  // cmd_trace.cpp
void add_case_commands(CLI::App& app, Context& ctx, int& exit_code);  // cmd_case.cpp
void add_tracking_more_commands(CLI::App& tracking, Context& ctx,
                                int& exit_code);                           // cmd_tracking_more.cpp
void add_impact_commands(CLI::App& app, Context& ctx, int& exit_code);     // cmd_impact.cpp
void add_directive_commands(CLI::App& app, Context& ctx, int& exit_code);  // cmd_directive.cpp
// After sim: also `sim inspections` (cmd_inspect.cpp).
void add_inspect_commands(CLI::App& app, Context& ctx, int& exit_code);
// After sim: teaching, volunteers and sim teaching (cmd_teaching.cpp).
void add_teaching_commands(CLI::App& app, Context& ctx, int& exit_code);
void add_screening_commands(CLI::App& app, Context& ctx, int& exit_code);  // cmd_screening.cpp
void add_org_commands(CLI::App& app, Context& ctx, int& exit_code);        // cmd_org.cpp

}  // namespace fx::cli
