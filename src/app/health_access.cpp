#include "app/health_access.h"

#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fx::app {

Status audit_health(store::Store& store, const Caller& caller, const std::string& action,
                    const std::string& subject_kind, int64_t subject_id, int64_t institution_id,
                    const std::string& detail) {
  store::AuditEntry e;
  e.actor = caller.actor();
  e.action = action;
  e.route = caller.route;
  e.subject_kind = subject_kind;
  e.subject_id = subject_id;
  e.institution_id = institution_id;
  e.detail = detail;
  e.remote = caller.remote;
  auto id = store.accounts().append_audit(e);
  return id.ok() ? Status::Ok() : id.status();
}

Result<int64_t> institution_of(store::Store& store, int64_t person_id) {
  auto p = store.get_person(person_id);
  if (!p.ok()) return p.status();
  return p->institution_id;
}

Result<ExportFormat> parse_export_format(const std::string& text) {
  if (text.empty() || text == "json") return ExportFormat::json;
  if (text == "xlsx") return ExportFormat::xlsx;
  if (text == "csv") return ExportFormat::csv;
  return Status::Invalid("format: 应为 json、xlsx 或 csv (format must be json, xlsx or csv)");
}

Result<ExportedFile> export_to_bytes(const std::string& scratch_dir, ExportFormat format,
                                     const std::string& stem,
                                     const std::function<Status(const std::string&)>& write) {
  const bool xlsx = format == ExportFormat::xlsx;
  const std::string ext = xlsx ? ".xlsx" : ".csv";
  std::error_code ec;
  std::filesystem::create_directories(scratch_dir, ec);
  ::chmod(scratch_dir.c_str(), 0700);  // the file holds names: private folder
  unsigned char raw[12];
  randombytes_buf(raw, sizeof raw);
  std::string name = "export-";
  for (unsigned char b : raw)
    name += "0123456789abcdef"[b >> 4], name += "0123456789abcdef"[b & 15];
  const std::string path = (std::filesystem::path(scratch_dir) / (name + ext)).string();
  struct Remove {
    const std::string& p;
    ~Remove() {
      std::error_code e;
      std::filesystem::remove(p, e);
    }
  } remove{path};
  FX_RETURN_IF_ERROR(write(path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read back the exported file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  ExportedFile out;
  out.file_name = stem + ext;
  out.content_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                          : "text/csv; charset=utf-8";
  out.bytes = bytes.str();
  return out;
}

}  // namespace fx::app
