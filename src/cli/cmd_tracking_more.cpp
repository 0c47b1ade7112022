// fangxian tracking notices|add: quarantine notices (隔离告知书) as one PDF,
// and key people of the categories no trace finds (risk-area returnees,
// symptomatic people).
#include <cstdio>
#include <fstream>

#include "app/notices.h"
#include "app/presence_time.h"
#include "app/tracking_add.h"
#include "cli/context.h"

namespace fx::cli {

void add_tracking_more_commands(CLI::App& tracking, Context& ctx, int& exit_code) {
  static app::NoticeQuery nq;
  static std::string notices_out;
  auto* notices = tracking.add_subcommand(
      "notices", "隔离告知书 Quarantine notices: one PDF page per key person in quarantine");
  notices->add_option("--institution", nq.institution, "学校代码 (default: every institution)");
  notices->add_option("--case", nq.case_id, "Only the people this case listed or met");
  notices->add_option("--out", notices_out, "FILE.pdf")->required();
  notices->callback([&] {
    if (!notices_out.ends_with(".pdf"))
      return void(exit_code = kExitUsage + 0 * fail(Status::Invalid("--out: 应为 .pdf 文件")));
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto batch = app::quarantine_notices(*store, app::cli_caller("cli tracking notices"), nq);
    if (!batch.ok()) return void(exit_code = fail(batch.status()));
    std::ofstream f(notices_out, std::ios::binary | std::ios::trunc);
    f.write(batch->pdf.data(), static_cast<std::streamsize>(batch->pdf.size()));
    f.close();
    if (!f) return void(exit_code = fail(Status::IoError("cannot write " + notices_out)));
    std::printf("隔离告知书 %ld 份 notices written to %s (%zu bytes)\n", batch->people,
                notices_out.c_str(), batch->pdf.size());
  });

  static app::KeyPersonRequest add;
  static bool add_json = false;
  auto* cmd = tracking.add_subcommand(
      "add", "列入跟踪表 Add a risk-area returnee or a symptomatic person (plan from the policy)");
  cmd->add_option("--person", add.person, "证件号码, or 学校代码:学号/工号")->required();
  cmd->add_option("--category", add.category,
                  "returnee (中高风险地区返校人员) | symptomatic (有症状人员)")
      ->required();
  cmd->add_option("--since", add.since, "Returned, or symptoms began: YYYY-MM-DD")->required();
  cmd->add_option("--area", add.area, "The risk area, or the symptoms");
  cmd->add_option("--policy", add.policy, "Policy id (default covid-8th)");
  cmd->add_flag("--json", add_json, "Print the row as JSON");
  cmd->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto row = app::add_key_person(*store, *ctx.vault(), app::cli_caller("cli tracking add"), add);
    if (!row.ok()) return void(exit_code = fail(row.status()));
    if (add_json) return void(std::printf("%s\n", app::tracking_row_json(*row).c_str()));
    std::printf("重点人员 key person %lld: %s %s, %s 至 %s, 检测 %zu 次 tests\n",
                static_cast<long long>(row->key.id), row->name.c_str(), row->key.category.c_str(),
                row->key.quarantine_kind.c_str(), app::local_text(row->key.planned_end).c_str(),
                row->tests.size());
  });
}

}  // namespace fx::cli
