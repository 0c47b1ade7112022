// fangxian directive send|from-missed|list|show|ack|done|accept|return|escalate:
// the directives loop from the command line, acting as the command centre.
#include <cstdio>

#include "app/directive_reports.h"
#include "app/directives.h"
#include "cli/context.h"

namespace fx::cli {
namespace {

void print(const std::string& s) { std::fputs(s.c_str(), stdout); }

std::vector<std::string> split_codes(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(",,", start);
    if (end == std::string::npos) end = text.size();
    std::string code = text.substr(start, end - start);
    if (!code.empty()) out.push_back(code);
    start = end + 1;
  }
  return out;
}

struct ActOptions {
  int64_t id = 0;
  std::string institution, feedback, reason;
  bool json = false;
};

void add_act(CLI::App* parent, Context& ctx, int& exit_code, const char* name, const char* help,
             domain::DirectiveAction action) {
  static ActOptions options[5];  // static like the other commands' options: one per action
  ActOptions* o = &options[static_cast<int>(action)];
  auto* cmd = parent->add_subcommand(name, help);
  cmd->add_option("--id", o->id, "指令编号 Directive id")->required();
  cmd->add_option("--recipient,--institution", o->institution,
                  "接收方 Recipient: 学校代码, group:人员管控 or liaison:<username>")
      ->required();
  if (action == domain::DirectiveAction::done)
    cmd->add_option("--feedback", o->feedback, "办结反馈 Feedback (required)")->required();
  if (action == domain::DirectiveAction::send_back)
    cmd->add_option("--reason", o->reason, "退回原因 Reason (required)")->required();
  cmd->callback([&ctx, &exit_code, o, action] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    const std::string& text =
        action == domain::DirectiveAction::send_back ? o->reason : o->feedback;
    Status s = app::act_on_directive(*store, app::cli_caller("directive"), o->id, o->institution,
                                     action, text);
    if (!s.ok()) return void(exit_code = fail(s));
    std::printf("指令 %lld %s: %s\n", static_cast<long long>(o->id), o->institution.c_str(),
                domain::directive_action_code(action));
  });
}

}  // namespace

void add_directive_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* dir = app.add_subcommand("directive", "指令 Directives: send, track, acknowledge, accept");
  dir->require_subcommand(1);

  static app::SendDirective send;
  static std::string to;
  auto* s = dir->add_subcommand("send", "发送指令 Send a directive; prints its id");
  s->add_option("--title", send.title, "标题 Title")->required();
  s->add_option("--body", send.body, "正文 Body");
  s->add_option("--to", to,
                "接收方 Recipients: 学校代码, group:<工作组>, liaison:<username or 学校代码>, "
                "comma-separated; or all (every institution)")
      ->required();
  s->add_option("--priority", send.priority, "普通 | 紧急 | 特急 (normal, urgent, critical)")
      ->capture_default_str();
  s->add_option("--deadline", send.deadline,
                "截止时间, 北京时间 Deadline, local ('2022-03-11 18:00')");
  s->callback([&] {
    send.to = split_codes(to);
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto id = app::send_directive(*store, app::cli_caller("directive send"), send);
    if (!id.ok()) return void(exit_code = fail(id.status()));
    std::printf("%lld\n", static_cast<long long>(*id));
  });

  static app::FromMissed fm;
  auto* m = dir->add_subcommand(
      "from-missed",
      "漏检名单转指令 One directive per institution with people not yet sampled in a round; "
      "prints the ids");
  m->add_option("--round", fm.round_id, "轮次 Round id")->required();
  m->add_option("--deadline", fm.deadline, "截止时间 Deadline, local ('2022-03-11 18:00')");
  m->add_option("--priority", fm.priority, "普通 | 紧急 | 特急")->capture_default_str();
  m->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto ids = app::directives_from_missed(*store, app::cli_caller("directive from-missed"), fm);
    if (!ids.ok()) return void(exit_code = fail(ids.status()));
    for (int64_t id : *ids) std::printf("%lld\n", static_cast<long long>(id));
    std::fprintf(stderr, "发出 %zu 条指令 (%zu directives)\n", ids->size(), ids->size());
  });

  static std::string list_inst, list_out;
  static bool list_json = false;
  auto* l = dir->add_subcommand("list", "指令列表 Directives, newest first, with their figures");
  l->add_option("--recipient,--institution", list_inst,
                "只看此接收方 Only this recipient (学校代码, group:<工作组>, liaison:<username>)");
  l->add_flag("--json", list_json, "Print JSON");
  l->add_option("--out", list_out, "导出 Write the list to a .xlsx or .csv file");
  l->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto list = app::list_directives(*store, app::cli_caller("directive list"), list_inst);
    if (!list.ok()) return void(exit_code = fail(list.status()));
    if (!list_out.empty()) {
      Status s = app::export_directive_list(*list, list_out);
      if (!s.ok()) return void(exit_code = fail(s));
      return print(list_out + "\n");
    }
    if (list_json) return print(app::directives_json(*list) + "\n");
    for (const auto& v : *list) {
      const auto& x = v.summary;
      std::printf("%lld\t%s\t接收 %d\t确认 %d\t办结 %d\t逾期 %d\n",
                  static_cast<long long>(v.directive.id), v.directive.title.c_str(), x.recipients,
                  x.acknowledged, x.done, x.overdue);
    }
  });

  static int64_t show_id = 0;
  static bool show_json = false;
  static std::string show_out;
  auto* sh = dir->add_subcommand("show", "指令详情 One directive: recipients, clocks, history");
  sh->add_option("--id", show_id, "指令编号 Directive id")->required();
  sh->add_flag("--json", show_json, "Print JSON");
  sh->add_option("--out", show_out, "导出接收方 Write the recipients to a .xlsx or .csv file");
  sh->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto v = app::show_directive(*store, app::cli_caller("directive show"), show_id);
    if (!v.ok()) return void(exit_code = fail(v.status()));
    if (!show_out.empty()) {
      Status s = app::export_directive_recipients(*v, show_out);
      if (!s.ok()) return void(exit_code = fail(s));
      return print(show_out + "\n");
    }
    print(show_json ? app::directive_json(*v) + "\n" : app::directive_text(*v));
  });

  static bool stats_json = false;
  static std::string stats_out;
  auto* st = dir->add_subcommand(
      "stats", "办理用时 Time to acknowledge and to complete, per directive and per institution");
  st->add_flag("--json", stats_json, "Print JSON");
  st->add_option("--out", stats_out, "导出 Write the per-institution figures to .xlsx or .csv");
  st->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto s = app::directive_stats(*store, app::cli_caller("directive stats"));
    if (!s.ok()) return void(exit_code = fail(s.status()));
    if (!stats_out.empty()) {
      Status w = app::export_directive_stats(*s, stats_out);
      if (!w.ok()) return void(exit_code = fail(w));
      return print(stats_out + "\n");
    }
    print(stats_json ? app::directive_stats_json(*s) + "\n" : app::directive_stats_text(*s));
  });

  using A = domain::DirectiveAction;
  add_act(dir, ctx, exit_code, "ack", "确认接收 Acknowledge for an institution", A::acknowledge);
  add_act(dir, ctx, exit_code, "done", "办结反馈 Report done with feedback", A::done);
  add_act(dir, ctx, exit_code, "accept", "验收 Accept the feedback", A::accept);
  add_act(dir, ctx, exit_code, "return", "退回 Send the feedback back with a reason", A::send_back);

  auto* e = dir->add_subcommand(
      "escalate", "逾期升级 Flag every overdue recipient to the sender's group lead or command");
  e->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto n = app::escalate_overdue(*store, app::cli_caller("directive escalate"));
    if (!n.ok()) return void(exit_code = fail(n.status()));
    std::printf("升级 %d 项 (%d escalated)\n", *n, *n);
  });
}

}  // namespace fx::cli
