// fangxian inspect …: inspection and rectification (检查整改) from the command
// line, acting as the command centre; and `fangxian sim inspections`, the
// source-shaped scenario. docs/inspections.md.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/inspection_scenario.h"
#include "app/inspections.h"
#include "cli/context.h"

namespace fx::cli {
namespace {

void print(const std::string& s) { std::fputs(s.c_str(), stdout); }

// "a|b|c" → {"a", "b", "c"}.
std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

struct ListOptions {
  app::InspectionQuery q;
  std::string out;  // .xlsx or .csv
  bool json = false;
};

void add_list_options(CLI::App* cmd, ListOptions& o, bool with_status) {
  cmd->add_option("--round", o.q.round_id, "轮次 Only this inspection round");
  cmd->add_option("--institution", o.q.institution, "学校代码 Only this institution");
  if (with_status) cmd->add_option("--status", o.q.status, "open | submitted | closed | overdue");
  cmd->add_option("--today", o.q.today, "统计日期 The day for overdue / on site (YYYY-MM-DD)");
  cmd->add_option("--out", o.out, "导出 Write the list to FILE.xlsx or FILE.csv");
  cmd->add_flag("--json", o.json, "Print JSON");
}

// Prints the list, or writes it to o.out.
template <class List, class Json, class Write, class Line>
int show_list(const Result<List>& list, const ListOptions& o, Json to_json, Write write,
              Line line) {
  if (!list.ok()) return fail(list.status());
  if (!o.out.empty()) {
    if (!o.out.ends_with(".xlsx") && !o.out.ends_with(".csv"))
      return fail(Status::Invalid("--out: 应以 .xlsx 或 .csv 结尾 (FILE.xlsx or FILE.csv)"));
    Status s = write(*list, o.out);
    if (!s.ok()) return fail(s);
    std::fprintf(stderr, "写入 %zu 行 → %s\n", list->size(), o.out.c_str());
    return kExitOk;
  }
  if (o.json) {
    print(to_json(*list) + "\n");
    return kExitOk;
  }
  for (const auto& v : *list) print(line(v) + "\n");
  return kExitOk;
}

app::Caller caller(const char* route) { return app::cli_caller(std::string("inspect ") + route); }

}  // namespace

void add_inspect_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* ins = app.add_subcommand(
      "inspect", "检查整改 Inspections: rounds, findings, evidence, letters, supervisors");
  ins->require_subcommand(1);

  static app::NewInspectionRound round;
  auto* ra =
      ins->add_subcommand("round-add", "新增检查轮次 Add an inspection round; prints its id");
  ra->add_option("--name", round.name, "名称 Name (第一轮)")->required();
  ra->add_option("--start", round.start_date, "开始日期 Start date")->required();
  ra->add_option("--end", round.end_date, "结束日期 End date")->required();
  ra->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto id = app::add_inspection_round(*store, caller("round-add"), round);
    if (!id.ok()) return void(exit_code = fail(id.status()));
    std::printf("%lld\n", static_cast<long long>(*id));
  });

  auto* rl = ins->add_subcommand("rounds", "检查轮次 List the inspection rounds");
  rl->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto l = app::list_inspection_rounds(*store, caller("rounds"));
    if (!l.ok()) return void(exit_code = fail(l.status()));
    for (const auto& r : *l)
      std::printf("%lld\t%s\t%s\t%s\n", static_cast<long long>(r.id), r.name.c_str(),
                  r.start_date.c_str(), r.end_date.c_str());
  });

  static app::NewInspection rec;
  static std::vector<std::string> items, findings;
  auto* rc = ins->add_subcommand(
      "record", "登记检查 Record an inspection with its checklist and findings; prints the ids");
  rc->add_option("--round", rec.round_id, "轮次 Round id")->required();
  rc->add_option("--institution", rec.institution, "学校代码 Institution code")->required();
  rc->add_option("--inspector", rec.inspector, "检查人 Inspector(s)")->required();
  rc->add_option("--date", rec.date, "检查日期 Date")->required();
  rc->add_option("--summary", rec.summary, "检查意见 Summary");
  rc->add_option("--item", items, "检查项 'ITEM|pass' or 'ITEM|fail|note' (repeat)");
  rc->add_option("--finding", findings,
                 "问题 'CATEGORY|一般/较重/严重|DESCRIPTION|DEADLINE' (repeat)");
  rc->callback([&] {
    for (const auto& text : items) {
      auto parts = split(text, '|');
      if (parts.size() < 2 || (parts[1] != "pass" && parts[1] != "fail"))
        return void(exit_code = fail(Status::Invalid(
                        "--item: 应为 'ITEM|pass' 或 'ITEM|fail|note' “" + text + "”")));
      rec.items.push_back({parts[0], parts[1] == "pass", parts.size() > 2 ? parts[2] : ""});
    }
    for (const auto& text : findings) {
      auto parts = split(text, '|');
      if (parts.size() != 4)
        return void(
            exit_code = fail(Status::Invalid(
                "--finding: 应为 'CATEGORY|SEVERITY|DESCRIPTION|DEADLINE' “" + text + "”")));
      rec.findings.push_back({parts[0], parts[1], parts[2], parts[3]});
    }
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto added = app::record_inspection(*store, caller("record"), rec);
    if (!added.ok()) return void(exit_code = fail(added.status()));
    std::printf("检查 %lld\n", static_cast<long long>(added->inspection_id));
    for (size_t i = 0; i < added->finding_ids.size(); ++i)
      std::printf("整改问题 %lld%s\n", static_cast<long long>(added->finding_ids[i]),
                  i < added->directive_ids.size()
                      ? (" → 指令 " + std::to_string(added->directive_ids[i])).c_str()
                      : "");
    if (!added->directive_error.empty())
      std::fprintf(stderr, "指令未发出 (directives not sent): %s\n",
                   added->directive_error.c_str());
  });

  static ListOptions il;
  auto* li = ins->add_subcommand("list", "检查记录 Inspections, newest first");
  add_list_options(li, il, false);
  li->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    exit_code = show_list(
        app::list_inspections(*store, caller("list"), il.q), il, app::inspections_json,
        app::export_inspections, [](const app::InspectionView& v) {
          return std::to_string(v.row.id) + "\t" + v.round_name + "\t" + v.institution.code + "\t" +
                 v.institution.name + "\t" + v.row.inspected_on + "\t" + v.row.inspector +
                 "\t问题 " + std::to_string(v.findings);
        });
  });

  static ListOptions fl;
  auto* fs = ins->add_subcommand("findings", "整改问题 Findings with their status");
  add_list_options(fs, fl, true);
  fs->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    exit_code = show_list(
        app::list_findings(*store, caller("findings"), fl.q), fl, app::findings_json,
        app::export_findings, [](const app::FindingView& v) {
          return std::to_string(v.row.id) + "\t" + v.institution.code + "\t" + v.row.category +
                 "\t" + app::severity_name(v.row.severity) + "\t" + v.row.deadline + "\t" +
                 app::finding_status_name(v.row.status) + (v.overdue ? "\t逾期" : "");
        });
  });

  static int64_t show_id = 0;
  static bool show_json = false;
  auto* fsh = ins->add_subcommand("finding", "整改问题详情 One finding with its history");
  fsh->add_option("--id", show_id, "问题编号 Finding id")->required();
  fsh->add_flag("--json", show_json, "Print JSON");
  fsh->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto v = app::show_finding(*store, caller("finding"), show_id);
    if (!v.ok()) return void(exit_code = fail(v.status()));
    if (show_json) return print(app::finding_json(*v) + "\n");
    std::printf("%lld %s %s（%s）%s\n%s\n整改期限 %s%s\n", static_cast<long long>(v->row.id),
                v->institution.name.c_str(), v->row.category.c_str(),
                app::severity_name(v->row.severity), app::finding_status_name(v->row.status),
                v->row.description.c_str(), v->row.deadline.c_str(), v->overdue ? " 逾期" : "");
    for (const auto& e : v->history)
      std::printf("  %s\t%s\t%s → %s\t%s\t%s\n", e.at.c_str(), e.action.c_str(),
                  e.from_status.c_str(), e.to_status.c_str(), e.actor.c_str(), e.text.c_str());
  });

  static app::NewFinding nf;
  static int64_t nf_inspection = 0;
  auto* fa = ins->add_subcommand("finding-add", "追加问题 Add a finding to an inspection");
  fa->add_option("--inspection", nf_inspection, "检查编号 Inspection id")->required();
  fa->add_option("--category", nf.category, "类别 Category")->required();
  fa->add_option("--severity", nf.severity, "一般 | 较重 | 严重")->capture_default_str();
  fa->add_option("--description", nf.description, "问题描述 Description")->required();
  fa->add_option("--deadline", nf.deadline, "整改期限 Deadline (date)")->required();
  fa->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto added = app::add_finding(*store, caller("finding-add"), nf_inspection, nf);
    if (!added.ok()) return void(exit_code = fail(added.status()));
    std::printf("%lld\n", static_cast<long long>(added->finding_ids[0]));
    if (!added->directive_error.empty())
      std::fprintf(stderr, "指令未发出 (directive not sent): %s\n", added->directive_error.c_str());
  });

  static int64_t ev_id = 0;
  static std::string ev_text;
  static std::vector<std::string> ev_files;
  auto* ev = ins->add_subcommand("evidence", "提交整改材料 Submit evidence for a finding");
  ev->add_option("--id", ev_id, "问题编号 Finding id")->required();
  ev->add_option("--text", ev_text, "整改情况 What was done")->required();
  ev->add_option("--file", ev_files, "附件 A file to attach (repeat)")->check(CLI::ExistingFile);
  ev->callback([&] {
    std::vector<app::EvidenceUpload> uploads;
    for (const auto& path : ev_files) {
      std::ifstream in(path, std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      const auto slash = path.find_last_of('/');
      uploads.push_back(
          {slash == std::string::npos ? path : path.substr(slash + 1), "", bytes.str()});
    }
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    Status s = app::submit_evidence(*store, caller("evidence"), ev_id, ev_text, uploads);
    if (!s.ok()) return void(exit_code = fail(s));
    std::printf("整改问题 %lld: 待验收 (submitted)\n", static_cast<long long>(ev_id));
  });

  static int64_t vf_id = 0;
  static std::string vf_note, rt_reason;
  auto* vf = ins->add_subcommand("verify", "验收销号 Verify the evidence and close the finding");
  vf->add_option("--id", vf_id, "问题编号 Finding id")->required();
  vf->add_option("--note", vf_note, "验收意见 Note");
  vf->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    Status s = app::verify_finding(*store, caller("verify"), vf_id, true, vf_note);
    if (!s.ok()) return void(exit_code = fail(s));
    std::printf("整改问题 %lld: 已销号 (closed)\n", static_cast<long long>(vf_id));
  });
  auto* rt = ins->add_subcommand("return", "退回 Send the evidence back with a reason");
  rt->add_option("--id", vf_id, "问题编号 Finding id")->required();
  rt->add_option("--reason", rt_reason, "退回原因 Reason")->required();
  rt->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    Status s = app::verify_finding(*store, caller("return"), vf_id, false, rt_reason);
    if (!s.ok()) return void(exit_code = fail(s));
    std::printf("整改问题 %lld: 退回, 待整改 (open)\n", static_cast<long long>(vf_id));
  });

  static app::NewLetter letter;
  auto* lt = ins->add_subcommand("letter", "发提醒函 Issue a numbered reminder letter");
  lt->add_option("--institution", letter.institution, "学校代码 Institution")->required();
  lt->add_option("--finding", letter.findings, "关联问题 Finding id (repeat)");
  lt->add_option("--title", letter.title, "标题 Title")->required();
  lt->add_option("--body", letter.body, "正文 Body");
  lt->add_option("--date", letter.date, "发文日期 Date")->required();
  lt->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto l = app::issue_letter(*store, caller("letter"), letter);
    if (!l.ok()) return void(exit_code = fail(l.status()));
    std::printf("%lld\t%s\n", static_cast<long long>(l->id),
                app::letter_number_text(l->year, l->number).c_str());
  });

  static ListOptions ll;
  auto* ls = ins->add_subcommand("letters", "提醒函 Reminder letters by number");
  add_list_options(ls, ll, false);
  ls->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    exit_code = show_list(app::list_letters(*store, caller("letters"), ll.q), ll, app::letters_json,
                          app::export_letters, [](const app::LetterView& v) {
                            return std::to_string(v.row.id) + "\t" + v.number_text + "\t" +
                                   v.institution.code + "\t" + v.institution.name + "\t" +
                                   v.row.issued_on + "\t" + v.row.title;
                          });
  });

  static int64_t letter_id = 0;
  auto* lp = ins->add_subcommand("letter-text", "提醒函全文 Print a letter");
  lp->add_option("--id", letter_id, "提醒函编号 Letter id")->required();
  lp->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto t = app::letter_text(*store, caller("letter-text"), letter_id);
    if (!t.ok()) return void(exit_code = fail(t.status()));
    print(*t);
  });

  static app::NewSupervisor sup;
  auto* sa = ins->add_subcommand("supervisor", "派驻督导员 Assign an on-site supervisor");
  sa->add_option("--name", sup.name, "姓名 Name")->required();
  sa->add_option("--organisation", sup.organisation, "派出单位 Organisation");
  sa->add_option("--institution", sup.institution, "学校代码 Institution")->required();
  sa->add_option("--start", sup.start_date, "开始日期 Start date")->required();
  sa->add_option("--end", sup.end_date, "结束日期 End date");
  sa->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto id = app::assign_supervisor(*store, caller("supervisor"), sup);
    if (!id.ok()) return void(exit_code = fail(id.status()));
    std::printf("%lld\n", static_cast<long long>(*id));
  });

  static ListOptions sl;
  auto* ss = ins->add_subcommand("supervisors", "驻点督导员 On-site supervisors");
  add_list_options(ss, sl, false);
  ss->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    exit_code = show_list(
        app::list_supervisors(*store, caller("supervisors"), sl.q), sl, app::supervisors_json,
        app::export_supervisors, [](const app::SupervisorView& v) {
          return std::to_string(v.row.id) + "\t" + v.row.name + "\t" + v.row.organisation + "\t" +
                 v.institution.code + "\t" + v.institution.name + "\t" + v.row.start_date + "—" +
                 v.row.end_date + (v.on_site ? "\t在岗" : "");
        });
  });

  static std::string fig_today;
  static bool fig_json = false;
  auto* fg = ins->add_subcommand("figures", "检查整改数据 The source's figures");
  fg->add_option("--today", fig_today, "统计日期 The day (YYYY-MM-DD; default today)");
  fg->add_flag("--json", fig_json, "Print JSON");
  fg->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto f = app::inspection_figures(*store, caller("figures"), fig_today);
    if (!f.ok()) return void(exit_code = fail(f.status()));
    print(fig_json ? app::inspection_figures_json(*f) + "\n" : app::inspection_figures_text(*f));
  });

  auto* sim = app.get_subcommand("sim")->add_subcommand(
      "inspections",
      "督导检查情景 The source's supervision: 4 rounds over every institution, 37 findings, 23 "
      "letters, 36 supervisors (on a store with institutions and no rounds yet)");
  sim->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    const app::Caller c = app::cli_caller("sim inspections");
    auto s = app::run_inspection_scenario(*store, c);
    if (!s.ok()) return void(exit_code = fail(s.status()));
    if (!s->directive_error.empty())
      std::fprintf(stderr, "指令未发出 (directives not sent): %s\n", s->directive_error.c_str());
    auto f = app::inspection_figures(*store, c, s->end_date);
    if (!f.ok()) return void(exit_code = fail(f.status()));
    print(app::inspection_figures_text(*f));
  });
}

}  // namespace fx::cli
