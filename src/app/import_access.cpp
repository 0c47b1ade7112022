#include "app/import_access.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>

#include "app/imports.h"
#include "app/roster_columns.h"
#include "app/table_import.h"
#include "app/upload_file.h"
#include "core/utf8.h"

namespace fx::app {
namespace {

// Which institution each rejected row names, from its 学校代码 or 学校名称 cell.
Status keep_file_info(store::Store& store, const ImportReport& report, const std::string& path,
                      const std::string& display_name) {
  bool roster = report.kind == "roster";
  auto t = roster ? open_import(path, display_name, roster_columns(), kRosterFieldCount)
                  : open_import(path, display_name, institution_columns(), kInstFieldCount);
  if (!t.ok()) return t.status();
  int code_col = t->column_of[roster ? int{kRosterInstCode} : int{kInstCode}];
  int name_col = t->column_of[roster ? int{kRosterInstName} : int{kInstName}];
  auto insts = store.list_institutions();
  if (!insts.ok()) return insts.status();
  std::map<std::string, int64_t> by_code, by_name;
  for (const auto& i : *insts) by_code[i.code] = i.id, by_name[i.name] = i.id;
  store::ImportFileInfo info;
  info.import_id = report.import_id;
  info.header = t->header;
  info.format = static_cast<int>(t->format);
  info.encoding = static_cast<int>(t->encoding);
  for (const auto& r : report.rejected) {
    int64_t owner = 0;
    auto cell = [&](int col) -> std::string {
      return col >= 0 && static_cast<size_t>(col) < r.cells.size() ? r.cells[col] : "";
    };
    if (auto it = by_code.find(cell(code_col)); it != by_code.end())
      owner = it->second;
    else if (auto it2 = by_name.find(cell(name_col)); it2 != by_name.end())
      owner = it2->second;
    info.row_institution.emplace_back(r.row, owner);
  }
  return store.accounts().put_import_file_info(info);
}

Status audit(store::Store& store, const Caller& caller, const std::string& action,
             int64_t import_id, const std::string& detail) {
  store::AuditEntry e;
  e.actor = caller.actor();
  e.action = action;
  e.route = caller.route;
  e.subject_kind = "import";
  e.subject_id = import_id;
  e.detail = detail;
  e.remote = caller.remote;
  auto id = store.accounts().append_audit(e);
  return id.ok() ? Status::Ok() : id.status();
}

// The rejected rows of `record` the caller may see.
Result<store::ImportRecord> scoped(store::Store& store, const Caller& caller,
                                   store::ImportRecord record, store::ImportFileInfo* info_out) {
  auto info = store.accounts().get_import_file_info(record.id);
  if (!info.ok() && info.status().code() != Status::Code::not_found) return info.status();
  if (info_out && info.ok()) *info_out = *info;
  if (caller.all_institutions) return record;
  std::map<long, int64_t> owner;
  if (info.ok())
    for (const auto& [row, inst] : info->row_institution) owner[row] = inst;
  std::erase_if(record.rejections, [&](const store::Rejection& r) {
    auto it = owner.find(r.row);
    return it == owner.end() || it->second == 0 || !caller.sees(it->second);
  });
  return record;
}

}  // namespace

Result<ImportReport> import_upload(store::Store& store, const Vault& vault, const Caller& caller,
                                   const Upload& up) {
  if (!caller.can(Permission::imports_write))
    return Status::PermissionDenied("此角色不能导入 (this role cannot import)");
  if (up.kind != "roster" && up.kind != "institutions")
    return Status::Invalid("unknown import kind " + up.kind);
  FX_RETURN_IF_ERROR(check_upload_name(up.file_name));
  if (up.bytes.empty()) return Status::Invalid("上传的文件是空的 (the uploaded file is empty)");
  UploadFile file(up.upload_dir, up.file_name);
  FX_RETURN_IF_ERROR(file.write(up.bytes));
  ImportOptions options;
  options.actor = caller.actor();
  options.display_name = up.file_name;
  options.progress = up.progress;
  auto report = up.kind == "roster" ? import_roster(store, vault, file.path(), options)
                                    : import_institutions(store, file.path(), options);
  if (!report.ok()) return report.status();
  if (report->import_id) {
    FX_RETURN_IF_ERROR(keep_file_info(store, *report, file.path(), up.file_name));
    FX_RETURN_IF_ERROR(audit(store, caller, "import." + up.kind, report->import_id,
                             std::to_string(report->imported) + " imported, " +
                                 std::to_string(report->rejected.size()) + " rejected"));
  }
  return report;
}

Result<std::vector<store::ImportRecord>> list_imports(store::Store& store, const Caller& caller,
                                                      int limit) {
  if (!caller.can(Permission::imports_read))
    return Status::PermissionDenied("此角色不能查看导入记录 (this role cannot read imports)");
  return store.list_imports(std::clamp(limit, 1, 1000));
}

Result<store::ImportRecord> get_import(store::Store& store, const Caller& caller, int64_t id) {
  if (!caller.can(Permission::imports_read))
    return Status::PermissionDenied("此角色不能查看导入记录 (this role cannot read imports)");
  auto r = store.get_import(id);
  if (!r.ok()) return r.status();
  return scoped(store, caller, std::move(*r), nullptr);
}

Result<ErrorsFile> import_errors_file(store::Store& store, const Caller& caller, int64_t id,
                                      const std::string& scratch_dir) {
  if (!caller.can(Permission::imports_read))
    return Status::PermissionDenied("此角色不能查看导入记录 (this role cannot read imports)");
  auto r = store.get_import(id);
  if (!r.ok()) return r.status();
  store::ImportFileInfo info;
  auto rec = scoped(store, caller, std::move(*r), &info);
  if (!rec.ok()) return rec.status();
  OpenedTable t;
  t.header = info.header;
  t.format = static_cast<ingest::FileFormat>(info.format);
  t.encoding = static_cast<ingest::TextEncoding>(info.encoding);
  if (t.header.empty()) {  // imported from the command line: the header is not known
    t.format = ingest::FileFormat::csv;
    t.encoding = ingest::TextEncoding::utf8_bom;
    size_t width = 0;
    for (const auto& x : rec->rejections) width = std::max(width, x.cells.size());
    for (size_t i = 0; i < width; ++i) t.header.push_back("列" + std::to_string(i + 1));
  }
  bool xlsx = t.format == ingest::FileFormat::xlsx;
  UploadFile file(scratch_dir, xlsx ? "errors.xlsx" : "errors.csv");
  FX_RETURN_IF_ERROR(write_errors_file(t, rec->rejections, file.path()));
  auto bytes = file.read();
  if (!bytes.ok()) return bytes.status();
  ErrorsFile out;
  std::string stem = rec->file_name;
  if (auto dot = stem.rfind('.'); dot != std::string::npos) stem.resize(dot);
  out.file_name = stem + "-错误行" + (xlsx ? ".xlsx" : ".csv");
  out.content_type =
      xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
           : "text/csv; charset=" +
                 std::string(t.encoding == ingest::TextEncoding::gb18030 ? "gb18030" : "utf-8");
  out.bytes = std::move(*bytes);
  return out;
}

}  // namespace fx::app
