// An uploaded file on disk while it is imported: the name the client gave is
// checked (a plain .csv or .xlsx name), the bytes go to a private folder with
// mode 0600, and the file is removed when the object dies.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace fx::app {

// OK for a plain file name ending in .csv or .xlsx; Invalid with the reason otherwise.
Status check_upload_name(const std::string& name);

class UploadFile {
 public:
  // A fresh name in `dir` (created 0700) with the extension of `client_name`.
  UploadFile(const std::string& dir, const std::string& client_name);
  ~UploadFile();
  UploadFile(const UploadFile&) = delete;
  UploadFile& operator=(const UploadFile&) = delete;

  Status write(std::string_view bytes);
  Result<std::string> read() const;  // what was written to path(), by us or by an exporter
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace fx::app
