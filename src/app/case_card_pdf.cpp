// The case card (确诊人员信息卡) as one printed A4 page.
#include <string>
#include <vector>

#include "app/case_card.h"
#include "app/pdf_labels.h"
#include "app/presence_time.h"
#include "ingest/pdf_writer.h"

namespace fx::app {

namespace {

using ingest::PdfDocument;

constexpr double kLeft = 50, kWidth = 495, kBottom = 790;

// A table: a shaded header row, then rows; column widths sum to kWidth.
struct Table {
  PdfDocument& doc;
  std::vector<double> widths;
  double row_h = 16, size = 9;

  double row(double y, const std::vector<std::string>& cells, bool header = false) {
    if (header) doc.fill(kLeft, y, kWidth, row_h, 0.9);
    double x = kLeft;
    for (size_t k = 0; k < widths.size(); ++k) {
      const std::string& t = k < cells.size() ? cells[k] : std::string();
      doc.text(x + 3, y + row_h - 4.5, size, ingest::fit_text(t, size, widths[k] - 6), header);
      x += widths[k];
      if (k + 1 < widths.size()) doc.line(x, y, x, y + row_h, 0.4);
    }
    doc.box(kLeft, y, kWidth, row_h, 0.4);
    return y + row_h;
  }
};

double section(PdfDocument& doc, double y, const std::string& title) {
  doc.text(kLeft, y + 12, 11, title, true);
  return y + 18;
}

std::string or_dash(const std::string& s) { return s.empty() ? "—" : s; }

}  // namespace

std::string case_card_pdf(const CaseCard& c) {
  PdfDocument doc(
      {"确诊人员信息卡 病例 " + std::to_string(c.record.id), pdf_date(c.record.confirmed_at)});
  doc.new_page();
  const std::string title = "确诊人员信息卡";
  doc.text(kLeft + (kWidth - ingest::text_width(title, 20)) / 2, 62, 20, title, true);
  const std::string sub = "病例编号 " + std::to_string(c.record.id) + "    防控方案 " +
                          c.record.policy_id + "    确诊 " + local_text(c.record.confirmed_at);
  doc.text(kLeft + kWidth - ingest::text_width(sub, 9), 84, 9, sub);

  // The fields: label, value, label, value per row.
  const std::string window =
      local_text(c.record.window_from) + " 至 " + local_text(c.record.isolated_at);
  const std::string transfer =
      c.transfer.empty() ? "—" : transfer_label(c.transfer) + (c.site.empty() ? "" : " " + c.site);
  const std::vector<std::vector<std::string>> fields = {
      {"姓名", c.name, "证件号码", c.id_masked},
      {"学号/工号", c.person_code, "学校", c.institution},
      {"班级/部门", c.unit, "宿舍", c.dorm},
      {"首次阳性采样", local_text(c.record.sample_time), "确诊时间",
       local_text(c.record.confirmed_at)},
      {"发病日期", c.record.onset_date.empty() ? "无症状" : c.record.onset_date, "症状",
       c.record.symptoms},
      {"暴露窗口", window, "传播来源", c.infected_by_name.empty() ? "未知" : c.infected_by_name},
      {"转运", transfer, "转归", c.record.outcome},
      {"密接 / 次密接", std::to_string(c.close) + " 人 / " + std::to_string(c.secondary) + " 人",
       "其中转为确诊", std::to_string(c.became_cases) + " 人"}};
  Table grid{doc, {72, 175.5, 72, 175.5}, 20, 9.5};
  double y = 96;
  for (const auto& f : fields) {
    doc.fill(kLeft, y, 72, grid.row_h, 0.93);
    doc.fill(kLeft + 247.5, y, 72, grid.row_h, 0.93);
    y = grid.row(y, {f[0], or_dash(f[1]), f[2], or_dash(f[3])});
  }

  // Where the case was: at most 8 places.
  y = section(doc, y + 12, "窗口期内到过的场所 (" + std::to_string(c.places.size()) + " 处)");
  Table places{doc, {60, 155, 95, 95, 45, 45}};
  y = places.row(y, {"类型", "场所", "开始", "结束", "分钟", "接触人数"}, true);
  const size_t max_places = 8;
  for (size_t k = 0; k < c.places.size() && k < max_places; ++k) {
    const auto& p = c.places[k];
    y = places.row(y, {contact_kind_label(p.kind), p.place, local_text(p.first), local_text(p.last),
                       std::to_string(p.seconds / 60), std::to_string(p.people)});
  }
  if (c.places.size() > max_places)
    doc.text(kLeft, y += 12, 9,
             "另有 " + std::to_string(c.places.size() - max_places) + " 处, 见 XLSX 导出");

  // Contacts: counts per category, then as many rows as the page holds.
  long close_seen = 0, secondary_seen = 0;
  for (const auto& x : c.contacts) (x.category == "close" ? close_seen : secondary_seen)++;
  y = section(doc, y + 12,
              "接触者  密接 " + std::to_string(c.close) + " 人 (列出 " +
                  std::to_string(close_seen) + ")  次密接 " + std::to_string(c.secondary) +
                  " 人 (列出 " + std::to_string(secondary_seen) + ")");
  Table contacts{doc, {60, 150, 105, 80, 100}};
  y = contacts.row(y, {"类别", "姓名", "状态", "接触分钟", "转为确诊"}, true);
  const double footer_room = 34;
  size_t shown = 0;
  for (; shown < c.contacts.size(); ++shown) {
    if (y + contacts.row_h > kBottom - footer_room) break;
    const auto& x = c.contacts[shown];
    y = contacts.row(y, {key_category_label(x.category), x.name, key_status_label(x.status),
                         std::to_string(x.seconds / 60), x.became_case ? "是" : ""});
  }
  if (shown < c.contacts.size())
    doc.text(kLeft, y += 13, 9,
             "另有 " + std::to_string(c.contacts.size() - shown) +
                 " 人未列出, 完整名单见重点人员防控跟踪表或 XLSX 导出");
  if (c.contacts.empty()) doc.text(kLeft, y += 13, 9, "(无可见的接触者)");

  doc.line(kLeft, kBottom, kLeft + kWidth, kBottom, 0.4);
  doc.text(kLeft, kBottom + 14, 8,
           "防线 Fangxian · 证件号码已脱敏 · 填报人签字: ____________    核对人签字: "
           "____________");
  return doc.finish();
}

}  // namespace fx::app
