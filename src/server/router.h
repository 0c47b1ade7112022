// The route table and the one place where requests are authenticated,
// authorised, dispatched and their errors mapped to HTTP.
//
// The same table drives matching, the OpenAPI document (openapi.cpp), the
// metrics' route labels and the authorisation matrix test.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/caller.h"
#include "core/status.h"
#include "server/http.h"
#include "server/metrics.h"

namespace fx::server {

// Who may call a route.
enum class Access {
  open,           // anyone (login, health, the OpenAPI document)
  authenticated,  // any valid session or token (/me, /logout)
  permission,     // a caller with Route::permission
};

struct ParamDoc {
  std::string name;
  std::string in;               // "path" or "query"
  std::string type = "string";  // "string", "integer", "boolean"
  bool required = false;
  std::string description;
};

struct Context;
using RouteHandler = std::function<Response(Context&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/people/{id}": a {name} segment captures one segment
  Access access = Access::permission;
  app::Permission permission = app::Permission::figures_read;
  std::string tag, summary;
  std::vector<ParamDoc> params;
  std::string body;  // a short description of the request body, empty when none
  std::string produces = "application/json";
  size_t body_limit = 64 * 1024;
  RouteHandler handler;

  std::string label() const { return method + " " + pattern; }
};

// What a handler gets: the request, the caller (when the route needs one),
// the captured path parameters and the session's cookie value, if any.
struct Context {
  Request& request;
  const Route& route;
  app::Caller caller;
  bool authenticated = false;
  std::string session_token;
  std::map<std::string, std::string> path;
};

// Maps a Status to its HTTP status: the one place where that is decided.
int http_status(Status::Code code);
Response error_response(const Status& status);

// Serves routes; requests under no route go to `fallback` (static files).
class Router {
 public:
  Router(std::vector<Route> routes, app::Accounts& accounts, Handler fallback);

  const std::vector<Route>& routes() const { return routes_; }
  Metrics& metrics() { return metrics_; }

  Response handle(Request& request);
  // The largest body accepted for this request line (checked before reading it).
  size_t body_limit(const std::string& method, const std::vector<std::string>& segments) const;

 private:
  // The route index for method + path, or -1; `path_exists` when another method matches.
  int match(const std::string& method, const std::vector<std::string>& segments,
            std::map<std::string, std::string>* captured, bool* path_exists) const;
  Response dispatch(Request& request, int index, std::map<std::string, std::string> captured);

  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> split_;  // each pattern's segments
  app::Accounts& accounts_;
  Handler fallback_;
  Metrics metrics_;
};

}  // namespace fx::server
