// fangxian round create|table|missed|retest|close|exempt|correct|conflicts|trend,
// and the round imports: import sampling|results --round ID FILE.
#include <boost/json.hpp>
#include <cstdio>

#include "app/auto_confirm.h"
#include "app/rounds.h"
#include "app/rounds_board.h"
#include "cli/context.h"
#include "sim/test_round.h"

namespace fx::cli {

void add_bench_round_command(CLI::App& bench, Context& ctx, int& exit_code);  // cmd_bench_round.cpp

namespace {

void print(const std::string& s) { std::fputs(s.c_str(), stdout); }

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

// "all", "institutions:C1,C2", "units:3,4", "people:7,8".
Status parse_scope(const std::string& text, app::CreateRound& req) {
  size_t colon = text.find(':');
  std::string kind = text.substr(0, colon);
  if (!domain::parse_round_scope_kind(kind, req.scope))
    return Status::Invalid("--scope: all, institutions:CODE,…, units:ID,… or people:ID,…");
  if (colon != std::string::npos) req.scope_values = split_list(text.substr(colon + 1));
  return Status::Ok();
}

// Loads the roster snapshot and one round into a board.
Result<app::RoundBoard> board_for(store::Store& store, int64_t round_id) {
  auto board = app::RoundBoard::load(store);
  if (!board.ok()) return board.status();
  FX_RETURN_IF_ERROR(board->load_round(store, round_id));
  return board;
}

std::string people_json(const std::vector<app::ListedPerson>& people, const char* key,
                        const std::string& extra_key = "", long extra = 0) {
  boost::json::object o;
  boost::json::array arr;
  for (const auto& p : people)
    arr.push_back(boost::json::object{{"person_id", p.person_id},
                                      {"institution_code", p.institution_code},
                                      {"institution_name", p.institution_name},
                                      {"unit_path", p.unit_path},
                                      {"name", p.name},
                                      {"person_code", p.person_code},
                                      {"id_masked", p.id_masked},
                                      {"status", domain::person_status_code(p.status)}});
  o["count"] = people.size();
  if (!extra_key.empty()) o[extra_key] = extra;
  o[key] = std::move(arr);
  return boost::json::serialize(o) + "\n";
}

std::string people_text(const std::vector<app::ListedPerson>& people) {
  std::string out;
  for (const auto& p : people)
    out += p.institution_code + "\t" + p.institution_name + "\t" + p.unit_path + "\t" + p.name +
           "\t" + p.person_code + "\t" + p.id_masked + "\t" + domain::person_status_name(p.status) +
           "\n";
  out += "共 " + std::to_string(people.size()) + " 人 (" + std::to_string(people.size()) +
         " people)\n";
  return out;
}

}  // namespace

void add_round_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* round = app.add_subcommand("round", "核酸检测轮次 Test rounds and the statistics table");
  round->require_subcommand(1);

  // round create
  static app::CreateRound req;
  static std::string scope = "all";
  auto* create = round->add_subcommand("create", "新建检测轮次 Create a round; prints its id");
  create->add_option("--name", req.name, "Name (第3轮全员核酸)")->required();
  create->add_option("--date", req.date, "Date (2022-03-10)")->required();
  create->add_option("--pool", req.pool_size, "People per tube: 1, 5, 10 or 20")
      ->capture_default_str();
  create->add_option("--scope", scope, "all | institutions:CODE,CODE | units:ID,ID | people:ID,ID")
      ->capture_default_str();
  create->add_option("--deadline", req.deadline,
                     "Sampling deadline, local time (2022-03-10 18:00)");
  create->add_option("--actor", req.actor, "Who creates it")->capture_default_str();
  create->callback([&] {
    if (Status s = parse_scope(scope, req); !s.ok())
      return void(exit_code = kExitUsage + 0 * fail(s));
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto id = app::create_round(*store, req);
    if (!id.ok()) return void(exit_code = fail(id.status()));
    std::printf("%lld\n", static_cast<long long>(*id));
  });

  // round table
  static int64_t round_id = 0;
  static std::string by = "institution", out, inst_code;
  static bool json = false;
  auto* table = round->add_subcommand("table", "核酸检测统计表 The statistics table of a round");
  table->add_option("--round", round_id, "Round id")->required();
  table->add_option("--by", by, "institution | unit")
      ->check(CLI::IsMember({"institution", "unit"}))
      ->capture_default_str();
  table->add_option("--institution", inst_code, "Only this institution (学校代码)");
  table->add_flag("--json", json, "Print JSON: rows and total");
  table->add_option("--out", out, "Also write the table: FILE.xlsx (as printed) or FILE.csv");
  table->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto board = board_for(*store, round_id);
    if (!board.ok()) return void(exit_code = fail(board.status()));
    int64_t inst = 0;
    if (!inst_code.empty() && !(inst = board->institution_id(inst_code)))
      return void(exit_code = fail(Status::NotFound("unknown institution " + inst_code)));
    auto t =
        board->table(round_id, by == "unit" ? app::TableBy::unit : app::TableBy::institution, inst);
    if (!out.empty()) {
      if (Status s = app::export_table(t, out); !s.ok()) return void(exit_code = fail(s));
    }
    print(json ? app::table_json(t) + "\n" : app::table_text(t));
  });

  // round missed
  static std::string missed_inst;
  static bool missed_json = false;
  static int64_t missed_round = 0;
  auto* missed = round->add_subcommand(
      "missed", "漏检名单 People due and not sampled (missed once the deadline has passed)");
  missed->add_option("--round", missed_round, "Round id")->required();
  missed->add_option("--institution", missed_inst, "Only this institution (学校代码)");
  missed->add_flag("--json", missed_json, "Print JSON");
  missed->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto board = board_for(*store, missed_round);
    if (!board.ok()) return void(exit_code = fail(board.status()));
    int64_t inst = 0;
    if (!missed_inst.empty() && !(inst = board->institution_id(missed_inst)))
      return void(exit_code = fail(Status::NotFound("unknown institution " + missed_inst)));
    auto people = board->list(*store, missed_round,
                              {domain::PersonStatus::due, domain::PersonStatus::missed}, inst);
    if (!people.ok()) return void(exit_code = fail(people.status()));
    print(missed_json ? people_json(*people, "people") : people_text(*people));
  });

  // round retest
  static int64_t retest_round = 0;
  static bool retest_json = false;
  auto* retest = round->add_subcommand(
      "retest",
      "复核名单 Members of positive pools (single-tube re-test due) and invalid tubes (re-sample)");
  retest->add_option("--round", retest_round, "Round id")->required();
  retest->add_flag("--json", retest_json, "Print JSON");
  retest->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto board = board_for(*store, retest_round);
    if (!board.ok()) return void(exit_code = fail(board.status()));
    auto people = board->list(*store, retest_round,
                              {domain::PersonStatus::pool_positive, domain::PersonStatus::invalid});
    if (!people.ok()) return void(exit_code = fail(people.status()));
    print(retest_json ? people_json(*people, "people") : people_text(*people));
  });

  // round close
  static int64_t close_round = 0;
  static std::string close_actor = "cli";
  auto* close =
      round->add_subcommand("close", "关闭轮次 Close a round: unsampled people become missed");
  close->add_option("--round", close_round, "Round id")->required();
  close->add_option("--actor", close_actor, "Who closes it")->capture_default_str();
  close->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    if (Status s = app::close_round(*store, close_round, close_actor); !s.ok())
      return void(exit_code = fail(s));
    std::printf("closed round %lld\n", static_cast<long long>(close_round));
  });

  // round exempt
  static int64_t ex_round = 0, ex_person = 0;
  static std::string ex_reason, ex_note, ex_actor = "cli";
  auto* exempt = round->add_subcommand("exempt", "免检 Exempt a due person with a reason");
  exempt->add_option("--round", ex_round, "Round id")->required();
  exempt->add_option("--person", ex_person, "Person id")->required();
  exempt
      ->add_option("--reason", ex_reason, "住院 in_hospital | 已是病例 already_case | 已离开 left")
      ->required();
  exempt->add_option("--note", ex_note, "A note");
  exempt->add_option("--actor", ex_actor, "Who exempts")->capture_default_str();
  exempt->callback([&] {
    domain::ExemptReason reason;
    if (!domain::parse_exempt_reason(ex_reason, reason))
      return void(exit_code = kExitUsage + 0 * fail(Status::Invalid(
                                                   "--reason: in_hospital, already_case or left")));
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    if (Status s = app::exempt_person(*store, ex_round, ex_person, reason, ex_note, ex_actor);
        !s.ok())
      return void(exit_code = fail(s));
    std::printf("exempted person %lld\n", static_cast<long long>(ex_person));
  });

  // round correct
  static int64_t co_round = 0;
  static std::string co_tube, co_result, co_by, co_reason;
  auto* correct =
      round->add_subcommand("correct", "更正结果 Correct a reported result (who and why are kept)");
  correct->add_option("--round", co_round, "Round id")->required();
  correct->add_option("--tube", co_tube, "Tube code")->required();
  correct->add_option("--result", co_result, "阴性/阳性/无效")->required();
  correct->add_option("--by", co_by, "Who corrects")->required();
  correct->add_option("--reason", co_reason, "Why")->required();
  correct->callback([&] {
    domain::TestResult r;
    if (!domain::parse_test_result(co_result, r))
      return void(exit_code =
                      kExitUsage + 0 * fail(Status::Invalid("--result: 阴性, 阳性 or 无效")));
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    if (Status s = app::correct_result(*store, co_round, co_tube, r, co_by, co_reason); !s.ok())
      return void(exit_code = fail(s));
    std::printf("corrected %s\n", co_tube.c_str());
  });

  // round conflicts
  static int64_t cf_round = 0;
  auto* conflicts =
      round->add_subcommand("conflicts", "待审核冲突 Conflicts flagged for review (JSON)");
  conflicts->add_option("--round", cf_round, "Round id")->required();
  conflicts->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto list = store->rounds().list_conflicts(cf_round);
    if (!list.ok()) return void(exit_code = fail(list.status()));
    boost::json::array arr;
    for (const auto& c : *list)
      arr.push_back(boost::json::object{{"id", c.id},
                                        {"kind", c.kind},
                                        {"tube_code", c.tube_code},
                                        {"row", c.row},
                                        {"import_id", c.import_id},
                                        {"detail", c.detail},
                                        {"status", c.status},
                                        {"resolved_by", c.resolved_by},
                                        {"resolution", c.resolution}});
    print(boost::json::serialize(boost::json::object{{"conflicts", std::move(arr)}}) + "\n");
  });

  // round trend
  static bool trend_json = false;
  auto* trend = round->add_subcommand("trend", "各轮趋势 Totals of every round");
  trend->add_flag("--json", trend_json, "Print JSON");
  trend->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto tables = app::round_trends(*store);
    if (!tables.ok()) return void(exit_code = fail(tables.status()));
    boost::json::array arr;
    std::string text;
    for (const auto& t : *tables) {
      auto o = boost::json::parse(app::table_json(t)).as_object();
      arr.push_back(boost::json::object{{"round", o["round"]}, {"total", o["total"]}});
      char buf[256];
      std::snprintf(
          buf, sizeof buf,
          "%4lld %-20s %s due %ld sampled %ld negative %ld positive %ld coverage %.1f%%\n",
          static_cast<long long>(t.round.id), t.round.name.c_str(), t.round.date.c_str(),
          t.total.due, t.total.sampled, t.total.negative, t.total.positive, t.total.coverage);
      text += buf;
    }
    print(trend_json
              ? boost::json::serialize(boost::json::object{{"rounds", std::move(arr)}}) + "\n"
              : text);
  });

  // import sampling|results --round ID FILE (in the import group)
  auto* import = app.get_subcommand("import");
  static int64_t imp_round = 0;
  static std::string imp_file;
  static bool imp_json = false, imp_no_auto = false;
  static app::ImportOptions imp_options;
  for (const char* kind : {"sampling", "results"}) {
    bool sampling = std::string(kind) == "sampling";
    auto* cmd = import->add_subcommand(
        kind,
        sampling
            ? "导入采样记录 Import sampling records (采样管码, 证件号码, 姓名, 采样点, 采样时间)"
            : "导入检测结果 Import lab results (采样管码, 检测结果, 检测机构, 报告时间, Ct值)");
    cmd->add_option("--round", imp_round, "Round id")->required();
    cmd->add_option("FILE", imp_file, "XLSX, or CSV in UTF-8 or GB18030")->required();
    cmd->add_flag("--dry-run", imp_options.dry_run, "Check and report; store nothing");
    cmd->add_option("--errors-out", imp_options.errors_out, "Write the rejected rows here");
    cmd->add_flag("--json", imp_json, "Print the report as JSON");
    if (!sampling)
      cmd->add_flag("--no-auto-confirm", imp_no_auto,
                    "Do not confirm the individual positives as cases (docs/tracing.md)");
    cmd->callback([&, sampling] {
      auto* store = ctx.store();
      if (!store) return void(exit_code = kExitFailed);
      auto r = sampling
                   ? app::import_sampling(*store, *ctx.vault(), imp_round, imp_file, imp_options)
                   : app::import_results(*store, imp_round, imp_file, imp_options);
      if (!r.ok()) return void(exit_code = fail(r.status()));
      if (sampling || imp_no_auto || r->positives.empty())
        return print(imp_json ? app::to_json(*r) + "\n" : app::to_text(*r));
      app::CaseDesk desk;
      auto done = app::confirm_positives(*store, desk, app::cli_caller("import results"), *r);
      if (!done.ok()) return void(exit_code = fail(done.status()));
      if (imp_json) {
        boost::json::value out = boost::json::parse(app::to_json(*r));
        out.as_object()["auto_confirmed"] = app::to_json(*done);
        return print(boost::json::serialize(out) + "\n");
      }
      print(app::to_text(*r) + app::to_text(*done));
    });
  }

  // sim round: a district round's sampling and result files.
  static std::string district_dir, sim_out;
  static sim::TestRoundOptions sim_opt;
  auto* sim_round = app.get_subcommand("sim")->add_subcommand(
      "round", "合成检测轮次 Write a district round's sampling and result files (with re-tests)");
  sim_round->add_option("--district-dir", district_dir, "Folder of `sim district` (its roster.csv)")
      ->required();
  sim_round->add_option("--out", sim_out, "Output folder")->required();
  sim_round->add_option("--pool", sim_opt.pool, "People per tube")->capture_default_str();
  sim_round->add_option("--seed", sim_opt.seed, "Random seed")->capture_default_str();
  sim_round->add_option("--date", sim_opt.date, "The round's day")->capture_default_str();
  sim_round->add_option("--tube-prefix", sim_opt.tube_prefix, "Tube code prefix (unique per round)")
      ->capture_default_str();
  sim_round->add_option("--positive-pools", sim_opt.positive_pools, "Positive pools")
      ->capture_default_str();
  sim_round->add_option("--missed-rate", sim_opt.missed_rate, "Share never sampled")
      ->capture_default_str();
  sim_round->callback([&] {
    auto s = sim::write_test_round(district_dir + "/roster.csv", sim_out, sim_opt);
    if (!s.ok()) return void(exit_code = fail(s.status()));
    std::printf(
        "people %ld, sampled %ld, missed %ld, tubes %ld, positive pools %ld, invalid tubes %ld, "
        "re-test tubes %ld (positive %ld)\n",
        s->people, s->sampled, s->missed, s->tubes, s->positive_pools, s->invalid_tubes,
        s->retest_tubes, s->retest_positive);
  });

  add_bench_round_command(*app.get_subcommand("bench"), ctx, exit_code);
}

}  // namespace fx::cli
