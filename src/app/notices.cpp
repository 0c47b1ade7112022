#include "app/notices.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "app/health_access.h"
#include "app/pdf_labels.h"
#include "app/policies.h"
#include "app/presence_time.h"
#include "app/tracking_table.h"
#include "domain/policy.h"
#include "ingest/pdf_writer.h"

namespace fx::app {

namespace {

namespace json = boost::json;
using ingest::PdfDocument;

constexpr double kLeft = 56, kWidth = 483;

struct Stage {
  std::string kind;
  int64_t start = 0, end = 0;
};

std::vector<Stage> plan_stages(const std::string& plan) {
  std::vector<Stage> out;
  boost::system::error_code ec;
  const json::value v = json::parse(plan, ec);
  if (ec || !v.is_object() || !v.as_object().contains("stages")) return out;
  const json::value& stages = v.as_object().at("stages");
  if (!stages.is_array()) return out;
  for (const json::value& s : stages.as_array()) {
    const json::object& o = s.as_object();
    out.push_back({std::string(o.at("kind").as_string()), o.at("start").to_number<int64_t>(),
                   o.at("end").to_number<int64_t>()});
  }
  return out;
}

// Why the person is on the list, in the notice's words.
std::string reason(const TrackingRow& r) {
  const auto& k = r.key;
  const std::string when = local_text(k.last_exposure);
  if (k.category == "close")
    return "经流行病学调查, 你于 " + when + " 前后与新冠肺炎确诊病例有过接触, 被判定为密切接触者。";
  if (k.category == "secondary")
    return "经流行病学调查, 你于 " + when + " 前后与密切接触者有过接触, 被判定为次密切接触者。";
  if (k.category == "returnee")
    return "你于 " + domain::local_date(k.last_exposure) + " 自中高风险地区" +
           (k.area.empty() ? "" : " (" + k.area + ") ") + "返校, 属于中高风险地区返校人员。";
  if (k.category == "symptomatic")
    return "你自 " + domain::local_date(k.last_exposure) + " 起出现" +
           (k.area.empty() ? "发热、干咳等" : k.area + "等") + "症状, 属于有症状人员。";
  return "你被列为重点人员。";
}

std::string measures(const std::vector<Stage>& stages) {
  std::string out;
  for (const auto& s : stages) {
    const int64_t days = (s.end - s.start + 43200) / 86400;
    out +=
        (out.empty() ? "" : " + ") + std::to_string(days) + " 天" + domain::stage_kind_name(s.kind);
  }
  return out.empty() ? "—" : out;
}

struct Context {
  std::map<std::string, std::string> policy_name;  // by id
  std::map<std::string, std::string> liaison;      // by institution name
  std::map<int64_t, std::string> site_address;
};

void notice_page(PdfDocument& doc, const TrackingRow& r, Context& ctx) {
  const auto& k = r.key;
  doc.new_page();
  const std::string title = "隔离告知书";
  doc.text(kLeft + (kWidth - ingest::text_width(title, 22)) / 2, 72, 22, title, true);
  const std::string no = "编号 GL-" + std::to_string(k.id);
  doc.text(kLeft + kWidth - ingest::text_width(no, 9), 94, 9, no);
  doc.text(kLeft, 124, 12, r.name + ":", true);

  const std::vector<Stage> stages = plan_stages(k.plan);
  const bool monitoring_only = std::all_of(
      stages.begin(), stages.end(), [](const Stage& s) { return s.kind == "home_monitoring"; });
  const std::string& policy = ctx.policy_name[k.policy_id];
  double y = doc.paragraph(kLeft + 24, 148, 11, kWidth - 24,
                           reason(r) + "依据《中华人民共和国传染病防治法》和《" + policy +
                               "》, 现告知你须按下列安排接受" +
                               (monitoring_only ? "健康监测" : "隔离医学观察") + ", 请予配合。",
                           1.6);

  // The facts of the order, label and value per row.
  std::string place;
  if (stages.empty() || stages.front().kind != "centralised")
    place = "居家 (本人住所)";
  else if (k.site_id == 0)
    place = "集中隔离点待分配, 学校将另行通知";
  else
    place = k.site_name +
            (ctx.site_address[k.site_id].empty() ? "" : " (" + ctx.site_address[k.site_id] + ")");
  std::string tests;
  for (const auto& t : r.tests)
    tests += (tests.empty() ? "" : "; ") + std::string("第") + std::to_string(t.day) + "天 " +
             t.date + (t.note.empty() ? "" : " (" + t.note + ")");
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"姓名", r.name},
      {"证件号码", r.id_masked},
      {"学校", r.institution},
      {"班级/部门", r.unit.empty() ? "—" : r.unit},
      {"人员类别", key_category_label(k.category)},
      {"管控措施", measures(stages)},
      {"隔离地点", place},
      {"开始时间", local_text(k.start_at)},
      {"预计解除", k.planned_end ? local_text(k.planned_end) : "—"},
      {"核酸检测", tests.empty() ? "—" : tests}};
  y += 8;
  const double label_w = 80, size = 10.5;
  for (const auto& [label, value] : rows) {
    const auto lines = ingest::wrap_text(value, size, kWidth - label_w - 12);
    const double h = 8 + 15 * static_cast<double>(lines.size());
    doc.fill(kLeft, y, label_w, h, 0.93);
    doc.box(kLeft, y, kWidth, h, 0.4);
    doc.line(kLeft + label_w, y, kLeft + label_w, y + h, 0.4);
    doc.text(kLeft + 6, y + 15, size, label, true);
    for (size_t i = 0; i < lines.size(); ++i)
      doc.text(kLeft + label_w + 6, y + 15 + 15 * static_cast<double>(i), size, lines[i]);
    y += h;
  }

  // The stages one by one.
  if (!stages.empty()) {
    y += 14;
    for (const auto& s : stages) {
      doc.text(kLeft, y, 10,
               std::string("· ") + domain::stage_kind_name(s.kind) + ": " + local_text(s.start) +
                   " 至 " + local_text(s.end));
      y += 15;
    }
  }

  y = doc.paragraph(kLeft, y + 10, 11, kWidth, "隔离期间须知:", 1.5);
  const char* rules[] = {
      "1. 管控期间不外出、不聚集、不接待来访, 服从隔离点或社区的管理;",
      "2. 每日早晚各测一次体温并如实报告, 按上列日期配合采样检测;",
      "3. 出现发热、干咳、乏力、咽痛、嗅(味)觉减退、腹泻等症状, 立即报告, 不得自行就医;",
      "4. 解除管控以检测结果全部阴性且期满为准, 由学校和卫生健康部门书面通知。"};
  for (const char* rule : rules) y = doc.paragraph(kLeft + 12, y, 10, kWidth - 12, rule, 1.5);

  y = doc.paragraph(kLeft, y + 6, 10, kWidth,
                    "法律依据: 《中华人民共和国传染病防治法》第三十九条、第四十一条; 《" + policy +
                        "》。拒不配合的, 依法承担相应责任。",
                    1.5);
  const std::string& who = ctx.liaison[r.institution];
  y = doc.paragraph(kLeft, y + 2, 10, kWidth,
                    "如有疑问, 请联系: " + r.institution + " 疫情防控工作专班" +
                        (who.empty() ? "" : ", 联络人 " + who) + "。",
                    1.5);

  const double sign = std::max(y + 24, 740.0);
  doc.text(kLeft, sign, 10.5, "被告知人 (监护人) 签字: ______________    日期: ____________");
  const std::string unit = "告知单位: " + r.institution + " (盖章)";
  doc.text(kLeft + kWidth - ingest::text_width(unit, 10.5), sign + 28, 10.5, unit);
  const std::string date = domain::local_date(k.start_at);
  doc.text(kLeft + kWidth - ingest::text_width(date, 10.5), sign + 46, 10.5, date);
}

}  // namespace

Result<NoticeBatch> quarantine_notices(store::Store& store, const Caller& caller,
                                       const NoticeQuery& q) {
  // The same answer for a case that does not exist and one nobody in scope
  // is listed by.
  auto none = [] {
    return Status::NotFound(
        "没有需要告知的隔离人员 (no key people in quarantine for these notices)");
  };
  int64_t case_person = 0;
  if (q.case_id != 0) {
    auto c = store.tracking().get_case(q.case_id);
    if (!c.ok() && c.status().code() == Status::Code::not_found) return none();
    if (!c.ok()) return c.status();
    case_person = c->person_id;
  }
  TrackingQuery tq;
  tq.institution = q.institution;
  tq.status = "quarantined";
  auto table = tracking_table(store, caller, tq);
  if (!table.ok()) return table.status();
  std::vector<const TrackingRow*> rows;
  for (const auto& r : table->rows) {
    bool take = q.case_id == 0 || r.key.case_id == q.case_id;
    for (const auto& s : r.key.sources) take = take || s.source_person_id == case_person;
    if (take) rows.push_back(&r);
  }
  if (rows.empty()) return none();

  Context ctx;
  auto institutions = store.list_institutions();
  if (!institutions.ok()) return institutions.status();
  int64_t institution_id = 0;
  for (const auto& i : *institutions) {
    ctx.liaison[i.name] = i.liaison;
    if (i.code == q.institution) institution_id = i.id;
  }
  auto sites = store.tracking().list_sites();
  if (!sites.ok()) return sites.status();
  for (const auto& s : *sites) ctx.site_address[s.id] = s.address;
  int64_t latest = 0;
  for (const TrackingRow* r : rows) {
    latest = std::max(latest, r->key.start_at);
    if (ctx.policy_name.count(r->key.policy_id)) continue;
    auto p = find_policy(r->key.policy_id);
    ctx.policy_name[r->key.policy_id] = p.ok() ? p->name : r->key.policy_id;
  }

  std::string title = "隔离告知书";
  if (!q.institution.empty()) title += " " + q.institution;
  if (q.case_id != 0) title += " 病例 " + std::to_string(q.case_id);
  PdfDocument doc({title, pdf_date(latest)});
  for (const TrackingRow* r : rows) notice_page(doc, *r, ctx);
  NoticeBatch out;
  out.people = static_cast<long>(rows.size());
  out.pdf = doc.finish();
  FX_RETURN_IF_ERROR(audit_health(store, caller, "tracking.notices",
                                  q.case_id != 0 ? "case" : "institution",
                                  q.case_id != 0 ? q.case_id : institution_id, institution_id,
                                  std::to_string(out.people) + " notices"));
  return out;
}

}  // namespace fx::app
