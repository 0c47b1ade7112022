// fangxian serve: the HTTP server over the store.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "cli/context.h"
#include "cli/serve_options.h"
#include "server/service.h"
#include "store/postgres/pg_conn.h"

namespace fx::cli {

std::string default_web_root() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path();
  std::vector<std::filesystem::path> candidates = {"web/dist", exe / "web/dist",
                                                   exe / "../web/dist", exe / "../../web/dist"};
  for (const auto& c : candidates)
    if (std::filesystem::exists(c / "index.html", ec))
      return std::filesystem::weakly_canonical(c, ec).string();
  return "";
}

void ServeFlags::add_to(CLI::App* cmd) {
  cmd->add_option("--listen", listen, "Address and port to listen on")->capture_default_str();
  cmd->add_option("--web-root", web_root,
                  "Folder of the web front end (default: web/dist beside the repo or binary)");
  cmd->add_option("--io-threads", io_threads, "Threads running the sockets")->capture_default_str();
  cmd->add_option("--workers", workers, "Threads running requests (store calls)")
      ->capture_default_str();
  cmd->add_option("--session-hours", session_hours, "How long a login lasts")
      ->capture_default_str();
  cmd->add_option("--password-cost", password_cost,
                  "argon2id cost: interactive (default), moderate, or min (tests only)")
      ->capture_default_str();
  cmd->add_flag("--secure-cookies", secure_cookies,
                "Mark the session cookie Secure (when served behind HTTPS)");
  cmd->add_flag("--no-access-log", no_access_log, "Do not log one line per request");
  cmd->add_flag("--no-auto-confirm", no_auto_confirm,
                "A positive individual test result does not open the case by itself "
                "(docs/tracing.md)");
  cmd->add_option("--db-wait", db_wait,
                  "Seconds to keep retrying an unreachable PostgreSQL at start, with backoff "
                  "(default: 5 attempts over about 7 s)")
      ->check(CLI::Range(0, 3600));
}

Result<server::ServiceOptions> ServeFlags::options(const Context& ctx) const {
  server::ServiceOptions o;
  FX_RETURN_IF_ERROR(server::parse_listen(listen, o.http.host, o.http.port));
  o.http.io_threads = io_threads;
  o.http.worker_threads = workers;
  o.http.access_log = !no_access_log;
  o.web_root = web_root.empty() ? default_web_root() : web_root;
  auto parent = std::filesystem::path(ctx.db).parent_path();
  o.upload_dir = ((parent.empty() ? std::filesystem::path(".") : parent) / "uploads").string();
  o.secure_cookies = secure_cookies;
  o.auto_confirm = !no_auto_confirm;
  o.warm_tracing = true;
  if (session_hours < 1 || session_hours > 24 * 30)
    return Status::Invalid("--session-hours must be 1–720");
  o.accounts.session_ttl = std::chrono::hours(session_hours);
  FX_RETURN_IF_ERROR(apply_password_cost(password_cost, o.accounts));
  return o;
}

Status apply_password_cost(const std::string& cost, app::AccountsConfig& config) {
  if (cost == "interactive") {
    config.pwhash_ops = 2;
    config.pwhash_mem = 64u << 20;
  } else if (cost == "moderate") {
    config.pwhash_ops = 3;
    config.pwhash_mem = 256u << 20;
  } else if (cost == "min") {
    config.pwhash_ops = 1;
    config.pwhash_mem = 8192;
  } else {
    return Status::Invalid("--password-cost must be interactive, moderate or min");
  }
  return Status::Ok();
}

int run_server(store::Store& store, const Vault& vault, const server::ServiceOptions& options,
               const std::function<void(server::Service&, uint16_t)>& on_started) {
  server::Service service(store, vault, options);
  auto port = service.start();
  if (!port.ok()) return fail(port.status());
  service.stop_on_signals();
  on_started(service, *port);
  std::fflush(stdout);
  service.wait();
  std::printf("已停止 stopped\n");
  return kExitOk;
}

void add_serve_command(CLI::App& app, Context& ctx, int& exit_code) {
  static ServeFlags flags;
  auto* cmd = app.add_subcommand("serve", "服务 Serve the API and the dashboard over HTTP");
  flags.add_to(cmd);
  cmd->callback([&] {
    if (flags.db_wait > 0) store::postgres::set_connect_wait(std::chrono::seconds(flags.db_wait));
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto options = flags.options(ctx);
    if (!options.ok()) return void(exit_code = fail(options.status()));
    exit_code = run_server(*store, *ctx.vault(), *options, [&](server::Service& s, uint16_t port) {
      auto first = s.accounts().ensure_first_admin();
      if (!first.ok()) {
        fail(first.status());
        s.stop();
        return;
      }
      if (*first)
        std::printf(
            "首次启动：已创建管理员 first start: created the administrator\n"
            "  用户名 user: admin\n  密码 password: %s\n"
            "  (只显示这一次，请登录后修改 shown once; change it: fangxian user passwd admin)\n",
            (*first)->c_str());
      std::printf("防线 Fangxian serving on http://%s:%u/ (API under /api/v1)\n",
                  options->http.host.c_str(), port);
      if (options->web_root.empty())
        std::printf("  (no web front end found: build web/ or pass --web-root)\n");
    });
  });
}

}  // namespace fx::cli
