// Routes: confirmed cases, the case card, the key-person tracking table and
// quarantine sites (docs/api.md, "Cases and the tracking table"). Scope,
// checks and audit live in src/app; here requests are read and answers written.
#include <boost/json.hpp>
#include <cctype>

#include "app/case_card.h"
#include "app/case_list.h"
#include "app/health_access.h"
#include "app/notices.h"
#include "app/tracking_actions.h"
#include "app/tracking_add.h"
#include "app/tracking_table.h"
#include "app/untested.h"
#include "server/api.h"
#include "server/json_body.h"

namespace fx::server {
namespace {

namespace json = boost::json;

// An export as an attachment, never cached (health data).
Response file_response(const app::ExportedFile& f, const std::string& ascii_stem) {
  Response r = attachment(f.file_name, f.content_type, f.bytes, ascii_stem);
  r.header("Cache-Control", "no-store");
  return r;
}

Response cases(Api& api, Context& c) {
  auto list = app::list_cases(api.store, c.caller);
  if (!list.ok()) return error_response(list.status());
  return json_ok(200, app::cases_json(*list));
}

Response confirm(Api& api, Context& c) {
  auto body = JsonBody::parse(c.request.body, {"person", "sample_time", "onset", "confirmed_at",
                                               "policy", "symptoms", "note"});
  if (!body.ok()) return error_response(body.status());
  app::CaseRequest req;
  const std::pair<const char*, std::string*> fields[] = {
      {"person", &req.person}, {"sample_time", &req.sample_time},
      {"onset", &req.onset},   {"confirmed_at", &req.confirmed_at},
      {"policy", &req.policy}, {"symptoms", &req.symptoms},
      {"note", &req.note}};
  for (auto [name, out] : fields) {
    auto v = body->string(name, false, 1000);
    if (!v.ok()) return error_response(v.status());
    if (*v) *out = **v;
  }
  auto done = api.case_desk.confirm(api.store, api.vault, c.caller, req);
  if (!done.ok()) return error_response(done.status());
  const auto& o = done->outcome;
  return json_ok(201, json::serialize(json::object{{"case", o.case_id},
                                                   {"policy", done->policy},
                                                   {"close", o.close},
                                                   {"secondary", o.secondary},
                                                   {"without_site", o.without_site},
                                                   {"lists", done->lists}}));
}

Response card(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  const std::string format_text = str_param(c.request, "format");
  const bool pdf = format_text == "pdf";
  auto format = app::parse_export_format(pdf ? "" : format_text);
  if (!format.ok()) return error_response(Status::Invalid("format: 应为 json、xlsx、csv 或 pdf"));
  auto card = app::load_case_card(api.store, c.caller, *id);
  if (!card.ok()) return error_response(card.status());
  if (pdf)
    return file_response({"确诊人员信息卡-病例" + std::to_string(*id) + ".pdf", "application/pdf",
                          app::case_card_pdf(*card)},
                         "case-" + std::to_string(*id));
  if (*format == app::ExportFormat::json) return json_ok(200, app::case_card_json(*card));
  const std::string n = std::to_string(*id);
  auto file = app::export_to_bytes(
      api.upload_dir, *format, "确诊人员信息卡-病例" + n,
      [&](const std::string& path) { return app::export_case_card(*card, path); });
  if (!file.ok()) return error_response(file.status());
  return file_response(*file, "case-" + n);
}

Response tracking(Api& api, Context& c) {
  app::TrackingQuery q;
  q.category = str_param(c.request, "category");
  q.status = str_param(c.request, "status");
  q.institution = str_param(c.request, "institution");
  auto kase = int_param(c.request, "case", 0, 0, INT64_MAX);
  if (!kase.ok()) return error_response(kase.status());
  q.case_id = *kase;
  if (!q.category.empty() && q.category != "close" && q.category != "secondary" &&
      q.category != "returnee" && q.category != "symptomatic")
    return error_response(
        Status::Invalid("category: 应为 close、secondary、returnee 或 symptomatic"));
  if (!q.status.empty() && q.status != "quarantined" && q.status != "released" &&
      q.status != "became_case")
    return error_response(Status::Invalid("status: 应为 quarantined、released 或 became_case"));
  auto format = app::parse_export_format(str_param(c.request, "format"));
  if (!format.ok()) return error_response(format.status());
  auto table = app::tracking_table(api.store, c.caller, q);
  if (!table.ok()) return error_response(table.status());
  if (*format == app::ExportFormat::json) return json_ok(200, app::tracking_json(*table));
  auto file = app::export_to_bytes(
      api.upload_dir, *format, "重点人员防控跟踪表-" + table->today,
      [&](const std::string& path) { return app::export_tracking_table(*table, path); });
  if (!file.ok()) return error_response(file.status());
  return file_response(*file, "tracking");
}

Response untested(Api& api, Context& c) {
  app::TrackingQuery q;
  q.institution = str_param(c.request, "institution");
  auto limit = int_param(c.request, "limit", 100, 0, 100000);
  if (!limit.ok()) return error_response(limit.status());
  auto table = app::tracking_table(api.store, c.caller, q);
  if (!table.ok()) return error_response(table.status());
  return json_ok(200, app::untested_json(app::rank_untested(*table, *limit)));
}

Response add_key_person(Api& api, Context& c) {
  auto body = JsonBody::parse(c.request.body, {"person", "category", "since", "area", "policy"});
  if (!body.ok()) return error_response(body.status());
  app::KeyPersonRequest req;
  const std::pair<const char*, std::string*> fields[] = {{"person", &req.person},
                                                         {"category", &req.category},
                                                         {"since", &req.since},
                                                         {"area", &req.area},
                                                         {"policy", &req.policy}};
  for (auto [name, out] : fields) {
    auto v = body->string(name, false, 1000);
    if (!v.ok()) return error_response(v.status());
    if (*v) *out = **v;
  }
  auto row = app::add_key_person(api.store, api.vault, c.caller, req);
  if (!row.ok()) return error_response(row.status());
  return json_ok(201, app::tracking_row_json(*row));
}

Response notices(Api& api, Context& c) {
  app::NoticeQuery q;
  q.institution = str_param(c.request, "institution");
  if (!str_param(c.request, "case").empty()) {
    auto id = int_param(c.request, "case", 0, 1, INT64_MAX);
    if (!id.ok()) return error_response(id.status());
    q.case_id = *id;
  }
  auto batch = app::quarantine_notices(api.store, c.caller, q);
  if (!batch.ok()) return error_response(batch.status());
  std::string stem = "隔离告知书";
  if (!q.institution.empty()) stem += "-" + q.institution;
  if (q.case_id != 0) stem += "-病例" + std::to_string(q.case_id);
  return file_response({stem + ".pdf", "application/pdf", std::move(batch->pdf)}, "notices");
}

Response transfer(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto body = JsonBody::parse(c.request.body, {"site", "state"});
  if (!body.ok()) return error_response(body.status());
  auto site = body->integer("site", 1, INT64_MAX);
  if (!site.ok()) return error_response(site.status());
  if (!*site) return error_response(Status::Invalid("site: 必填 (required: a site id)"));
  auto state = body->string("state", false, 20);
  if (!state.ok()) return error_response(state.status());
  auto row = app::transfer_key_person(api.store, c.caller, *id, **site, state->value_or(""));
  if (!row.ok()) return error_response(row.status());
  return json_ok(200, app::tracking_row_json(*row));
}

Response release(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto body = JsonBody::parse(c.request.body, {"note"});
  if (!body.ok()) return error_response(body.status());
  auto note = body->string("note", false, 500);
  if (!note.ok()) return error_response(note.status());
  auto row = app::release_key_person(api.store, c.caller, *id, note->value_or(""));
  if (!row.ok()) return error_response(row.status());
  return json_ok(200, app::tracking_row_json(*row));
}

Response sites(Api& api, Context& c) {
  auto list = app::list_sites(api.store, c.caller);
  if (!list.ok()) return error_response(list.status());
  return json_ok(200, app::sites_json(*list));
}

Response add_site(Api& api, Context& c) {
  auto body = JsonBody::parse(c.request.body, {"name", "address", "capacity"});
  if (!body.ok()) return error_response(body.status());
  auto name = body->string("name", true, 200);
  if (!name.ok()) return error_response(name.status());
  auto address = body->string("address", false, 500);
  if (!address.ok()) return error_response(address.status());
  auto capacity = body->integer("capacity", 0, 100000);
  if (!capacity.ok()) return error_response(capacity.status());
  if (!*capacity) return error_response(Status::Invalid("capacity: 必填 (required)"));
  store::QuarantineSite s;
  s.name = **name;
  s.address = address->value_or("");
  s.capacity = static_cast<int>(**capacity);
  auto added = app::add_site(api.store, c.caller, s);
  if (!added.ok()) return error_response(added.status());
  return json_ok(201, app::site_json(*added));
}

}  // namespace

void add_tracking_routes(Api& api, std::vector<Route>& routes) {
  using P = app::Permission;
  auto add = [&](std::string method, std::string pattern, P perm, std::string summary,
                 std::vector<ParamDoc> params, Response (*fn)(Api&, Context&)) {
    Route r{std::move(method), std::move(pattern), Access::permission, perm,
            "cases",           std::move(summary)};
    r.params = std::move(params);
    r.handler = [&api, fn](Context& c) { return fn(api, c); };
    routes.push_back(std::move(r));
    return &routes.back();
  };
  const ParamDoc format{"format", "query", "string", false, "json (default), xlsx or csv"};
  add("GET", "/api/v1/cases", P::people_list, "Confirmed cases in the caller's scope, newest first",
      {}, cases);
  Route* r =
      add("POST", "/api/v1/cases", P::cases_manage,
          "Confirm a case: trace it and fill the tracking table from the policy", {}, confirm);
  r->body = "{person, sample_time, onset?, confirmed_at?, policy?, symptoms?, note?}";
  add("GET", "/api/v1/cases/{id}", P::people_list,
      "The case card (确诊人员信息卡) as JSON, XLSX, CSV or a one-page PDF; every read is audited",
      {{"id", "path", "integer", true, "case id"},
       {"format", "query", "string", false, "json (default), xlsx, csv or pdf"}},
      card);
  add("GET", "/api/v1/tracking", P::people_list,
      "The key-person tracking table (重点人员防控跟踪表) of the caller's scope; audited",
      {{"category", "query", "string", false, "close, secondary, returnee or symptomatic"},
       {"status", "query", "string", false, "quarantined, released or became_case"},
       {"institution", "query", "string", false, "学校代码"},
       {"case", "query", "integer", false, "only the rows this case listed (last)"},
       format},
      tracking);
  add("GET", "/api/v1/tracking/untested", P::people_list,
      "Who to test first: key people in quarantine without a result since their last exposure, "
      "close contacts first, then by minutes shared; audited",
      {{"institution", "query", "string", false, "学校代码"},
       {"limit", "query", "integer", false, "0–100000, default 100 (0: all)"}},
      untested);
  r = add("POST", "/api/v1/tracking", P::cases_manage,
          "Add a risk-area returnee or a symptomatic person to the tracking table; the plan and "
          "test days come from the policy; audited",
          {}, add_key_person);
  r->body = "{person, category: returnee|symptomatic, since: YYYY-MM-DD, area?, policy?}";
  add("GET", "/api/v1/tracking/notices", P::people_list,
      "Quarantine notices (隔离告知书) as one PDF, a page per key person in quarantine in the "
      "caller's scope; audited",
      {{"institution", "query", "string", false, "学校代码"},
       {"case", "query", "integer", false, "only the people this case listed or met"}},
      notices);
  const ParamDoc id{"id", "path", "integer", true, "key-person row id"};
  r = add("POST", "/api/v1/tracking/{id}/transfer", P::cases_manage,
          "Move a key person to a quarantine site (centralised quarantine)", {id}, transfer);
  r->body = "{site, state?: requested|dispatched|arrived}";
  r = add("POST", "/api/v1/tracking/{id}/release", P::cases_manage,
          "Release a key person from quarantine", {id}, release);
  r->body = "{note?}";
  add("GET", "/api/v1/sites", P::people_list, "Quarantine sites with capacity and occupancy", {},
      sites);
  r = add("POST", "/api/v1/sites", P::cases_manage, "Add a quarantine site", {}, add_site);
  r->body = "{name, address?, capacity}";
}

}  // namespace fx::server
