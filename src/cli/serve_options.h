// The serve flags, shared by `fangxian serve` and `fangxian demo`.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "cli/context.h"
#include "server/service.h"

namespace fx::cli {

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  std::string web_root;
  int io_threads = 2;
  int workers = 4;
  int session_hours = 8;
  std::string password_cost = "interactive";
  bool secure_cookies = false;
  bool no_access_log = false;
  bool no_auto_confirm = false;
  int db_wait = 0;  // seconds to keep retrying an unreachable PostgreSQL at start

  void add_to(CLI::App* cmd);
  Result<server::ServiceOptions> options(const Context& ctx) const;
};

Status apply_password_cost(const std::string& cost, app::AccountsConfig& config);
std::string default_web_root();

// Starts the service, calls `on_started`, serves until SIGINT/SIGTERM.
int run_server(store::Store& store, const Vault& vault, const server::ServiceOptions& options,
               const std::function<void(server::Service&, uint16_t port)>& on_started);

}  // namespace fx::cli
