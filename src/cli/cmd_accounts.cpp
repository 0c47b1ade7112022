// fangxian user add|passwd|list|disable|enable, token add|revoke|list, audit.
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>

#include "app/accounts.h"
#include "cli/context.h"
#include "cli/serve_options.h"

namespace fx::cli {
namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Reads a password from the first line of standard input.
std::string read_password_line() {
  std::string line;
  std::getline(std::cin, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

struct UserFlags {
  std::string name, role, group, institution, colleges, display_name;
  bool password_stdin = false, json = false;
  std::string password_cost = "interactive";
};

struct TokenFlags {
  std::string name, user, scopes;
  int days = 365;
  int64_t id = 0;
  bool json = false;
};

struct AuditFlags {
  bool json = false;
  int limit = 100;
  std::string actor, action;
};

std::unique_ptr<app::Accounts> open_accounts(Context& ctx, const std::string& cost,
                                             int& exit_code) {
  auto* store = ctx.store();
  if (!store) {
    exit_code = kExitFailed;
    return nullptr;
  }
  app::AccountsConfig cfg;
  if (Status s = apply_password_cost(cost, cfg); !s.ok()) {
    exit_code = fail(s);
    return nullptr;
  }
  return std::make_unique<app::Accounts>(*store, *ctx.vault(), cfg);
}

}  // namespace

void add_account_commands(CLI::App& app, Context& ctx, int& exit_code) {
  static UserFlags uf;
  static TokenFlags tf;
  static AuditFlags af;

  auto* user = app.add_subcommand("user", "账号 Manage accounts");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Add an account (prints a generated password)");
  add->add_option("name", uf.name, "User name (a-z 0-9 . _ -)")->required();
  add->add_option("--role", uf.role, "command, group, institution, liaison or viewer")->required();
  add->add_option("--group", uf.group,
                  "For role group: 综合调度, 人员管控, 物资保障, 舆论引导, 监督检查 or 教学保障");
  add->add_option("--institution", uf.institution, "For role institution: the 学校代码");
  add->add_option("--colleges", uf.colleges, "For role liaison: 学校代码 list, comma-separated");
  add->add_option("--display-name", uf.display_name, "Name shown in the dashboard");
  add->add_flag("--password-stdin", uf.password_stdin, "Read the password from standard input");
  add->add_option("--password-cost", uf.password_cost, "argon2id cost")->capture_default_str();
  add->callback([&] {
    auto accounts = open_accounts(ctx, uf.password_cost, exit_code);
    if (!accounts) return;
    app::NewUser n{uf.name,
                   uf.display_name,
                   uf.role,
                   uf.group,
                   uf.institution,
                   split_list(uf.colleges),
                   uf.password_stdin ? read_password_line() : ""};
    auto pw = accounts->add_user(n, app::cli_caller("cli user add"));
    if (!pw.ok()) return void(exit_code = fail(pw.status()));
    std::printf("已添加 added %s (%s)\n", uf.name.c_str(), uf.role.c_str());
    if (!uf.password_stdin) std::printf("密码 password (shown once): %s\n", pw->c_str());
  });

  auto* passwd =
      user->add_subcommand("passwd", "Set a new password (generated unless --password-stdin)");
  passwd->add_option("name", uf.name, "User name")->required();
  passwd->add_flag("--password-stdin", uf.password_stdin, "Read the password from standard input");
  passwd->add_option("--password-cost", uf.password_cost, "argon2id cost")->capture_default_str();
  passwd->callback([&] {
    auto accounts = open_accounts(ctx, uf.password_cost, exit_code);
    if (!accounts) return;
    auto pw = accounts->set_password(uf.name, uf.password_stdin ? read_password_line() : "",
                                     app::cli_caller("cli user passwd"));
    if (!pw.ok()) return void(exit_code = fail(pw.status()));
    std::printf("已更新 password set for %s; their sessions are ended\n", uf.name.c_str());
    if (!uf.password_stdin) std::printf("密码 password (shown once): %s\n", pw->c_str());
  });

  for (bool disable : {true, false}) {
    auto* cmd = user->add_subcommand(
        disable ? "disable" : "enable",
        disable ? "Disable an account (ends its sessions)" : "Enable a disabled account");
    cmd->add_option("name", uf.name, "User name")->required();
    cmd->callback([&, disable] {
      auto accounts = open_accounts(ctx, uf.password_cost, exit_code);
      if (!accounts) return;
      Status s = accounts->set_disabled(
          uf.name, disable, app::cli_caller(disable ? "cli user disable" : "cli user enable"));
      if (!s.ok()) return void(exit_code = fail(s));
      std::printf("%s %s\n", disable ? "已停用 disabled" : "已启用 enabled", uf.name.c_str());
    });
  }

  auto* list = user->add_subcommand("list", "List accounts");
  list->add_flag("--json", uf.json, "As JSON");
  list->callback([&] {
    auto accounts = open_accounts(ctx, uf.password_cost, exit_code);
    if (!accounts) return;
    auto users = accounts->list_users();
    if (!users.ok()) return void(exit_code = fail(users.status()));
    boost::json::array a;
    for (const auto& u : *users) {
      if (uf.json) {
        a.push_back({{"username", u.username},
                     {"display_name", u.display_name},
                     {"role", u.role},
                     {"task_group", u.task_group},
                     {"disabled", u.disabled},
                     {"created_at", u.created_at}});
        continue;
      }
      std::printf("%-20s %-12s %-10s %s%s\n", u.username.c_str(), u.role.c_str(),
                  u.task_group.c_str(), u.display_name.c_str(),
                  u.disabled ? "  [停用 disabled]" : "");
    }
    if (uf.json) std::printf("%s\n", boost::json::serialize(a).c_str());
  });

  auto* token = app.add_subcommand("token", "API 令牌 Manage API tokens for machine clients");
  token->require_subcommand(1);
  auto* tadd = token->add_subcommand("add", "Create a token (prints its secret once)");
  tadd->add_option("--name", tf.name, "What the token is for")->required();
  tadd->add_option("--user", tf.user, "The account whose rights it carries")->required();
  tadd->add_option("--scopes", tf.scopes,
                   "Comma-separated: figures.read, people.list, person.read_full, imports.read, "
                   "imports.write, accounts.admin, audit.read (default: all of the user's)");
  tadd->add_option("--days", tf.days, "Days until it expires (0: never)")->capture_default_str();
  tadd->callback([&] {
    auto accounts = open_accounts(ctx, "interactive", exit_code);
    if (!accounts) return;
    auto t = accounts->create_token({tf.name, tf.user, split_list(tf.scopes), tf.days},
                                    app::cli_caller("cli token add"));
    if (!t.ok()) return void(exit_code = fail(t.status()));
    std::printf("令牌 token %lld created for %s\n", static_cast<long long>(t->first.id),
                t->first.username.c_str());
    std::printf("secret (shown once; send as Authorization: Bearer <secret>):\n%s\n",
                t->second.c_str());
  });
  auto* trevoke = token->add_subcommand("revoke", "Revoke a token");
  trevoke->add_option("id", tf.id, "Token id")->required();
  trevoke->callback([&] {
    auto accounts = open_accounts(ctx, "interactive", exit_code);
    if (!accounts) return;
    Status s = accounts->revoke_token(tf.id, app::cli_caller("cli token revoke"));
    if (!s.ok()) return void(exit_code = fail(s));
    std::printf("已撤销 revoked token %lld\n", static_cast<long long>(tf.id));
  });
  auto* tlist = token->add_subcommand("list", "List tokens (never their secrets)");
  tlist->callback([&] {
    auto accounts = open_accounts(ctx, "interactive", exit_code);
    if (!accounts) return;
    auto tokens = accounts->list_tokens();
    if (!tokens.ok()) return void(exit_code = fail(tokens.status()));
    for (const auto& t : *tokens) {
      std::string scopes;
      for (const auto& s : t.scopes) scopes += (scopes.empty() ? "" : ",") + s;
      std::printf("%-4lld %-24s %-12s %-10s %s\n", static_cast<long long>(t.id), t.name.c_str(),
                  t.username.c_str(), t.revoked_at.empty() ? "active" : "revoked", scopes.c_str());
    }
  });

  auto* audit = app.add_subcommand("audit", "审计 The audit log, newest first");
  audit->add_flag("--json", af.json, "One JSON object per line");
  audit->add_option("--limit", af.limit, "Entries")->capture_default_str();
  audit->add_option("--actor", af.actor, "Only this actor");
  audit->add_option("--action", af.action, "Only this action (person.read, login, …)");
  audit->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    store::AuditQuery q;
    q.limit = af.limit;
    q.actor = af.actor;
    q.action = af.action;
    auto entries = store->accounts().list_audit(q);
    if (!entries.ok()) return void(exit_code = fail(entries.status()));
    for (const auto& e : *entries) {
      if (af.json) {
        boost::json::object o{{"id", e.id},
                              {"at", e.at},
                              {"actor", e.actor},
                              {"action", e.action},
                              {"route", e.route},
                              {"subject_kind", e.subject_kind},
                              {"subject_id", e.subject_id},
                              {"institution_id", e.institution_id},
                              {"detail", e.detail},
                              {"remote", e.remote}};
        std::printf("%s\n", boost::json::serialize(o).c_str());
      } else {
        std::printf("%-6lld %s %-16s %-14s %s %s:%lld %s\n", static_cast<long long>(e.id),
                    e.at.c_str(), e.actor.c_str(), e.action.c_str(), e.route.c_str(),
                    e.subject_kind.c_str(), static_cast<long long>(e.subject_id), e.detail.c_str());
      }
    }
  });
}

}  // namespace fx::cli
