// Static files of the web front end from one folder: no path outside it
// (".." and "." segments, backslashes and NUL are refused), index.html for
// folders and for unknown paths without an extension (client-side routes).
#pragma once

#include <string>

#include "server/http.h"

namespace fx::server {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}
  Response serve(const Request& request) const;
  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

// The MIME type of a file name by its extension.
const char* mime_type(const std::string& name);

}  // namespace fx::server
