// Routes: the impact preview of closing a dorm building or a class, and the
// chain of transmission for the dashboard's graph (docs/api.md).
#include "app/chain.h"
#include "app/impact.h"
#include "server/api.h"

namespace fx::server {
namespace {

Response impact(Api& api, Context& c) {
  app::ImpactRequest req;
  req.institution_code = str_param(c.request, "institution");
  req.dorm_building = str_param(c.request, "dorm_building");
  req.class_name = str_param(c.request, "class");
  auto unit = int_param(c.request, "unit", 0, 0, INT64_MAX);
  if (!unit.ok()) return error_response(unit.status());
  req.unit_id = *unit;
  if (req.institution_code.empty())
    return error_response(Status::Invalid("institution: 必填 (required)"));
  auto m = app::preview_impact(api.store, c.caller, req);
  if (!m.ok()) return error_response(m.status());
  return json_ok(200, app::impact_json(*m));
}

Response chain(Api& api, Context& c) {
  auto m = app::transmission_chain(api.store, c.caller);
  if (!m.ok()) return error_response(m.status());
  return json_ok(200, app::chain_json(*m));
}

}  // namespace

void add_impact_routes(Api& api, std::vector<Route>& routes) {
  Route r{"GET",
          "/api/v1/impact",
          Access::permission,
          app::Permission::people_list,
          "tracing",
          "Impact preview: what closing a dorm building or a class would touch"};
  r.params = {{"institution", "query", "string", true, "学校代码"},
              {"dorm_building", "query", "string", false, "宿舍楼: 3号楼 (or 3)"},
              {"class", "query", "string", false, "班级: the last level of a unit path"},
              {"unit", "query", "integer", false, "unit id: a unit and everything below it"}};
  r.handler = [&api](Context& c) { return impact(api, c); };
  routes.push_back(std::move(r));
  Route ch{"GET",
           "/api/v1/chain",
           Access::permission,
           app::Permission::people_list,
           "tracing",
           "The chain of transmission: cases, contacts and links with minutes"};
  ch.handler = [&api](Context& c) { return chain(api, c); };
  routes.push_back(std::move(ch));
}

}  // namespace fx::server
