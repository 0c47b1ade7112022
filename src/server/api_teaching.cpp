// Routes: teaching continuity (线上教学) and front-line volunteers (支援一线)
// (docs/api.md, "Teaching and volunteers"). Scope, checks and audit live in
// src/app; here requests are read and answers written.
#include <boost/json.hpp>

#include "app/health_access.h"
#include "app/teaching.h"
#include "app/volunteers.h"
#include "core/utf8.h"
#include "server/api.h"
#include "server/json_body.h"

namespace fx::server {
namespace {

namespace json = boost::json;

// {"rows": [{field: string | number | boolean | null}, …]}: each row's
// fields as text, numbered from 1, so that errors name the row.
Result<std::vector<app::InputRow>> rows_of(const std::string& body) {
  if (!valid_utf8(body)) return Status::Invalid("请求体不是有效的 UTF-8 (body is not UTF-8)");
  boost::system::error_code ec;
  json::parse_options opt;
  opt.max_depth = 8;
  json::value v = json::parse(body, ec, {}, opt);  // kept in a local: rows point into it
  if (ec) return Status::Invalid("请求体不是有效的 JSON (malformed JSON: " + ec.message() + ")");
  if (!v.is_object()) return Status::Invalid("请求体须为 JSON 对象 (the body must be an object)");
  const json::object& o = v.as_object();
  for (const auto& kv : o)
    if (kv.key() != "rows")
      return Status::Invalid("未知字段 unknown field '" + std::string(kv.key()) + "'");
  auto it = o.find("rows");
  if (it == o.end() || !it->value().is_array())
    return Status::Invalid("rows: 须为数组 (rows must be an array of objects)");
  std::vector<app::InputRow> rows;
  long n = 0;
  for (const json::value& r : it->value().as_array()) {
    ++n;
    if (!r.is_object())
      return Status::Invalid("第" + std::to_string(n) + "行: 须为对象 (row must be an object)");
    app::InputRow row;
    row.number = n;
    for (const auto& kv : r.as_object()) {
      const json::value& x = kv.value();
      std::string text;
      if (x.is_string())
        text = std::string(x.as_string());
      else if (x.is_int64())
        text = std::to_string(x.as_int64());
      else if (x.is_uint64())
        text = std::to_string(x.as_uint64());
      else if (x.is_bool())
        text = x.as_bool() ? "true" : "false";
      else if (x.is_double())
        text = json::serialize(x);  // 3.5 in a whole-number field: the validator says so
      else if (!x.is_null())
        return Status::Invalid("第" + std::to_string(n) + "行 " + std::string(kv.key()) +
                               ": 须为文字或数字 (must be text or a number)");
      row.fields[std::string(kv.key())] = std::move(text);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// An export as an attachment, never cached (names of children and families).
Response file_response(const app::ExportedFile& f, const std::string& ascii_stem) {
  Response r = attachment(f.file_name, f.content_type, f.bytes, ascii_stem);
  r.header("Cache-Control", "no-store");
  return r;
}

Response list(Api& api, Context& c, app::TeachingKind kind) {
  auto format = app::parse_export_format(str_param(c.request, "format"));
  if (!format.ok()) return error_response(format.status());
  app::TeachingQuery q;
  q.institution = str_param(c.request, "institution");
  q.day = str_param(c.request, "day");
  auto lists = app::load_teaching(api.store, c.caller, kind, q);
  if (!lists.ok()) return error_response(lists.status());
  if (*format == app::ExportFormat::json)
    return json_ok(200, app::teaching_list_json(*lists, kind));
  auto file = app::export_to_bytes(
      api.upload_dir, *format, app::teaching_kind_name(kind),
      [&](const std::string& path) { return app::export_teaching_list(*lists, kind, path); });
  if (!file.ok()) return error_response(file.status());
  return file_response(*file, std::string("teaching-") + app::teaching_kind_code(kind));
}

Response report(Api& api, Context& c, app::TeachingKind kind) {
  auto rows = rows_of(c.request.body);
  if (!rows.ok()) return error_response(rows.status());
  auto ids = app::save_teaching(api.store, c.caller, kind, *rows);
  if (!ids.ok()) return error_response(ids.status());
  json::array a(ids->begin(), ids->end());
  return json_ok(201, json::serialize(json::object{{"saved", ids->size()}, {"ids", std::move(a)}}));
}

Response history(Api& api, Context& c) {
  app::TeachingKind kind;
  if (!app::parse_teaching_kind(str_param(c.request, "kind"), kind))
    return error_response(Status::Invalid(
        "kind: 应为 attendance、access、care、spot-checks 或 activities (unknown kind)"));
  auto id = int_param(c.request, "id", 0, 1, INT64_MAX);
  if (!id.ok()) return error_response(id.status());
  if (!*id) return error_response(Status::Invalid("id: 必填 (required)"));
  auto revs = app::teaching_history(api.store, c.caller, kind, *id);
  if (!revs.ok()) return error_response(revs.status());
  return json_ok(200, app::teaching_history_json(*revs));
}

Response figures(Api& api, Context& c) {
  app::TeachingQuery q;
  q.institution = str_param(c.request, "institution");
  q.day = str_param(c.request, "day");
  auto f = app::teaching_figures(api.store, c.caller, q);
  if (!f.ok()) return error_response(f.status());
  return json_ok(200, app::teaching_figures_json(*f));
}

app::VolunteerQuery volunteer_query(const Request& r) {
  app::VolunteerQuery q;
  q.institution = str_param(r, "institution");
  q.now = str_param(r, "now");
  return q;
}

Response volunteer_figures(Api& api, Context& c) {
  auto b = app::volunteer_figures(api.store, c.caller, volunteer_query(c.request));
  if (!b.ok()) return error_response(b.status());
  return json_ok(200, app::volunteer_board_json(*b, false));
}

Response sites(Api& api, Context& c) {
  auto s = app::list_volunteer_sites(api.store, c.caller);
  if (!s.ok()) return error_response(s.status());
  return json_ok(200, app::volunteer_sites_json(*s));
}

Response add_site(Api& api, Context& c) {
  auto body = JsonBody::parse(c.request.body, {"name", "kind", "address"});
  if (!body.ok()) return error_response(body.status());
  auto name = body->string("name", true, 200);
  if (!name.ok()) return error_response(name.status());
  auto kind = body->string("kind", true, 40);
  if (!kind.ok()) return error_response(kind.status());
  auto address = body->string("address", false, 500);
  if (!address.ok()) return error_response(address.status());
  auto id = app::add_volunteer_site(api.store, c.caller, **name, **kind, address->value_or(""));
  if (!id.ok()) return error_response(id.status());
  return json_ok(201, json::serialize(json::object{{"id", *id}}));
}

Response shifts(Api& api, Context& c) {
  auto format = app::parse_export_format(str_param(c.request, "format"));
  if (!format.ok()) return error_response(format.status());
  std::string which = str_param(c.request, "list");
  if (which.empty()) which = "shifts";
  if (which != "shifts" && which != "now" && which != "people" && which != "institutions")
    return error_response(Status::Invalid("list: 应为 shifts、now、people 或 institutions"));
  auto b = app::volunteer_board(api.store, c.caller, volunteer_query(c.request));
  if (!b.ok()) return error_response(b.status());
  if (*format == app::ExportFormat::json) return json_ok(200, app::volunteer_board_json(*b, true));
  static const std::map<std::string, std::string> kNames = {{"shifts", "支援一线班次"},
                                                            {"now", "此刻在岗"},
                                                            {"people", "支援一线服务时长"},
                                                            {"institutions", "各校支援一线"}};
  auto file = app::export_to_bytes(
      api.upload_dir, *format, kNames.at(which),
      [&](const std::string& path) { return app::export_volunteers(*b, which, path); });
  if (!file.ok()) return error_response(file.status());
  return file_response(*file, "volunteers-" + which);
}

Response add_shifts(Api& api, Context& c) {
  auto rows = rows_of(c.request.body);
  if (!rows.ok()) return error_response(rows.status());
  auto ids = app::save_shifts(api.store, c.caller, *rows);
  if (!ids.ok()) return error_response(ids.status());
  json::array a(ids->begin(), ids->end());
  return json_ok(201, json::serialize(json::object{{"saved", ids->size()}, {"ids", std::move(a)}}));
}

Response shift_history(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto revs = app::shift_history(api.store, c.caller, *id);
  if (!revs.ok()) return error_response(revs.status());
  return json_ok(200, app::shift_history_json(*revs));
}

}  // namespace

void add_teaching_routes(Api& api, std::vector<Route>& routes) {
  using P = app::Permission;
  auto add = [&](const char* tag, std::string method, std::string pattern, P perm,
                 std::string summary, std::vector<ParamDoc> params, RouteHandler handler) {
    Route r{std::move(method), std::move(pattern), Access::permission, perm, tag,
            std::move(summary)};
    r.params = std::move(params);
    r.handler = std::move(handler);
    routes.push_back(std::move(r));
    return &routes.back();
  };
  const ParamDoc format{"format", "query", "string", false, "json (default), xlsx or csv"};
  const ParamDoc institution{"institution", "query", "string", false, "学校代码"};
  const ParamDoc day{"day", "query", "string", false, "YYYY-MM-DD"};
  add("teaching", "GET", "/api/v1/teaching/figures", P::figures_read,
      "Teaching figures: coverage, classes online on day one, spot checks and satisfaction, "
      "care-list coverage, activities by kind",
      {institution, day}, [&api](Context& c) { return figures(api, c); });
  for (auto kind :
       {app::TeachingKind::attendance, app::TeachingKind::access, app::TeachingKind::care,
        app::TeachingKind::spot_checks, app::TeachingKind::activities}) {
    const std::string path = std::string("/api/v1/teaching/") + app::teaching_kind_code(kind);
    const std::string name = app::teaching_kind_name(kind);
    add("teaching", "GET", path, P::teaching_report,
        name + " in the caller's scope, masked; JSON, XLSX or CSV", {institution, day, format},
        [&api, kind](Context& c) { return list(api, c, kind); });
    Route* r = add("teaching", "POST", path, P::teaching_report,
                   "Report " + name + ": every row checked, all stored or none", {},
                   [&api, kind](Context& c) { return report(api, c, kind); });
    r->body = "{rows: [{field: value}]} (docs/teaching.md lists the fields)";
    r->body_limit = 16u << 20;
  }
  add("teaching", "GET", "/api/v1/teaching/history", P::teaching_report,
      "Earlier versions of one teaching record",
      {{"kind", "query", "string", true, "attendance, access, care, spot-checks or activities"},
       {"id", "query", "integer", true, "record id"}},
      [&api](Context& c) { return history(api, c); });

  add("volunteers", "GET", "/api/v1/volunteers/figures", P::figures_read,
      "Front-line figures: people deployed, sites, hours served, on duty now (no names)",
      {institution, {"now", "query", "string", false, "the time 'now' (local or UTC)"}},
      [&api](Context& c) { return volunteer_figures(api, c); });
  add("volunteers", "GET", "/api/v1/volunteers/sites", P::figures_read,
      "Quarantine hotels, communities and test sites", {},
      [&api](Context& c) { return sites(api, c); });
  Route* r = add("volunteers", "POST", "/api/v1/volunteers/sites", P::volunteers_manage,
                 "Add a site", {}, [&api](Context& c) { return add_site(api, c); });
  r->body = "{name, kind: hotel|community|test_site, address?}";
  add("volunteers", "GET", "/api/v1/volunteers/shifts", P::people_list,
      "Shifts, who is where now, hours per person and per institution; JSON, XLSX or CSV",
      {institution,
       {"list", "query", "string", false,
        "for exports: shifts (default), now, people, institutions"},
       {"now", "query", "string", false, "the time 'now' (local or UTC)"},
       format},
      [&api](Context& c) { return shifts(api, c); });
  r = add("volunteers", "POST", "/api/v1/volunteers/shifts", P::volunteers_manage,
          "Add or correct shifts: every row checked (staff, site, times, overlaps), all or none",
          {}, [&api](Context& c) { return add_shifts(api, c); });
  r->body = "{rows: [{institution?, person, site, role?, start, end, note?, id?}]}";
  r->body_limit = 16u << 20;
  add("volunteers", "GET", "/api/v1/volunteers/shifts/{id}/history", P::people_list,
      "Earlier versions of one shift", {{"id", "path", "integer", true, "shift id"}},
      [&api](Context& c) { return shift_history(api, c); });
}

}  // namespace fx::server
