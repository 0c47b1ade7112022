// fangxian migrate: declared apart from context.h so adding it rebuilds only main.cpp.
#pragma once

#include "cli/context.h"

namespace fx::cli {

void add_migrate_command(CLI::App& app, Context& ctx, int& exit_code);

}  // namespace fx::cli
