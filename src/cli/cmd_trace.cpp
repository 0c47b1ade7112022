// fangxian trace: close and secondary contacts of a person, computed from the
// co-presence data without recording anything; --check-naive compares the
// engine with the naive scan over every presence record.
#include <chrono>
#include <cstdio>

#include "app/policies.h"
#include "app/presence_time.h"
#include "app/trace_report.h"
#include "app/tracing.h"
#include "cli/context.h"
#include "trace/naive_scan.h"

namespace fx::cli {

void add_bench_trace_command(CLI::App& bench, Context& ctx, int& exit_code);  // cmd_bench_trace.cpp

namespace {

struct TraceOptions {
  std::string person, at, sample_time, onset, policy = app::kDefaultPolicy;
  bool json = false, check_naive = false;
};

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

int run_trace(Context& ctx, const TraceOptions& o) {
  int64_t at = 0, sampled = 0;
  if (!app::parse_local_instant(o.at, at))
    return kExitUsage +
           0 * fail(Status::Invalid("--at: 时间格式应为 2022-03-08 12:00 (a local time)"));
  sampled = at;
  if (!o.sample_time.empty() && !app::parse_local_instant(o.sample_time, sampled))
    return kExitUsage + 0 * fail(Status::Invalid("--sample-time: 时间格式应为 2022-03-08 12:00"));
  auto policy = app::find_policy(o.policy);
  if (!policy.ok()) return fail(policy.status());
  auto* store = ctx.store();
  if (!store) return kExitFailed;
  auto person = app::resolve_person(*store, *ctx.vault(), o.person);
  if (!person.ok()) return fail(person.status());
  auto index = app::TraceIndex::build(*store, *policy, {}, o.check_naive);
  if (!index.ok()) return fail(index.status());
  const app::CaseWindow window{*person, sampled, o.onset, at};
  const auto started = std::chrono::steady_clock::now();
  auto lists = app::trace_cases(**index, *policy, {window}, at);
  if (!lists.ok()) return fail(lists.status());
  const double engine_ms = ms_since(started);
  auto report = app::TraceReport::load(*store, **index, *lists);
  if (!report.ok()) return fail(report.status());
  if (o.json) {
    auto doc = report->json(*lists);
    doc["policy"] = policy->id;
    doc["window_from"] = app::local_text(app::window_start(*policy, window));
    doc["window_to"] = app::local_text(at);
    std::printf("%s\n", boost::json::serialize(doc).c_str());
  } else {
    std::printf("%s", report->text(*lists).c_str());
  }
  std::fprintf(stderr,
               "索引 index: %.2f s 读取 (load) + %.2f s 建立 (build); 追踪 trace: %.2f ms\n",
               (*index)->load_seconds, (*index)->build_seconds, engine_ms);
  if (!o.check_naive) return kExitOk;
  trace::TraceQuery q;
  q.quarantine_start = at;
  q.thresholds = app::thresholds_of(*policy);
  const int64_t ix = (*index)->presence.person_ix(*person);
  if (ix >= 0)
    q.cases.push_back({static_cast<trace::PersonIx>(ix), app::window_start(*policy, window), at});
  const auto naive_started = std::chrono::steady_clock::now();
  const bool equal = trace::naive_trace((*index)->presence.data, q) == *lists;
  std::fprintf(stderr, "朴素扫描 naive scan: %s (%.0f ms, engine %.2f ms)\n",
               equal ? "一致 equal" : "不一致 DIFFERENT", ms_since(naive_started), engine_ms);
  return equal ? kExitOk : kExitFailed;
}

}  // namespace

void add_trace_command(CLI::App& app, Context& ctx, int& exit_code) {
  static TraceOptions o;
  auto* cmd = app.add_subcommand(
      "trace", "流调 Close and secondary contacts of a person, without recording anything");
  cmd->add_option("--person", o.person, "证件号码, or 学校代码:学号/工号")->required();
  cmd->add_option("--at", o.at,
                  "The moment of the trace, local time: the person's isolation and the "
                  "contacts' quarantine start (2022-03-08 12:00)")
      ->required();
  cmd->add_option("--sample-time", o.sample_time, "First positive sample (default: --at)");
  cmd->add_option("--onset", o.onset, "Symptom onset date; the window counts from it");
  cmd->add_option("--policy", o.policy, "Policy id or a policy .json file")->capture_default_str();
  cmd->add_flag("--json", o.json,
                "Print JSON: close and secondary, each [{person, minutes, sources}]");
  cmd->add_flag("--check-naive", o.check_naive,
                "Also run the naive scan over every record; exit 1 unless equal");
  cmd->callback([&] { exit_code = run_trace(ctx, o); });
  add_bench_trace_command(*app.get_subcommand("bench"), ctx, exit_code);
}

}  // namespace fx::cli
