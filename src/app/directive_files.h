// Attachments (附件) on directives and on done-feedback, stored in the
// database as blobs with name, type, size and SHA-256. The sender's group or
// command attaches to a directive; an institution attaches to its own
// feedback while the row is acknowledged or done (not once accepted). A file
// is served back only to a caller who sees it: directive files to whoever
// sees the directive, feedback files to that institution and the senders;
// another institution's feedback file is NotFound. Reads are audited.
#pragma once

#include <string>
#include <vector>

#include "app/caller.h"
#include "store/store.h"

namespace fx::app {

constexpr size_t kMaxAttachmentBytes = 20u << 20;  // 20 MB: scans and spreadsheets, not video

struct Upload {
  std::string name;          // file name as given (no folders)
  std::string content_type;  // "" becomes application/octet-stream
  std::string data;
  std::string now;  // UTC ISO for tests; "" is the clock
};

Result<int64_t> attach_to_directive(store::Store& store, const Caller& caller, int64_t id,
                                    const Upload& file);
Result<int64_t> attach_to_feedback(store::Store& store, const Caller& caller, int64_t id,
                                   const std::string& institution_code, const Upload& file);
// The files the caller may see, without their bytes.
Result<std::vector<store::DirectiveFile>> list_directive_files(store::Store& store,
                                                               const Caller& caller, int64_t id);
// One file with its bytes; NotFound when absent or out of scope.
Result<store::DirectiveFile> read_directive_file(store::Store& store, const Caller& caller,
                                                 int64_t id, int64_t file_id);

std::string directive_files_json(const std::vector<store::DirectiveFile>& files);

}  // namespace fx::app
