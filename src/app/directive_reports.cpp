#include "app/directive_reports.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <map>

#include "domain/rounds.h"
#include "ingest/table.h"

namespace fx::app {
namespace {

namespace json = boost::json;

std::optional<double> median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::optional<double> mean(const std::vector<double>& v) {
  if (v.empty()) return std::nullopt;
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

// Rows folded into a summary; the clocks collected for the medians.
struct Fold {
  DirectiveSummary s;
  std::vector<double> to_ack, to_done;
  void add(const RecipientView& rv) {
    const auto& r = rv.row;
    ++s.recipients;
    s.acknowledged += !r.acknowledged_at.empty();
    s.done += r.state == "done" || r.state == "accepted";
    s.accepted += r.state == "accepted";
    s.overdue += rv.overdue;
    s.escalated += !r.escalated_at.empty();
    if (rv.minutes_to_ack) to_ack.push_back(*rv.minutes_to_ack);
    if (rv.minutes_to_done) to_done.push_back(*rv.minutes_to_done);
  }
  DirectiveSummary finish() {
    s.median_minutes_to_ack = median(to_ack);
    s.median_minutes_to_done = median(to_done);
    return s;
  }
};

json::value opt(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object summary_json(const DirectiveSummary& s) {
  return json::object{{"recipients", s.recipients},
                      {"acknowledged", s.acknowledged},
                      {"done", s.done},
                      {"accepted", s.accepted},
                      {"overdue", s.overdue},
                      {"escalated", s.escalated},
                      {"median_minutes_to_ack", opt(s.median_minutes_to_ack)},
                      {"median_minutes_to_done", opt(s.median_minutes_to_done)}};
}

std::string minutes(const std::optional<double>& m) {
  if (!m) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *m);
  return buf;
}

std::string local(const std::string& iso) {
  return iso.empty() ? "" : domain::local_time_text(iso);
}

std::string priority_name(const std::string& code) {
  domain::Priority p;
  return domain::parse_priority(code, p) ? domain::priority_name(p) : code;
}

std::string state_name(const std::string& code) {
  domain::RecipientState s;
  return domain::parse_recipient_state(code, s) ? domain::recipient_state_name(s) : code;
}

Result<std::unique_ptr<ingest::TableWriter>> writer(const std::string& path,
                                                    const std::string& sheet,
                                                    std::vector<double> widths) {
  ingest::WriteOptions opt;
  opt.sheet_name = sheet.substr(0, 31);
  opt.title = sheet;
  opt.column_widths = std::move(widths);
  return ingest::create_table(
      path, path.ends_with(".xlsx") ? ingest::FileFormat::xlsx : ingest::FileFormat::csv,
      ingest::TextEncoding::utf8_bom, opt);
}

std::string kind_name(const std::string& kind) {
  if (kind == "group") return "工作组";
  if (kind == "liaison") return "联络员";
  return "学校";
}

std::vector<std::string> summary_cells(const DirectiveSummary& s) {
  return {std::to_string(s.recipients),     std::to_string(s.acknowledged),
          std::to_string(s.done),           std::to_string(s.accepted),
          std::to_string(s.overdue),        std::to_string(s.escalated),
          minutes(s.median_minutes_to_ack), minutes(s.median_minutes_to_done)};
}

}  // namespace

Result<DirectiveStats> directive_stats(store::Store& store, const Caller& caller,
                                       const std::string& now) {
  auto list = list_directives(store, caller, "", now);
  if (!list.ok()) return list.status();
  DirectiveStats out;
  // Keyed by kind first so that groups come before liaisons, each by key.
  std::map<std::pair<std::string, std::string>, Fold> by_key;
  std::map<std::string, Fold> by_kind;
  std::map<std::string, std::string> names;
  Fold total;
  for (const auto& v : *list)
    for (const auto& rv : v.recipients) {
      by_key[{rv.row.kind, rv.key}].add(rv);
      by_kind[rv.row.kind].add(rv);
      names[rv.key] = rv.name;
      total.add(rv);
    }
  for (auto& [kk, fold] : by_key) {
    InstitutionTiming t;
    t.kind = kk.first;
    t.code = kk.second;
    t.name = names[t.code];
    t.mean_minutes_to_ack = mean(fold.to_ack);
    t.mean_minutes_to_done = mean(fold.to_done);
    t.summary = fold.finish();
    (t.kind == "institution" ? out.institutions : out.others).push_back(std::move(t));
  }
  for (auto& [kind, fold] : by_kind) out.by_kind[kind] = fold.finish();
  out.total = total.finish();
  out.directives = std::move(*list);
  return out;
}

std::string directive_stats_json(const DirectiveStats& s) {
  json::array directives;
  for (const auto& v : s.directives)
    directives.push_back(json::object{{"id", v.directive.id},
                                      {"title", v.directive.title},
                                      {"priority", v.directive.priority},
                                      {"sender_group", v.directive.sender_group},
                                      {"created_at", v.directive.created_at},
                                      {"deadline", v.directive.deadline},
                                      {"summary", summary_json(v.summary)}});
  auto timings = [](const std::vector<InstitutionTiming>& list) {
    json::array a;
    for (const auto& t : list)
      a.push_back(json::object{{"code", t.code},
                               {"name", t.name},
                               {"kind", t.kind},
                               {"summary", summary_json(t.summary)},
                               {"mean_minutes_to_ack", opt(t.mean_minutes_to_ack)},
                               {"mean_minutes_to_done", opt(t.mean_minutes_to_done)}});
    return a;
  };
  json::object kinds;
  for (const auto& [kind, summary] : s.by_kind) kinds[kind] = summary_json(summary);
  return json::serialize(json::object{{"total", summary_json(s.total)},
                                      {"by_kind", std::move(kinds)},
                                      {"directives", std::move(directives)},
                                      {"institutions", timings(s.institutions)},
                                      {"groups_and_liaisons", timings(s.others)}});
}

std::string directive_stats_text(const DirectiveStats& s) {
  auto line = [](const DirectiveSummary& x) {
    return "接收 " + std::to_string(x.recipients) + "\t确认 " + std::to_string(x.acknowledged) +
           "\t办结 " + std::to_string(x.done) + "\t验收 " + std::to_string(x.accepted) + "\t逾期 " +
           std::to_string(x.overdue) + "\t中位用时(分钟) 确认 " +
           (x.median_minutes_to_ack ? minutes(x.median_minutes_to_ack) : "-") + " 办结 " +
           (x.median_minutes_to_done ? minutes(x.median_minutes_to_done) : "-");
  };
  std::string out = "合计 (total)\t" + line(s.total) + "\n按指令 (per directive)\n";
  for (const auto& v : s.directives)
    out += "  #" + std::to_string(v.directive.id) + "\t" + v.directive.title + "\t" +
           line(v.summary) + "\n";
  out += "按学校 (per institution)\n";
  for (const auto& t : s.institutions)
    out += "  " + t.code + "\t" + t.name + "\t" + line(t.summary) + "\n";
  if (!s.others.empty()) out += "按工作组与联络员 (per task group and liaison)\n";
  for (const auto& t : s.others)
    out += "  " + t.code + "\t" + t.name + "\t" + line(t.summary) + "\n";
  return out;
}

Status export_directive_list(const std::vector<DirectiveView>& list, const std::string& path) {
  auto w = writer(path, "指令列表", {8, 32, 8, 14, 18, 18, 8, 8, 8, 8, 8, 8, 14, 14});
  if (!w.ok()) return w.status();
  FX_RETURN_IF_ERROR(
      (*w)->write_row({"编号", "标题", "优先级", "发出", "发出时间", "截止时间", "接收", "确认",
                       "办结", "验收", "逾期", "升级", "确认中位用时(分)", "办结中位用时(分)"}));
  for (const auto& v : list) {
    const auto& d = v.directive;
    std::vector<std::string> row = {
        std::to_string(d.id),      d.title,
        priority_name(d.priority), d.sender_group.empty() ? "指挥部" : d.sender_group,
        local(d.created_at),       local(d.deadline)};
    for (auto& c : summary_cells(v.summary)) row.push_back(std::move(c));
    FX_RETURN_IF_ERROR((*w)->write_row(row));
  }
  return (*w)->close();
}

Status export_directive_recipients(const DirectiveView& v, const std::string& path) {
  auto w = writer(path, "指令" + std::to_string(v.directive.id) + "接收方",
                  {16, 28, 8, 10, 18, 18, 18, 18, 10, 10, 6, 24, 40, 8});
  if (!w.ok()) return w.status();
  FX_RETURN_IF_ERROR(
      (*w)->write_row({"接收方代码", "接收方", "类型", "状态", "送达", "确认", "办结", "验收",
                       "确认用时(分)", "办结用时(分)", "逾期", "升级至", "反馈", "退回次数"}));
  for (const auto& rv : v.recipients) {
    const auto& r = rv.row;
    FX_RETURN_IF_ERROR((*w)->write_row(
        {rv.key, rv.name, kind_name(r.kind), state_name(r.state), local(r.delivered_at),
         local(r.acknowledged_at), local(r.done_at), local(r.accepted_at),
         minutes(rv.minutes_to_ack), minutes(rv.minutes_to_done), rv.overdue ? "是" : "",
         r.escalated_to, r.feedback, std::to_string(r.returns)}));
  }
  return (*w)->close();
}

Status export_directive_stats(const DirectiveStats& s, const std::string& path) {
  auto w = writer(path, "指令办理用时(按接收方)", {16, 28, 8, 8, 8, 8, 8, 8, 8, 14, 14, 14, 14});
  if (!w.ok()) return w.status();
  FX_RETURN_IF_ERROR((*w)->write_row({"接收方代码", "接收方", "类型", "接收", "确认", "办结",
                                      "验收", "逾期", "升级", "确认中位用时(分)",
                                      "办结中位用时(分)", "确认平均用时(分)", "办结平均用时(分)"}));
  std::vector<const InstitutionTiming*> rows;
  for (const auto& t : s.institutions) rows.push_back(&t);
  for (const auto& t : s.others) rows.push_back(&t);
  for (const InstitutionTiming* tp : rows) {
    const auto& t = *tp;
    std::vector<std::string> row = {t.code, t.name, kind_name(t.kind)};
    for (auto& c : summary_cells(t.summary)) row.push_back(std::move(c));
    row.push_back(minutes(t.mean_minutes_to_ack));
    row.push_back(minutes(t.mean_minutes_to_done));
    FX_RETURN_IF_ERROR((*w)->write_row(row));
  }
  return (*w)->close();
}

}  // namespace fx::app
