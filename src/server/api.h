// The JSON API under /api/v1: the route table and the services its handlers
// share. Handlers are thin: parse the request, call one app-layer function,
// serialise the answer. docs/api.md describes the routes for people; the
// OpenAPI document is generated from the same table.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/case_desk.h"
#include "app/round_views.h"
#include "core/vault.h"
#include "server/router.h"
#include "store/store.h"

namespace fx::server {

// Work that outlives its request (an import streaming its progress): counted
// so that shutdown waits for it.
class BackgroundJobs {
 public:
  void run(std::function<void()> fn);
  void wait_idle();

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  int running_ = 0;
};

struct Api {
  store::Store& store;
  const Vault& vault;
  app::Accounts& accounts;
  std::string upload_dir;                      // private folder for uploads while they are imported
  bool secure_cookies = false;                 // add Secure to the session cookie (behind TLS)
  Metrics* metrics = nullptr;                  // set once the router exists
  const std::vector<Route>* routes = nullptr;  // likewise (for the OpenAPI document)
  BackgroundJobs jobs;

  // /stats/overview by scope, valid while the change feed has not moved.
  std::mutex overview_mutex;
  std::map<std::string, std::pair<int64_t, std::string>> overview_cache;

  // The test rounds' columnar board, kept up to date from the change feed.
  app::RoundViews rounds;
  // POST /cases: the tracing index, cached between requests (app/case_desk.h).
  app::CaseDesk case_desk;
  // A positive individual result opens the case (app/auto_confirm.h); serve --no-auto-confirm.
  bool auto_confirm = true;
};

// Every route: /api/v1/…, /healthz and /metrics.
std::vector<Route> api_routes(Api& api);

// Parts of the table, one per file.
void add_account_routes(Api& api, std::vector<Route>& routes);    // api_accounts.cpp
void add_roster_routes(Api& api, std::vector<Route>& routes);     // api_roster.cpp
void add_import_routes(Api& api, std::vector<Route>& routes);     // api_imports.cpp
void add_round_routes(Api& api, std::vector<Route>& routes);      // api_rounds.cpp
void add_tracking_routes(Api& api, std::vector<Route>& routes);   // api_tracking.cpp
void add_impact_routes(Api& api, std::vector<Route>& routes);     // api_impact.cpp
void add_directive_routes(Api& api, std::vector<Route>& routes);  // api_directives.cpp
// api_inspections.cpp
void add_inspection_routes(Api& api, std::vector<Route>& routes);
void add_teaching_routes(Api& api, std::vector<Route>& routes);   // api_teaching.cpp
void add_screening_routes(Api& api, std::vector<Route>& routes);  // api_screening.cpp
void add_org_routes(Api& api, std::vector<Route>& routes);        // api_org.cpp

// The OpenAPI 3.0 document of `routes`.
std::string openapi_json(const std::vector<Route>& routes);

// Helpers for handlers.
Response json_ok(int status, const std::string& body);
// An integer query parameter; Invalid when present and not an integer in [min, max].
Result<int64_t> int_param(const Request& r, std::string_view name, int64_t fallback, int64_t min,
                          int64_t max);
// A file to download: Content-Disposition with the UTF-8 name (RFC 5987) and
// an ASCII fallback of the same extension.
Response attachment(const std::string& file_name, const std::string& content_type,
                    std::string bytes, const std::string& ascii_stem = "download");
// A query parameter's value, or "" when absent.
std::string str_param(const Request& r, std::string_view name);
// A positive id from a path parameter; NotFound when it is not one.
Result<int64_t> id_param(const Context& c, const std::string& name);

}  // namespace fx::server
