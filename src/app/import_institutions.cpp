#include <charconv>
#include <chrono>
#include <unordered_map>

#include "app/imports.h"
#include "app/roster_columns.h"
#include "app/text_checks.h"

namespace fx::app {
namespace {

bool parse_coordinate(const std::string& text, double lo, double hi, std::optional<double>& out) {
  if (text.empty()) return true;
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi) return false;
  out = v;
  return true;
}

bool same(const domain::Institution& a, const domain::Institution& b) {
  return a.code == b.code && a.name == b.name && a.kind == b.kind && a.address == b.address &&
         a.longitude == b.longitude && a.latitude == b.latitude && a.liaison == b.liaison;
}

}  // namespace

Result<ImportReport> import_institutions(store::Store& store, const std::string& path,
                                         const ImportOptions& options) {
  auto started = std::chrono::steady_clock::now();
  const auto& columns = institution_columns();
  auto opened = open_import(path, options.display_name, columns, kInstFieldCount);
  if (!opened.ok()) return opened.status();
  OpenedTable& t = *opened;

  ImportReport report;
  report.kind = "institutions";
  report.file_name = t.display_name;
  report.format = ingest::describe(t.format, t.encoding);
  report.sha256 = t.sha256;
  report.dry_run = options.dry_run;
  auto seen = check_already_imported(store, report.kind, t, report);
  if (!seen.ok()) return seen.status();
  if (*seen) return report;

  auto stored = store.list_institutions();
  if (!stored.ok()) return stored.status();
  std::unordered_map<std::string, domain::Institution> by_code;
  std::unordered_map<std::string, std::string> code_of_name;
  for (auto& i : *stored) {
    code_of_name[i.name] = i.code;
    by_code[i.code] = std::move(i);
  }
  std::unordered_map<std::string, long> row_of_code, row_of_name;

  auto tx = store.begin();
  if (!tx.ok()) return tx.status();
  std::string started_at = store::utc_now_iso();

  ingest::Row row;
  while (t.reader->next(row)) {
    ++report.rows;
    auto reject = [&](int field, std::string reason) {
      report.rejected.push_back({row.number, field < 0 ? "" : column_name(t, columns, field),
                                 std::move(reason), row_texts(t, row)});
    };
    domain::Institution inst;
    inst.code = trimmed(cell(t, row, kInstCode).text);
    inst.name = trimmed(cell(t, row, kInstName).text);
    std::string kind = trimmed(cell(t, row, kInstKind).text);
    inst.address = trimmed(cell(t, row, kInstAddress).text);
    inst.liaison = trimmed(cell(t, row, kInstLiaison).text);
    if (inst.code.empty()) {
      reject(kInstCode, "必填 (required)");
      continue;
    }
    if (inst.name.empty()) {
      reject(kInstName, "必填 (required)");
      continue;
    }
    if (auto why = too_long(inst.name, 100); !why.empty()) {
      reject(kInstName, why);
      continue;
    }
    if (auto why = too_long(inst.address, 200); !why.empty()) {
      reject(kInstAddress, why);
      continue;
    }
    if (!domain::parse_institution_kind(kind, inst.kind)) {
      reject(kInstKind,
             "未知学校类型 “" + kind +
                 "”，应为 高职/高校/中学/小学/九年一贯制/幼儿园/培训机构 (unknown kind)");
      continue;
    }
    if (!parse_coordinate(trimmed(cell(t, row, kInstLon).text), 73, 136, inst.longitude)) {
      reject(kInstLon, "经度应为 73–136 之间的数 (longitude must be a number in China's range)");
      continue;
    }
    if (!parse_coordinate(trimmed(cell(t, row, kInstLat).text), 3, 54, inst.latitude)) {
      reject(kInstLat, "纬度应为 3–54 之间的数 (latitude must be a number in China's range)");
      continue;
    }
    if (auto r = row_of_code.find(inst.code); r != row_of_code.end()) {
      reject(kInstCode, "与第" + std::to_string(r->second) + "行的学校代码重复 (duplicate of row " +
                            std::to_string(r->second) + ")");
      continue;
    }
    if (auto r = row_of_name.find(inst.name); r != row_of_name.end()) {
      reject(kInstName, "与第" + std::to_string(r->second) + "行的学校名称重复 (duplicate of row " +
                            std::to_string(r->second) + ")");
      continue;
    }
    if (auto n = code_of_name.find(inst.name); n != code_of_name.end() && n->second != inst.code) {
      reject(kInstName,
             "学校名称已被学校代码 " + n->second + " 使用 (name already used by another code)");
      continue;
    }
    row_of_code[inst.code] = row.number;
    row_of_name[inst.name] = row.number;

    auto existing = by_code.find(inst.code);
    if (existing == by_code.end()) {
      auto id = (*tx)->insert_institution(inst);
      if (!id.ok()) return id.status();
      ++report.imported;
    } else if (same(existing->second, inst)) {
      ++report.unchanged;
    } else {
      inst.id = existing->second.id;
      FX_RETURN_IF_ERROR((*tx)->update_institution(inst));
      report.updates.push_back({row.number, inst.code, {}});
      ++report.updated;
    }
    if (options.progress && report.rows % 1000 == 0) options.progress(report.rows);
  }
  if (!t.reader->status().ok()) return t.reader->status();

  if (!options.errors_out.empty() && !report.rejected.empty())
    FX_RETURN_IF_ERROR(write_errors_file(t, report.rejected, options.errors_out));
  if (options.dry_run) return report;

  FX_RETURN_IF_ERROR(commit_import(**tx, report, options, started_at, "institutions.imported"));
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace fx::app
