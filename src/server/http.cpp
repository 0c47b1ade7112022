#include "server/http.h"

#include <boost/json.hpp>

namespace fx::server {

const std::string* Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return &v;
  return nullptr;
}

const std::string* Request::param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return &v;
  return nullptr;
}

std::string Request::cookie(std::string_view name) const {
  const std::string* c = header("cookie");
  if (!c) return {};
  std::string_view s = *c;
  while (!s.empty()) {
    size_t end = s.find(';');
    std::string_view part = s.substr(0, end);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name)
      return std::string(part.substr(eq + 1));
    if (end == std::string_view::npos) break;
    s.remove_prefix(end + 1);
  }
  return {};
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string json_error(std::string_view code, std::string_view message) {
  boost::json::object e{{"code", code}, {"message", message}};
  return boost::json::serialize(boost::json::object{{"error", std::move(e)}});
}

}  // namespace fx::server
