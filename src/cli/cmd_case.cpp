// fangxian case confirm|list, tracking list|transfer|release, site add|list:
// confirmed cases, the key-person tracking table and quarantine sites.
#include <boost/json.hpp>
#include <cstdio>
#include <ctime>

#include "app/case_card.h"
#include "app/cases.h"
#include "app/contact_directives.h"
#include "app/policies.h"
#include "app/presence_time.h"
#include "app/tracking_table.h"
#include "app/untested.h"
#include "cli/context.h"

namespace fx::cli {

namespace {

struct ConfirmOptions {
  std::string person, sample_time, onset, confirmed_at, policy = app::kDefaultPolicy, symptoms,
                                                        note, actor = "cli";
  bool json = false;
};

int run_confirm(Context& ctx, const ConfirmOptions& o) {
  app::ConfirmCase req;
  if (!app::parse_local_instant(o.sample_time, req.sample_time))
    return kExitUsage + 0 * fail(Status::Invalid("--sample-time: 时间格式应为 2022-03-08 12:00"));
  if (!o.confirmed_at.empty() && !app::parse_local_instant(o.confirmed_at, req.confirmed_at))
    return kExitUsage + 0 * fail(Status::Invalid("--confirmed-at: 时间格式应为 2022-03-09 08:00"));
  if (!o.onset.empty()) {
    int64_t days = 0;
    if (!app::parse_day(o.onset, req.onset_date, days))
      return kExitUsage + 0 * fail(Status::Invalid("--onset: 日期格式应为 2022-03-07"));
  }
  auto policy = app::find_policy(o.policy);
  if (!policy.ok()) return fail(policy.status());
  auto* store = ctx.store();
  if (!store) return kExitFailed;
  auto person = app::resolve_person(*store, *ctx.vault(), o.person);
  if (!person.ok()) return fail(person.status());
  req.person_id = *person;
  req.symptoms = o.symptoms;
  req.note = o.note;
  req.actor = o.actor;
  auto index = app::TraceIndex::build(*store, *policy);
  if (!index.ok()) return fail(index.status());
  auto outcome = app::confirm_case(*store, **index, *policy, req);
  if (!outcome.ok()) return fail(outcome.status());
  // The institutions concerned are told their new key people (contact_directives.h).
  auto sent =
      app::send_contact_directives(*store, {outcome->case_id, outcome->listed, o.actor, ""});
  const long directives = sent.ok() ? static_cast<long>(sent->size()) : 0;
  if (!sent.ok())
    std::fprintf(stderr, "指令未发出 directives not sent: %s\n", sent.status().message().c_str());
  if (o.json) {
    std::printf("%s\n",
                boost::json::serialize(boost::json::object{{"case", outcome->case_id},
                                                           {"policy", policy->id},
                                                           {"close", outcome->close},
                                                           {"secondary", outcome->secondary},
                                                           {"without_site", outcome->without_site},
                                                           {"directives", directives}})
                    .c_str());
  } else {
    std::printf(
        "病例 case %lld 已确诊 confirmed (%s): 密接 %ld close, 次密接 %ld secondary 已列入跟踪表 "
        "listed in the tracking table\n",
        static_cast<long long>(outcome->case_id), policy->id.c_str(), outcome->close,
        outcome->secondary);
    std::printf("指令 directives: %ld 所单位已通知 institutions told\n", directives);
    if (outcome->without_site > 0)
      std::printf("注意 note: %ld 人待分配隔离点 await a quarantine site (all full)\n",
                  outcome->without_site);
  }
  return kExitOk;
}

}  // namespace

void add_case_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* kase = app.add_subcommand("case", "确诊病例 Confirmed cases");
  kase->require_subcommand(1);
  static ConfirmOptions c;
  auto* confirm = kase->add_subcommand(
      "confirm", "确诊: record the case, trace it and fill the tracking table from the policy");
  confirm->add_option("--person", c.person, "证件号码, or 学校代码:学号/工号")->required();
  confirm->add_option("--sample-time", c.sample_time, "First positive sample, local time")
      ->required();
  confirm->add_option("--onset", c.onset, "Symptom onset date (2022-03-07)");
  confirm->add_option("--confirmed-at", c.confirmed_at, "Diagnosis time (default: now)");
  confirm->add_option("--policy", c.policy, "Policy id or .json file")->capture_default_str();
  confirm->add_option("--symptoms", c.symptoms, "Symptoms (发热、咳嗽…)");
  confirm->add_option("--note", c.note, "Note for the case card");
  confirm->add_option("--actor", c.actor, "Who confirms")->capture_default_str();
  confirm->add_flag("--json", c.json, "Print JSON");
  confirm->callback([&] { exit_code = run_confirm(ctx, c); });

  static bool cases_json = false;
  auto* list = kase->add_subcommand("list", "病例列表 List cases");
  list->add_flag("--json", cases_json, "Print JSON");
  list->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto cases = store->tracking().list_cases();
    if (!cases.ok()) return void(exit_code = fail(cases.status()));
    boost::json::array arr;
    for (const auto& k : *cases)
      arr.push_back(boost::json::object{{"case", k.id},
                                        {"person", k.person_id},
                                        {"sample_time", app::local_text(k.sample_time)},
                                        {"confirmed_at", app::local_text(k.confirmed_at)},
                                        {"policy", k.policy_id}});
    if (cases_json) return void(std::printf("%s\n", boost::json::serialize(arr).c_str()));
    for (const auto& k : *cases)
      std::printf("%lld\t%lld\t%s\t%s\n", static_cast<long long>(k.id),
                  static_cast<long long>(k.person_id), app::local_text(k.confirmed_at).c_str(),
                  k.policy_id.c_str());
  });

  static int64_t card_case = 0;
  static std::string card_out;
  static bool card_json = false;
  auto* card = kase->add_subcommand("card", "确诊人员信息卡 The case card");
  card->add_option("--case", card_case, "Case id")->required();
  card->add_option("--out", card_out,
                   "Also write it: FILE.pdf (one A4 page), FILE.xlsx (printable) or FILE.csv");
  card->add_flag("--json", card_json, "Print JSON");
  card->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto c = app::load_case_card(*store, app::cli_caller("cli case card"), card_case);
    if (!c.ok()) return void(exit_code = fail(c.status()));
    if (!card_out.empty())
      if (Status s = app::export_case_card(*c, card_out); !s.ok()) return void(exit_code = fail(s));
    if (card_json) return void(std::printf("%s\n", app::case_card_json(*c).c_str()));
    std::printf(
        "病例 %lld  %s  %s  %s\n首次阳性采样 %s  确诊 %s  方案 %s\n密接 %ld  次密接 %ld  "
        "其中转为确诊 %ld\n",
        static_cast<long long>(c->record.id), c->name.c_str(), c->institution.c_str(),
        c->unit.c_str(), app::local_text(c->record.sample_time).c_str(),
        app::local_text(c->record.confirmed_at).c_str(), c->record.policy_id.c_str(), c->close,
        c->secondary, c->became_cases);
    for (const auto& p : c->places)
      std::printf("  %s %s %s → %s (%ld 人)\n", p.kind.c_str(), p.place.c_str(),
                  app::local_text(p.first).c_str(), app::local_text(p.last).c_str(), p.people);
  });

  auto* tracking =
      app.add_subcommand("tracking", "重点人员防控跟踪表 The key-person tracking table");
  tracking->require_subcommand(1);
  static app::TrackingQuery tq;
  static bool tracking_json = false;
  static std::string out;
  auto* tlist = tracking->add_subcommand("list", "列出重点人员 List key people");
  tlist->add_option("--category", tq.category, "close | secondary | returnee | symptomatic");
  tlist->add_option("--status", tq.status, "quarantined | released | became_case");
  tlist->add_option("--today", tq.today, "Judge overdue tests on this date (default: today)");
  tlist->add_flag("--json", tracking_json, "Print JSON");
  tlist->add_option("--out", out, "Also write the table: FILE.xlsx or FILE.csv");
  tlist->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto table = app::tracking_table(*store, app::cli_caller("cli tracking list"), tq);
    if (!table.ok()) return void(exit_code = fail(table.status()));
    if (!out.empty())
      if (Status s = app::export_tracking_table(*table, out); !s.ok())
        return void(exit_code = fail(s));
    std::printf("%s", tracking_json ? (app::tracking_json(*table) + "\n").c_str()
                                    : app::tracking_text(*table).c_str());
  });

  static app::TrackingQuery uq;
  static size_t untested_limit = 0;
  static bool untested_json = false;
  auto* untested = tracking->add_subcommand(
      "untested",
      "优先检测 Key people in quarantine without a result since their last exposure, "
      "close contacts first, then by minutes shared");
  untested->add_option("--today", uq.today, "Judge overdue tests on this date (default: today)");
  untested->add_option("--limit", untested_limit, "At most N people (0: all)");
  untested->add_flag("--json", untested_json, "Print JSON");
  untested->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto table = app::tracking_table(*store, app::cli_caller("cli tracking untested"), uq);
    if (!table.ok()) return void(exit_code = fail(table.status()));
    auto ranked = app::rank_untested(*table, untested_limit);
    std::printf("%s", untested_json ? (app::untested_json(ranked) + "\n").c_str()
                                    : app::untested_text(ranked).c_str());
  });

  add_tracking_more_commands(*tracking, ctx, exit_code);

  static int64_t kp = 0;
  static std::string state, actor = "cli";
  auto* transfer = tracking->add_subcommand("transfer", "转运 Set a key person's transfer state");
  transfer->add_option("--id", kp, "Key-person row id")->required();
  transfer->add_option("--state", state, "requested | dispatched | arrived")->required();
  transfer->add_option("--actor", actor, "Who")->capture_default_str();
  transfer->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    if (Status s = store->tracking().set_transfer(kp, state, actor); !s.ok())
      return void(exit_code = fail(s));
  });
  auto* release = tracking->add_subcommand("release", "解除隔离 Release a key person");
  release->add_option("--id", kp, "Key-person row id")->required();
  release->add_option("--actor", actor, "Who")->capture_default_str();
  release->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    if (Status s = store->tracking().release(kp, std::time(nullptr), actor); !s.ok())
      return void(exit_code = fail(s));
  });

  auto* site = app.add_subcommand("site", "集中隔离点 Quarantine sites (hotels) and capacity");
  site->require_subcommand(1);
  static store::QuarantineSite new_site;
  auto* add = site->add_subcommand("add", "新增隔离点 Add a site; prints its id");
  add->add_option("--name", new_site.name, "Name")->required();
  add->add_option("--address", new_site.address, "Address");
  add->add_option("--capacity", new_site.capacity, "Rooms")
      ->required()
      ->check(CLI::Range(0, 100000));
  add->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto id = store->tracking().add_site(new_site);
    if (!id.ok()) return void(exit_code = fail(id.status()));
    std::printf("%lld\n", static_cast<long long>(*id));
  });
  auto* sites = site->add_subcommand("list", "隔离点及占用 Sites with occupancy");
  sites->callback([&] {
    auto* store = ctx.store();
    if (!store) return void(exit_code = kExitFailed);
    auto all = store->tracking().list_sites();
    if (!all.ok()) return void(exit_code = fail(all.status()));
    for (const auto& s : *all)
      std::printf("%lld\t%s\t%d/%d\n", static_cast<long long>(s.id), s.name.c_str(), s.occupied,
                  s.capacity);
  });
}

}  // namespace fx::cli
