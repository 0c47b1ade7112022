#include "server/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fx::server {
namespace {

Response not_found() {
  return Response::json(404, json_error("not_found", "没有此文件 (no such file)"));
}

bool read_file(const std::filesystem::path& p, std::string& out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) return false;
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

}  // namespace

const char* mime_type(const std::string& name) {
  auto ext = std::filesystem::path(name).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".map") return "application/json";
  return "application/octet-stream";
}

Response StaticFiles::serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD")
    return Response::json(405, json_error("method_not_allowed", "method not allowed"));
  std::filesystem::path rel;
  for (const auto& s : request.segments) {
    if (s == ".." || s == "." || s.find('\\') != std::string::npos ||
        s.find('\0') != std::string::npos || s.find('/') != std::string::npos)
      return Response::json(400, json_error("invalid_argument", "路径无效 (invalid path)"));
    if (!s.empty()) rel /= s;
  }
  if (root_.empty()) return not_found();
  std::filesystem::path root(root_);
  std::filesystem::path full = root / rel;
  std::error_code ec;
  if (rel.empty() || std::filesystem::is_directory(full, ec)) full /= "index.html";
  Response r;
  r.status = 200;
  if (!read_file(full, r.body)) {
    // A client-side route (no extension) gets the application's page.
    if (rel.has_extension() || !read_file(root / "index.html", r.body)) return not_found();
    full = root / "index.html";
  }
  r.content_type = mime_type(full.filename().string());
  bool hashed = rel.string().starts_with("assets");
  r.header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

}  // namespace fx::server
