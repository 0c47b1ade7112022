#include "app/table_import.h"

#include <algorithm>
#include <cctype>

#include "core/vault.h"

namespace fx::app {
namespace {

// Header cells as people type them: " 姓名 ", "*姓名", "姓名（必填）", "Name".
std::string normalise_header(std::string_view h) {
  std::string s(h);
  auto strip = [&](std::string_view token) {
    size_t pos;
    while ((pos = s.find(token)) != std::string::npos) s.erase(pos, token.size());
  };
  strip("（必填）");
  strip("(必填)");
  strip("*");
  strip("　");  // ideographic space
  strip(" ");
  strip("\t");
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const ingest::Cell kEmptyCell{};

}  // namespace

std::string base_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Result<OpenedTable> open_import(const std::string& path, const std::string& display_name,
                                const std::vector<ColumnSpec>& columns, int field_count,
                                const std::vector<std::vector<int>>& any_of) {
  OpenedTable t;
  t.display_name = display_name.empty() ? base_name(path) : display_name;
  auto sha = sha256_file(path);
  if (!sha.ok()) return Status::IoError(t.display_name + ": " + sha.status().message());
  t.sha256 = *sha;
  auto reader = ingest::open_table(path, {}, t.display_name);
  if (!reader.ok()) return reader.status();
  t.reader = std::move(*reader);
  t.format = t.reader->format();
  t.encoding = t.reader->encoding();

  ingest::Row header;
  if (!t.reader->next(header)) {
    if (!t.reader->status().ok()) return t.reader->status();
    return Status::Invalid(t.display_name +
                           ": 文件为空，没有表头 (the file is empty: no header row)");
  }
  t.column_of.assign(field_count, -1);
  for (size_t i = 0; i < header.cells.size(); ++i) {
    t.header.push_back(header.cells[i].text);
    std::string h = normalise_header(header.cells[i].text);
    if (h.empty()) continue;
    for (const auto& spec : columns) {
      if (t.column_of[spec.field] >= 0) continue;
      for (const auto& alias : spec.headers) {
        if (normalise_header(alias) == h) {
          t.column_of[spec.field] = static_cast<int>(i);
          break;
        }
      }
    }
  }
  std::vector<std::string> missing;
  for (const auto& spec : columns)
    if (spec.required && t.column_of[spec.field] < 0) missing.push_back(spec.headers.front());
  for (const auto& group : any_of) {
    bool found =
        std::any_of(group.begin(), group.end(), [&](int f) { return t.column_of[f] >= 0; });
    if (found) continue;
    std::string names;
    for (int f : group) {
      for (const auto& spec : columns)
        if (spec.field == f) names += (names.empty() ? "" : " 或 ") + spec.headers.front();
    }
    missing.push_back(names);
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : "、") + m;
    return Status::Invalid(t.display_name + " 第1行: 缺少必需的列 " + list +
                           " (row 1: missing required columns)");
  }
  return t;
}

std::string column_name(const OpenedTable& t, const std::vector<ColumnSpec>& columns, int field) {
  int col = t.column_of[field];
  if (col >= 0 && col < static_cast<int>(t.header.size())) return t.header[col];
  for (const auto& spec : columns)
    if (spec.field == field) return spec.headers.front();
  return "";
}

const ingest::Cell& cell(const OpenedTable& t, const ingest::Row& row, int field) {
  int col = t.column_of[field];
  if (col < 0 || col >= static_cast<int>(row.cells.size())) return kEmptyCell;
  return row.cells[col];
}

std::vector<std::string> row_texts(const OpenedTable& t, const ingest::Row& row) {
  std::vector<std::string> out(std::max(t.header.size(), row.cells.size()));
  for (size_t i = 0; i < row.cells.size(); ++i) out[i] = row.cells[i].text;
  return out;
}

Status write_errors_file(const OpenedTable& t, const std::vector<store::Rejection>& rejected,
                         const std::string& path) {
  ingest::WriteOptions options;
  options.sheet_name = "错误行";
  auto writer = ingest::create_table(path, t.format, t.encoding, options);
  if (!writer.ok()) return writer.status();
  std::vector<std::string> header = t.header;
  header.push_back("错误原因");
  FX_RETURN_IF_ERROR((*writer)->write_row(header));
  for (const auto& r : rejected) {
    std::vector<std::string> cells = r.cells;
    cells.resize(t.header.size());
    cells.push_back(r.column.empty() ? r.reason : r.column + ": " + r.reason);
    FX_RETURN_IF_ERROR((*writer)->write_row(cells));
  }
  return (*writer)->close();
}

Result<bool> check_already_imported(store::Store& store, const std::string& kind,
                                    const OpenedTable& t, ImportReport& report) {
  auto previous = store.find_import(kind, t.sha256);
  if (!previous.ok()) return previous.status();
  if (!previous->has_value()) return false;
  const auto& p = **previous;
  report.already_imported = true;
  report.previous_import_id = p.id;
  report.previous_import_at = p.finished_at;
  report.rows = p.rows;
  report.unchanged = p.imported + p.updated + p.unchanged;
  return true;
}

store::ImportRecord import_record(const ImportReport& report, const ImportOptions& options,
                                  const std::string& started_at) {
  store::ImportRecord record;
  record.kind = report.kind;
  record.file_name = report.file_name;
  record.sha256 = report.sha256;
  record.format = report.format;
  record.started_at = started_at;
  record.finished_at = store::utc_now_iso();
  record.actor = options.actor;
  record.rows = report.rows;
  record.imported = report.imported;
  record.updated = report.updated;
  record.unchanged = report.unchanged;
  record.rejected = static_cast<long>(report.rejected.size());
  record.rejections = report.rejected;
  return record;
}

Status commit_import(store::WriteTx& tx, ImportReport& report, const ImportOptions& options,
                     const std::string& started_at, const std::string& change_kind) {
  auto import_id = tx.insert_import(import_record(report, options, started_at));
  if (!import_id.ok()) return import_id.status();
  report.import_id = *import_id;
  store::Change change;
  change.kind = change_kind;
  change.subject_id = report.import_id;
  change.detail = "{\"imported\":" + std::to_string(report.imported) +
                  ",\"updated\":" + std::to_string(report.updated) + "}";
  auto seq = tx.append_change(change);
  if (!seq.ok()) return seq.status();
  return tx.commit();
}

}  // namespace fx::app
