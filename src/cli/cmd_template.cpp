// fangxian template roster|institutions --out FILE
#include <cstdio>

#include "app/templates.h"
#include "cli/context.h"

namespace fx::cli {

void add_template_command(CLI::App& app, Context& ctx, int& exit_code) {
  static std::string kind, out;
  auto* cmd = app.add_subcommand("template", "导出空白导入模板 Write an empty import template");
  cmd->add_option("KIND", kind, "roster or institutions")
      ->required()
      ->check(CLI::IsMember({"roster", "institutions"}));
  cmd->add_option("--out", out, "FILE.xlsx, or FILE.csv for UTF-8 CSV")->required();
  cmd->callback([&] {
    Status s = app::write_template(kind, out);
    if (!s.ok()) return void(exit_code = fail(s));
    std::printf("%s\n", out.c_str());
  });
}

}  // namespace fx::cli
