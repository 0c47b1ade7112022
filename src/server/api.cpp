#include "server/api.h"

#include <boost/json.hpp>
#include <charconv>
#include <thread>

namespace fx::server {

void BackgroundJobs::run(std::function<void()> fn) {
  {
    std::lock_guard lock(mutex_);
    ++running_;
  }
  std::thread([this, fn = std::move(fn)] {
    fn();
    std::lock_guard lock(mutex_);
    if (--running_ == 0) idle_.notify_all();
  }).detach();
}

void BackgroundJobs::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return running_ == 0; });
}

Response json_ok(int status, const std::string& body) { return Response::json(status, body); }

Result<int64_t> int_param(const Request& r, std::string_view name, int64_t fallback, int64_t min,
                          int64_t max) {
  const std::string* v = r.param(name);
  if (!v || v->empty()) return fallback;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < min || n > max)
    return Status::Invalid("参数 " + std::string(name) + " 须为 " + std::to_string(min) + "–" +
                           std::to_string(max) + " 的整数 (" + std::string(name) +
                           " must be an integer in range)");
  return n;
}

Response attachment(const std::string& name, const std::string& content_type, std::string bytes,
                    const std::string& ascii_stem) {
  static const char* hex = "0123456789ABCDEF";
  std::string enc;
  for (unsigned char ch : name) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_')
      enc.push_back(static_cast<char>(ch));
    else
      enc += {'%', hex[ch >> 4], hex[ch & 15]};
  }
  auto dot = name.rfind('.');
  std::string ext = dot == std::string::npos ? "" : name.substr(dot);
  for (char ch : ext)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.') ext.clear();
  Response r;
  r.content_type = content_type;
  r.body = std::move(bytes);
  r.header("Content-Disposition",
           "attachment; filename=\"" + ascii_stem + ext + "\"; filename*=UTF-8''" + enc);
  return r;
}

std::string str_param(const Request& r, std::string_view name) {
  const std::string* v = r.param(name);
  return v ? *v : std::string();
}

Result<int64_t> id_param(const Context& c, const std::string& name) {
  auto it = c.path.find(name);
  int64_t n = 0;
  if (it != c.path.end()) {
    const std::string& v = it->second;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec == std::errc() && end == v.data() + v.size() && n > 0) return n;
  }
  return Status::NotFound("没有此记录 (no such record)");
}

std::vector<Route> api_routes(Api& api) {
  std::vector<Route> routes;
  add_account_routes(api, routes);
  add_roster_routes(api, routes);
  add_import_routes(api, routes);
  add_round_routes(api, routes);
  add_tracking_routes(api, routes);
  add_impact_routes(api, routes);
  add_directive_routes(api, routes);
  add_inspection_routes(api, routes);
  add_teaching_routes(api, routes);
  add_screening_routes(api, routes);
  add_org_routes(api, routes);

  Route openapi{"GET", "/api/v1/openapi.json", Access::open};
  openapi.tag = "meta";
  openapi.summary = "This API as an OpenAPI 3 document";
  openapi.handler = [&api](Context&) { return json_ok(200, openapi_json(*api.routes)); };
  routes.push_back(std::move(openapi));

  Route health{"GET", "/healthz", Access::open};
  health.tag = "meta";
  health.summary = "Liveness and store reachability";
  health.handler = [&api](Context&) {
    auto seq = api.store.last_change_seq();
    if (!seq.ok()) return Response::json(503, json_error("unavailable", "store unreachable"));
    return json_ok(200, boost::json::serialize(
                            boost::json::object{{"status", "ok"},
                                                {"schema_version", api.store.schema_version()},
                                                {"last_change", *seq}}));
  };
  routes.push_back(std::move(health));

  Route metrics{"GET", "/metrics", Access::open};
  metrics.tag = "meta";
  metrics.summary = "Prometheus metrics: requests and latency by route, imports, sessions";
  metrics.produces = "text/plain";
  metrics.handler = [&api](Context&) {
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = api.metrics ? api.metrics->render() : "";
    return r;
  };
  routes.push_back(std::move(metrics));
  return routes;
}

}  // namespace fx::server
