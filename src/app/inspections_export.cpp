// The inspection lists as spreadsheets (.xlsx, or .csv by the path's ending).
#include "app/inspections.h"
#include "ingest/table.h"

namespace fx::app {
namespace {

Status write_table(const std::string& path, const std::string& sheet,
                   const std::vector<std::string>& header,
                   const std::vector<std::vector<std::string>>& rows, std::vector<double> widths) {
  ingest::WriteOptions opt;
  opt.sheet_name = sheet;
  opt.title = sheet;
  opt.column_widths = std::move(widths);
  opt.numeric_columns = {0};
  const bool xlsx = path.ends_with(".xlsx");
  auto w = ingest::create_table(path, xlsx ? ingest::FileFormat::xlsx : ingest::FileFormat::csv,
                                ingest::TextEncoding::utf8_bom, opt);
  if (!w.ok()) return w.status();
  FX_RETURN_IF_ERROR((*w)->write_row(header));
  for (const auto& r : rows) FX_RETURN_IF_ERROR((*w)->write_row(r));
  return (*w)->close();
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "、") + x;
  return s;
}

}  // namespace

Status export_inspections(const std::vector<InspectionView>& list, const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  long n = 0;
  for (const auto& v : list) {
    int failed = 0;
    for (const auto& i : v.row.items) failed += i.passed ? 0 : 1;
    rows.push_back({std::to_string(++n), v.round_name, v.institution.code, v.institution.name,
                    v.row.inspected_on, v.row.inspector, std::to_string(v.row.items.size()),
                    std::to_string(failed), std::to_string(v.findings), v.row.summary});
  }
  return write_table(path, "督导检查记录",
                     {"序号", "轮次", "学校代码", "学校", "检查日期", "检查人", "检查项", "未通过",
                      "问题数", "检查意见"},
                     rows, {6, 12, 10, 28, 12, 16, 8, 8, 8, 40});
}

Status export_findings(const std::vector<FindingView>& list, const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  long n = 0;
  for (const auto& v : list)
    rows.push_back({std::to_string(++n), std::to_string(v.row.id), v.round_name, v.institution.code,
                    v.institution.name, v.row.category, severity_name(v.row.severity),
                    v.row.description, v.row.deadline, finding_status_name(v.row.status),
                    v.overdue ? "是" : "", v.row.closed_at, joined(v.letters)});
  return write_table(path, "整改问题清单",
                     {"序号", "问题编号", "轮次", "学校代码", "学校", "类别", "程度", "问题描述",
                      "整改期限", "状态", "逾期", "销号时间", "提醒函"},
                     rows, {6, 8, 12, 10, 28, 14, 8, 48, 12, 10, 6, 22, 26});
}

Status export_letters(const std::vector<LetterView>& list, const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  long n = 0;
  for (const auto& v : list) {
    std::string findings;
    for (int64_t id : v.row.finding_ids)
      findings += (findings.empty() ? "" : ",") + std::to_string(id);
    rows.push_back({std::to_string(++n), v.number_text, v.institution.code, v.institution.name,
                    v.row.title, v.row.issued_on, findings, v.row.body});
  }
  return write_table(path, "提醒函登记表",
                     {"序号", "文号", "学校代码", "学校", "标题", "发文日期", "关联问题", "正文"},
                     rows, {6, 24, 10, 28, 32, 12, 14, 60});
}

Status export_supervisors(const std::vector<SupervisorView>& list, const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  long n = 0;
  for (const auto& v : list)
    rows.push_back({std::to_string(++n), v.row.name, v.row.organisation, v.institution.code,
                    v.institution.name, v.row.start_date, v.row.end_date, v.on_site ? "在岗" : ""});
  return write_table(
      path, "驻点督导员",
      {"序号", "姓名", "派出单位", "学校代码", "驻点学校", "开始日期", "结束日期", "在岗"}, rows,
      {6, 10, 20, 10, 28, 12, 12, 8});
}

}  // namespace fx::app
