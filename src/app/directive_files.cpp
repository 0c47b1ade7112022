#include "app/directive_files.h"

#include <sodium.h>

#include <boost/json.hpp>
#include <set>

#include "app/directive_recipients.h"
#include "app/directives.h"
#include "app/health_access.h"
#include "core/utf8.h"

namespace fx::app {
namespace {

std::string sha256_hex(const std::string& data) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : h) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

// Name, type and size checked; the name without any folder part.
Result<store::DirectiveFile> checked(const Upload& u) {
  std::string name = u.name;
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos)
    name = name.substr(slash + 1);
  if (name.empty() || name == "." || name == "..")
    return Status::Invalid("name: 附件须有文件名 (the file needs a name)");
  if (name.size() > 200 || !valid_utf8(name))
    return Status::Invalid("name: 文件名过长或编码有误 (too long or not UTF-8)");
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20) return Status::Invalid("name: 含控制字符");
  if (u.data.empty()) return Status::Invalid("file: 附件为空 (the file is empty)");
  if (u.data.size() > kMaxAttachmentBytes)
    return Status::TooLarge("file: 附件超过 20 MB (over the 20 MB limit)");
  std::string type = u.content_type.empty() ? "application/octet-stream" : u.content_type;
  if (type.size() > 100 || type.find_first_of("\r\n") != std::string::npos)
    return Status::Invalid("content_type: 无效 (not a media type)");
  store::DirectiveFile f;
  f.name = name;
  f.content_type = type;
  f.size = static_cast<int64_t>(u.data.size());
  f.sha256 = sha256_hex(u.data);
  f.data = u.data;
  f.uploaded_at = u.now.empty() ? directive_now() : u.now;
  return f;
}

bool is_sender_side(const Caller& caller, const store::DirectiveRecord& d) {
  return caller.can(Permission::directives_send) &&
         (caller.role == Role::command || caller.task_group == d.sender_group);
}

// The recipient rows of the directive in the caller's scope, by id.
Result<std::set<int64_t>> visible_recipients(store::Store& store, const Caller& caller,
                                             int64_t id) {
  auto d = store.directives().get(id);
  if (!d.ok()) return d.status();
  auto index = RecipientIndex::load(store, caller);
  if (!index.ok()) return index.status();
  auto rows = store.directives().recipients({id, 0, false});
  if (!rows.ok()) return rows.status();
  std::set<int64_t> out;
  for (const auto& r : *rows)
    if (index->sees(*d, r)) out.insert(r.id);
  return out;
}

Status not_found(int64_t id) {
  return Status::NotFound("没有指令 " + std::to_string(id) + " (no directive " +
                          std::to_string(id) + ")");
}

}  // namespace

Result<int64_t> attach_to_directive(store::Store& store, const Caller& caller, int64_t id,
                                    const Upload& upload) {
  if (!caller.can(Permission::directives_send))
    return Status::PermissionDenied("需要权限 directives.send (needs directives.send)");
  auto d = store.directives().get(id);
  if (!d.ok()) return d.status();
  if (!is_sender_side(caller, *d))
    return Status::PermissionDenied(
        "只有发出指令的工作组或指挥部可以添加附件 (only the sender's group or command)");
  auto f = checked(upload);
  if (!f.ok()) return f.status();
  f->directive_id = id;
  f->uploaded_by = caller.actor();
  return store.directives().add_file(*f);
}

Result<int64_t> attach_to_feedback(store::Store& store, const Caller& caller, int64_t id,
                                   const std::string& code, const Upload& upload) {
  if (!caller.can(Permission::directives_act))
    return Status::PermissionDenied("需要权限 directives.act (needs directives.act)");
  auto index = RecipientIndex::load(store, caller);
  if (!index.ok()) return index.status();
  auto t = index->resolve(code);
  if (!t.ok())
    return Status::NotFound("recipient: 没有接收方 " + code + " (no recipient " + code + ")");
  auto rows =
      store.directives().recipients({id, t->institution_id, false, t->group_id, t->user_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty() || !index->acts_for(rows->front())) return not_found(id);
  const auto& r = rows->front();
  // Evidence goes with the feedback: after acknowledging, before acceptance.
  if (r.state != "acknowledged" && r.state != "done")
    return Status::Conflict("反馈附件须在确认接收后、验收前上传 (当前状态: " + r.state +
                            ") (feedback files go between acknowledgement and acceptance)");
  auto f = checked(upload);
  if (!f.ok()) return f.status();
  f->directive_id = id;
  f->recipient_id = r.id;
  f->uploaded_by = caller.actor();
  return store.directives().add_file(*f);
}

Result<std::vector<store::DirectiveFile>> list_directive_files(store::Store& store,
                                                               const Caller& caller, int64_t id) {
  if (!caller.can(Permission::directives_act) && !caller.can(Permission::directives_send))
    return Status::PermissionDenied("需要权限 directives.act (needs directives.act)");
  auto mine = visible_recipients(store, caller, id);
  if (!mine.ok()) return mine.status();
  if (mine->empty()) return not_found(id);
  auto all = store.directives().files(id);
  if (!all.ok()) return all.status();
  std::vector<store::DirectiveFile> out;
  for (auto& f : *all)
    if (f.recipient_id == 0 || mine->count(f.recipient_id)) out.push_back(std::move(f));
  return out;
}

Result<store::DirectiveFile> read_directive_file(store::Store& store, const Caller& caller,
                                                 int64_t id, int64_t file_id) {
  auto visible = list_directive_files(store, caller, id);
  if (!visible.ok()) return visible.status();
  bool found = false;
  for (const auto& f : *visible) found |= f.id == file_id;
  if (!found)
    return Status::NotFound("没有附件 " + std::to_string(file_id) + " (no attachment " +
                            std::to_string(file_id) + ")");
  auto f = store.directives().get_file(file_id);
  if (!f.ok()) return f.status();
  FX_RETURN_IF_ERROR(audit_health(store, caller, "directive.file.read", "directive_file", f->id, 0,
                                  "directive " + std::to_string(id)));
  return f;
}

std::string directive_files_json(const std::vector<store::DirectiveFile>& files) {
  boost::json::array a;
  for (const auto& f : files)
    a.push_back(boost::json::object{{"id", f.id},
                                    {"recipient_id", f.recipient_id},
                                    {"name", f.name},
                                    {"content_type", f.content_type},
                                    {"size", f.size},
                                    {"sha256", f.sha256},
                                    {"uploaded_by", f.uploaded_by},
                                    {"uploaded_at", f.uploaded_at}});
  return boost::json::serialize(boost::json::object{{"items", std::move(a)}});
}

}  // namespace fx::app
