// fangxian migrate --from sqlite:PATH --to postgresql://…
#include "cli/cmd_migrate.h"

#include <cstdio>

#include "store/copy_district.h"
#include "store/postgres/pg_conn.h"

namespace fx::cli {

void add_migrate_command(CLI::App& app, Context& ctx, int& exit_code) {
  static std::string from, to;
  auto* cmd = app.add_subcommand(
      "migrate", "迁移到 PostgreSQL Copy a district from a SQLite file into an empty PostgreSQL");
  cmd->add_option("--from", from, "The SQLite database: sqlite:PATH (or PATH)")->required();
  cmd->add_option("--to", to, "The PostgreSQL database: postgresql://…")->required();
  cmd->callback([&] {
    std::string path = from.starts_with("sqlite:") ? from.substr(7) : from;
    if (!to.starts_with("postgresql://") && !to.starts_with("postgres://")) {
      std::fprintf(stderr, "fangxian: --to must be a postgresql:// URL\n");
      return void(exit_code = kExitUsage);
    }
    // The key that sealed the district: --key, else fangxian.key beside the SQLite file.
    if (ctx.key.empty()) {
      ctx.db = path;
      ctx.key = ctx.key_path();
    }
    const Vault* vault = ctx.vault();
    if (!vault) return void(exit_code = kExitFailed);
    auto copies = store::copy_district(path, to, *vault);
    if (!copies.ok()) return void(exit_code = fail(copies.status()));
    int64_t total = 0;
    for (const auto& c : *copies) {
      std::printf("%-24s %10lld rows  (checked: %lld in both)\n", c.table.c_str(),
                  static_cast<long long>(c.target_rows), static_cast<long long>(c.source_rows));
      total += c.target_rows;
    }
    std::printf("copied %lld rows into %s; serve it with: fangxian --db <the URL> --key %s serve\n",
                static_cast<long long>(total), store::postgres::PgConnection::describe(to).c_str(),
                ctx.key.c_str());
  });
}

}  // namespace fx::cli
