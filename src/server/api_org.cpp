// Routes: the organisation (组织架构). Reading needs directives.act, editing
// org.manage; the app layer checks both and audits every edit. Phones go in
// and are only ever shown masked.
#include <boost/json.hpp>

#include "app/health_access.h"
#include "app/org.h"
#include "server/api.h"
#include "server/json_body.h"

namespace fx::server {
namespace {

namespace json = boost::json;

Response show(Api& api, Context& c) {
  auto v = app::show_org(api.store, c.caller);
  if (!v.ok()) return error_response(v.status());
  return json_ok(200, app::org_json(*v));
}

// One list as JSON (the whole organisation) or as a file.
Response list_file(Api& api, Context& c, bool members) {
  auto format = app::parse_export_format(str_param(c.request, "format"));
  if (!format.ok()) return error_response(format.status());
  auto v = app::show_org(api.store, c.caller);
  if (!v.ok()) return error_response(v.status());
  if (*format == app::ExportFormat::json) return json_ok(200, app::org_json(*v));
  auto file = app::export_to_bytes(
      api.upload_dir, *format, members ? "工作组成员" : "高校联络员", [&](const std::string& path) {
        return members ? app::export_org_members(*v, path) : app::export_org_liaisons(*v, path);
      });
  if (!file.ok()) return error_response(file.status());
  Response r = attachment(file->file_name, file->content_type, file->bytes,
                          members ? "org-members" : "org-liaisons");
  r.header("Cache-Control", "no-store");
  return r;
}

Response members(Api& api, Context& c) { return list_file(api, c, true); }
Response liaisons(Api& api, Context& c) { return list_file(api, c, false); }

Response put_member(Api& api, Context& c, int64_t id) {
  auto b = JsonBody::parse(c.request.body, {"group", "name", "title", "lead", "phone", "user"});
  if (!b.ok()) return error_response(b.status());
  auto group = b->string("group", true, 40);
  auto name = b->string("name", true, 100);
  auto title = b->string("title", false, 100);
  auto lead = b->boolean("lead");
  auto phone = b->string("phone", false, 40);
  auto user = b->string("user", false, 64);
  for (const Status* s : {&group.status(), &name.status(), &title.status(), &lead.status(),
                          &phone.status(), &user.status()})
    if (!s->ok()) return error_response(*s);
  app::MemberInput in;
  in.id = id;
  in.group = **group;
  in.name = **name;
  in.title = title->value_or("");
  in.lead = lead->value_or(false);
  in.phone = phone->value_or("");
  in.username = user->value_or("");
  auto out = app::put_org_member(api.store, c.caller, in);
  if (!out.ok()) return error_response(out.status());
  return json_ok(id ? 200 : 201, json::serialize(json::object{{"id", *out}}));
}

Response add_member(Api& api, Context& c) { return put_member(api, c, 0); }

Response set_member(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  return put_member(api, c, *id);
}

Response remove_member(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  Status s = app::remove_org_member(api.store, c.caller, *id);
  if (!s.ok()) return error_response(s);
  return json_ok(200, "{\"removed\":true}");
}

Response set_liaison(Api& api, Context& c) {
  auto b = JsonBody::parse(c.request.body, {"name", "phone", "user"});
  if (!b.ok()) return error_response(b.status());
  auto name = b->string("name", true, 100);
  auto phone = b->string("phone", false, 40);
  auto user = b->string("user", false, 64);
  for (const Status* s : {&name.status(), &phone.status(), &user.status()})
    if (!s->ok()) return error_response(*s);
  app::LiaisonInput in{c.path["code"], **name, phone->value_or(""), user->value_or("")};
  auto id = app::put_org_liaison(api.store, c.caller, in);
  if (!id.ok()) return error_response(id.status());
  return json_ok(200, json::serialize(json::object{{"id", *id}}));
}

Response remove_liaison(Api& api, Context& c) {
  Status s = app::remove_org_liaison(api.store, c.caller, c.path["code"]);
  if (!s.ok()) return error_response(s);
  return json_ok(200, "{\"removed\":true}");
}

}  // namespace

void add_org_routes(Api& api, std::vector<Route>& routes) {
  using P = app::Permission;
  auto add = [&](std::string method, std::string pattern, P perm, std::string summary,
                 std::vector<ParamDoc> params, Response (*fn)(Api&, Context&)) {
    Route r{std::move(method), std::move(pattern), Access::permission, perm, "org",
            std::move(summary)};
    r.params = std::move(params);
    r.handler = [&api, fn](Context& c) { return fn(api, c); };
    routes.push_back(std::move(r));
    return &routes.back();
  };
  const ParamDoc id{"id", "path", "integer", true, "member id"};
  const ParamDoc code{"code", "path", "string", true, "college (学校代码)"};
  const ParamDoc format{"format", "query", "string", false, "json (default), xlsx or csv"};
  const char* member_body =
      "{group: 综合调度|人员管控|物资保障|舆论引导|监督检查|教学保障, name, title?, lead?, "
      "phone?, user?}";
  add("GET", "/api/v1/org", P::directives_act,
      "The organisation: six task groups with members and lead, and the colleges' liaisons "
      "(phones masked)",
      {}, show);
  add("GET", "/api/v1/org/members", P::directives_act,
      "Group members as JSON (the organisation) or as a file", {format}, members);
  add("GET", "/api/v1/org/liaisons", P::directives_act,
      "College liaisons as JSON (the organisation) or as a file", {format}, liaisons);
  Route* r = add("POST", "/api/v1/org/members", P::org_manage,
                 "Add a group member; a lead takes the lead from the one before", {}, add_member);
  r->body = member_body;
  r = add("POST", "/api/v1/org/members/{id}", P::org_manage, "Replace a group member's details",
          {id}, set_member);
  r->body = member_body;
  add("DELETE", "/api/v1/org/members/{id}", P::org_manage, "Remove a group member", {id},
      remove_member);
  r = add("POST", "/api/v1/org/liaisons/{code}", P::org_manage,
          "Assign a college's liaison (one per college), replacing the one before", {code},
          set_liaison);
  r->body = "{name, phone?, user?}";
  add("DELETE", "/api/v1/org/liaisons/{code}", P::org_manage, "Remove a college's liaison", {code},
      remove_liaison);
}

}  // namespace fx::server
