// fangxian bench presence-load: how long the trace loader takes on this store.
#include <sys/resource.h>

#include <cstdio>

#include "app/trace_loader.h"
#include "cli/context.h"

namespace fx::cli {

void add_presence_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* cmd = app.get_subcommand("bench")->add_subcommand(
      "presence-load", "同处数据装载计时 Time loading the store's presence data for tracing");
  cmd->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto loaded = app::load_presence(*store);
    if (!loaded.ok()) return void(exit_code = fail(loaded.status()));
    const auto& d = loaded->data;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf(
        "people %u, places %zu, groups %u, memberships %zu\n"
        "timetable entries %ld → class and dorm sessions %zu (nights %ld)\n"
        "swipes %ld → stays %zu; pair contacts %zu\n"
        "load %.2f s, peak RSS %.0f MiB\n",
        d.people, d.place_kinds.size(), d.groups, d.memberships.size(), loaded->timetable_entries,
        d.sessions.size(), static_cast<long>(loaded->last_night - loaded->first_night + 1),
        loaded->swipes, d.stays.size(), d.pairs.size(), loaded->seconds, usage.ru_maxrss / 1024.0);
  });
}

}  // namespace fx::cli
