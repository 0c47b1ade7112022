#include "server/router.h"

#include <chrono>
#include <cstdio>
#include <exception>

namespace fx::server {
namespace {

std::vector<std::string> split_pattern(const std::string& pattern) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= pattern.size()) {
    size_t end = pattern.find('/', start);
    if (end == std::string::npos) end = pattern.size();
    out.push_back(pattern.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::vector<std::string> route_labels(const std::vector<Route>& routes) {
  std::vector<std::string> out;
  for (const auto& r : routes) out.push_back(r.label());
  return out;
}

bool unsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

int http_status(Status::Code code) {
  switch (code) {
    case Status::Code::ok:
      return 200;
    case Status::Code::invalid_argument:
      return 400;
    case Status::Code::not_found:
      return 404;
    case Status::Code::already_exists:
      return 409;
    case Status::Code::conflict:
      return 409;
    case Status::Code::unauthenticated:
      return 401;
    case Status::Code::permission_denied:
      return 403;
    case Status::Code::too_large:
      return 413;
    case Status::Code::rate_limited:
      return 429;
    case Status::Code::unavailable:
      return 503;
    case Status::Code::io_error:
      return 500;
    case Status::Code::internal:
      return 500;
  }
  return 500;
}

Response error_response(const Status& status) {
  int code = http_status(status.code());
  // A server-side failure is logged in full and answered without details.
  if (code >= 500 && code != 503) {
    std::fprintf(stderr, "fangxian: internal error: %s\n", status.message().c_str());
    return Response::json(code, json_error(status.code_name(), "服务器内部错误 (internal error)"));
  }
  Response r = Response::json(code, json_error(status.code_name(), status.message()));
  if (code == 401) r.header("WWW-Authenticate", "Bearer realm=\"fangxian\"");
  return r;
}

Router::Router(std::vector<Route> routes, app::Accounts& accounts, Handler fallback)
    : routes_(std::move(routes)),
      accounts_(accounts),
      fallback_(std::move(fallback)),
      metrics_(route_labels(routes_)) {
  for (const auto& r : routes_) split_.push_back(split_pattern(r.pattern));
}

int Router::match(const std::string& method, const std::vector<std::string>& segments,
                  std::map<std::string, std::string>* captured, bool* path_exists) const {
  for (size_t i = 0; i < routes_.size(); ++i) {
    const auto& pat = split_[i];
    if (pat.size() != segments.size()) continue;
    bool ok = true;
    for (size_t k = 0; k < pat.size() && ok; ++k) {
      bool capture = pat[k].size() > 2 && pat[k].front() == '{' && pat[k].back() == '}';
      ok = capture ? !segments[k].empty() : pat[k] == segments[k];
    }
    if (!ok) continue;
    if (routes_[i].method != method && !(method == "HEAD" && routes_[i].method == "GET")) {
      if (path_exists) *path_exists = true;
      continue;
    }
    if (captured)
      for (size_t k = 0; k < pat.size(); ++k)
        if (pat[k].front() == '{') (*captured)[pat[k].substr(1, pat[k].size() - 2)] = segments[k];
    return static_cast<int>(i);
  }
  return -1;
}

size_t Router::body_limit(const std::string& method,
                          const std::vector<std::string>& segments) const {
  int i = match(method, segments, nullptr, nullptr);
  return i < 0 ? 0 : routes_[i].body_limit;
}

Response Router::handle(Request& request) {
  auto start = std::chrono::steady_clock::now();
  std::map<std::string, std::string> captured;
  bool path_exists = false;
  int i = match(request.method, request.segments, &captured, &path_exists);
  Response r;
  if (i >= 0) {
    r = dispatch(request, i, std::move(captured));
    r.route = routes_[i].label();
  } else if (path_exists) {
    r = Response::json(405,
                       json_error("method_not_allowed", "此路径不支持该方法 (method not allowed)"));
    r.route = "method not allowed";
  } else if (!request.segments.empty() && request.segments[0] == "api") {
    r = Response::json(404, json_error("not_found", "没有此接口 (no such route)"));
    r.route = "no route";
  } else {
    r = fallback_(request);
    if (r.route.empty()) r.route = "static";
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.observe(i, r.status, seconds);
  return r;
}

Response Router::dispatch(Request& request, int index, std::map<std::string, std::string> path) {
  const Route& route = routes_[index];
  Context ctx{request, route, {}, false, {}, std::move(path)};
  if (route.access != Access::open) {
    Result<app::Caller> caller =
        Status::Unauthenticated("需要登录 (log in, or send Authorization: Bearer <token>)");
    const std::string* auth = request.header("authorization");
    if (auth && auth->starts_with("Bearer ")) {
      caller = accounts_.token_caller(auth->substr(7));
    } else if (std::string s = request.cookie("fx_session"); !s.empty()) {
      caller = accounts_.session_caller(s);
      if (caller.ok() && unsafe(request.method)) {
        const std::string* csrf = request.header("x-csrf-token");
        if (!csrf || !accounts_.csrf_ok(s, *csrf))
          return error_response(Status::PermissionDenied(
              "缺少或错误的 CSRF 令牌 (missing or wrong X-CSRF-Token header)"));
      }
      ctx.session_token = std::move(s);
    }
    if (!caller.ok()) return error_response(caller.status());
    ctx.caller = std::move(*caller);
    ctx.authenticated = true;
    if (route.access == Access::permission && !ctx.caller.can(route.permission))
      return error_response(
          Status::PermissionDenied(std::string("此角色无权访问 (this role may not: ") +
                                   app::permission_name(route.permission) + ")"));
    ctx.caller.route = route.label();
    ctx.caller.remote = request.remote;
  }
  try {
    return route.handler(ctx);
  } catch (const std::exception& e) {
    return error_response(Status::Internal(route.label() + ": " + e.what()));
  }
}

}  // namespace fx::server
