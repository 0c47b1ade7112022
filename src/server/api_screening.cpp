// Routes: home-bound screening (居家排查; docs/api.md, "Home-bound
// screening"). Bodies are read here into plain inputs; checks, scope and
// audit live in src/app/screening*.cpp.
#include <boost/json.hpp>

#include "app/screening.h"
#include "app/upload_file.h"
#include "core/utf8.h"
#include "server/api.h"
#include "server/json_body.h"

namespace fx::server {
namespace {

namespace json = boost::json;

constexpr size_t kMaxBatch = 10000;

Status bad(const std::string& where, const std::string& why) {
  return Status::Invalid(where + ": " + why);
}

Result<json::value> parse_body(const std::string& body) {
  if (!valid_utf8(body)) return Status::Invalid("请求体不是有效的 UTF-8 (body is not UTF-8)");
  boost::json::parse_options opt;
  opt.max_depth = 16;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec, {}, opt);
  if (ec) return Status::Invalid("请求体不是有效的 JSON (malformed JSON: " + ec.message() + ")");
  if (!v.is_object()) return Status::Invalid("请求体须为 JSON 对象 (the body must be an object)");
  return v;
}

// A string field (numbers and booleans accepted where a person writes them).
Status text_field(const json::object& o, const std::string& where, std::string_view name,
                  std::string& out, size_t max = 1000) {
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) return Status::Ok();
  const json::value& v = it->value();
  if (v.is_string()) {
    if (v.as_string().size() > max) return bad(where + "." + std::string(name), "too long");
    out = std::string(v.as_string());
  } else if (v.is_bool()) {
    out = v.as_bool() ? "是" : "否";
  } else {
    return bad(where + "." + std::string(name), "须为字符串 (must be a string)");
  }
  return Status::Ok();
}

Status person_field(const json::object& o, const std::string& where, int64_t& out) {
  auto it = o.find("person");
  if (it == o.end() || it->value().is_null()) return Status::Ok();
  if (it->value().is_int64() && it->value().as_int64() > 0) {
    out = it->value().as_int64();
    return Status::Ok();
  }
  return bad(where + ".person", "须为人员编号 (must be a person id)");
}

Status check_keys(const json::object& o, const std::string& where,
                  std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : o) {
    bool known = false;
    for (auto a : allowed) known = known || kv.key() == a;
    if (!known) return bad(where, "未知字段 unknown field '" + std::string(kv.key()) + "'");
  }
  return Status::Ok();
}

Result<app::ReportInput> report_input(const json::object& o, const std::string& where,
                                      bool with_version = false) {
  if (with_version) {
    FX_RETURN_IF_ERROR(check_keys(o, where,
                                  {"person", "day", "temperature", "symptoms", "symptom_note",
                                   "location", "at_home", "reporter", "version"}));
  } else {
    FX_RETURN_IF_ERROR(check_keys(o, where,
                                  {"person", "day", "temperature", "symptoms", "symptom_note",
                                   "location", "at_home", "reporter"}));
  }
  app::ReportInput in;
  in.where = where;
  FX_RETURN_IF_ERROR(person_field(o, where, in.person_id));
  FX_RETURN_IF_ERROR(text_field(o, where, "day", in.day, 40));
  if (auto it = o.find("temperature"); it != o.end() && it->value().is_number())
    in.temperature_number = it->value().to_number<double>();
  else
    FX_RETURN_IF_ERROR(text_field(o, where, "temperature", in.temperature, 40));
  if (auto it = o.find("symptoms"); it != o.end() && it->value().is_array()) {
    for (const auto& s : it->value().as_array()) {
      if (!s.is_string()) return bad(where + ".symptoms", "须为字符串数组 (strings)");
      in.symptoms += std::string(s.as_string()) + ",";
    }
  } else {
    FX_RETURN_IF_ERROR(text_field(o, where, "symptoms", in.symptoms, 200));
  }
  FX_RETURN_IF_ERROR(text_field(o, where, "symptom_note", in.symptom_note, 1000));
  FX_RETURN_IF_ERROR(text_field(o, where, "location", in.location, 1000));
  FX_RETURN_IF_ERROR(text_field(o, where, "at_home", in.at_home, 20));
  FX_RETURN_IF_ERROR(text_field(o, where, "reporter", in.reporter, 20));
  return in;
}

Response written(const Result<app::ScreeningWrite>& w) {
  if (!w.ok()) return error_response(w.status());
  return json_ok(w->problems.empty() ? 201 : 422, app::screening_write_json(*w));
}

Response file_response(const app::ExportedFile& f, const std::string& ascii_stem) {
  Response r = attachment(f.file_name, f.content_type, f.bytes, ascii_stem);
  r.header("Cache-Control", "no-store");
  return r;
}

// The items of {items: [...]}.
Result<json::array> items_of(const json::value& body) {
  const auto& o = body.as_object();
  FX_RETURN_IF_ERROR(check_keys(o, "body", {"items"}));
  auto it = o.find("items");
  if (it == o.end() || !it->value().is_array())
    return Status::Invalid("items: 须为数组 (items must be an array)");
  const auto& a = it->value().as_array();
  if (a.empty() || a.size() > kMaxBatch)
    return Status::Invalid("items: 每批 1–10000 条 (1 to 10000 items a batch)");
  return a;
}

Response home_bound(Api& api, Context& c) {
  auto body = parse_body(c.request.body);
  if (!body.ok()) return error_response(body.status());
  auto items = items_of(*body);
  if (!items.ok()) return error_response(items.status());
  std::vector<app::HomeBoundInput> in;
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string where = "items[" + std::to_string(i) + "]";
    if (!(*items)[i].is_object()) return error_response(bad(where, "须为对象 (an object)"));
    const auto& o = (*items)[i].as_object();
    Status s = check_keys(o, where, {"person", "from", "to", "reason"});
    app::HomeBoundInput h;
    h.where = where;
    if (s.ok()) s = person_field(o, where, h.person_id);
    if (s.ok()) s = text_field(o, where, "from", h.from, 40);
    if (s.ok()) s = text_field(o, where, "to", h.to, 40);
    if (s.ok()) s = text_field(o, where, "reason", h.reason, 1000);
    if (!s.ok()) return error_response(s);
    in.push_back(std::move(h));
  }
  return written(app::mark_home_bound(api.store, c.caller, in, "api"));
}

Response report_one(Api& api, Context& c) {
  auto body = parse_body(c.request.body);
  if (!body.ok()) return error_response(body.status());
  auto in = report_input(body->as_object(), "body");
  if (!in.ok()) return error_response(in.status());
  return written(app::submit_reports(api.store, c.caller, {*in}));
}

Response report_batch(Api& api, Context& c) {
  auto body = parse_body(c.request.body);
  if (!body.ok()) return error_response(body.status());
  auto items = items_of(*body);
  if (!items.ok()) return error_response(items.status());
  std::vector<app::ReportInput> in;
  in.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string where = "items[" + std::to_string(i) + "]";
    if (!(*items)[i].is_object()) return error_response(bad(where, "须为对象 (an object)"));
    auto r = report_input((*items)[i].as_object(), where);
    if (!r.ok()) return error_response(r.status());
    in.push_back(std::move(*r));
  }
  return written(app::submit_reports(api.store, c.caller, in));
}

Response correct(Api& api, Context& c) {
  auto body = parse_body(c.request.body);
  if (!body.ok()) return error_response(body.status());
  const auto& o = body->as_object();
  auto in = report_input(o, "body", true);
  if (!in.ok()) return error_response(in.status());
  int version = 0;
  if (auto it = o.find("version"); it != o.end()) {
    if (!it->value().is_int64() || it->value().as_int64() < 1 || it->value().as_int64() > 1000000)
      return error_response(bad("version", "须为正整数 (a positive integer)"));
    version = static_cast<int>(it->value().as_int64());
  }
  auto r = app::correct_report(api.store, c.caller, *in, version);
  if (!r.ok()) return error_response(r.status());
  return json_ok(200, app::report_json(*r));
}

Response upload(Api& api, Context& c) {
  const std::string name = str_param(c.request, "filename");
  Status s = app::check_upload_name(name);
  if (!s.ok()) return error_response(s);
  const std::string kind = str_param(c.request, "kind");
  if (kind != "reports" && kind != "home_bound")
    return error_response(Status::Invalid("kind: 应为 reports 或 home_bound"));
  app::UploadFile file(api.upload_dir, name);
  s = file.write(c.request.body);
  if (!s.ok()) return error_response(s);
  return written(
      app::import_screening_file(api.store, api.vault, c.caller, kind, file.path(), name));
}

Response day(Api& api, Context& c) {
  auto format = app::parse_export_format(str_param(c.request, "format"));
  if (!format.ok()) return error_response(format.status());
  auto d = app::screening_day(api.store, c.caller, str_param(c.request, "day"));
  if (!d.ok()) return error_response(d.status());
  if (*format == app::ExportFormat::json) return json_ok(200, app::screening_day_json(*d));
  auto file = app::export_to_bytes(
      api.upload_dir, *format, "居家排查统计表-" + d->day,
      [&](const std::string& path) { return app::export_screening_day(*d, path); });
  if (!file.ok()) return error_response(file.status());
  return file_response(*file, "screening-" + d->day);
}

Response list(Api& api, Context& c) {
  auto format = app::parse_export_format(str_param(c.request, "format"));
  if (!format.ok()) return error_response(format.status());
  std::string kind = str_param(c.request, "kind");
  if (kind.empty()) kind = "not_reported";
  auto l = app::screening_list(api.store, c.caller, str_param(c.request, "day"), kind,
                               str_param(c.request, "institution"));
  if (!l.ok()) return error_response(l.status());
  if (*format == app::ExportFormat::json) return json_ok(200, app::screening_list_json(*l));
  const std::string stem = kind == "not_reported" ? "未报名单"
                           : kind == "abnormal"   ? "异常名单"
                                                  : "排查记录";
  auto file = app::export_to_bytes(
      api.upload_dir, *format, "居家排查" + stem + "-" + l->day,
      [&](const std::string& path) { return app::export_screening_list(*l, path); });
  if (!file.ok()) return error_response(file.status());
  return file_response(*file, "screening-" + kind + "-" + l->day);
}

Response history(Api& api, Context& c) {
  auto person = int_param(c.request, "person", 0, 1, INT64_MAX);
  if (!person.ok()) return error_response(person.status());
  if (!*person) return error_response(Status::Invalid("person: 必填 (required)"));
  auto h = app::screening_history(api.store, c.caller, *person, str_param(c.request, "day"));
  if (!h.ok()) return error_response(h.status());
  json::array versions;
  for (const auto& r : *h) versions.push_back(json::parse(app::report_json(r)));
  return json_ok(200, json::serialize(json::object{{"versions", std::move(versions)}}));
}

Response track(Api& api, Context& c) {
  auto body = JsonBody::parse(c.request.body, {"person", "day", "days"});
  if (!body.ok()) return error_response(body.status());
  auto person = body->integer("person", 1, INT64_MAX);
  if (!person.ok()) return error_response(person.status());
  if (!*person) return error_response(Status::Invalid("person: 必填 (required)"));
  auto d = body->string("day", true, 40);
  if (!d.ok()) return error_response(d.status());
  auto days = body->integer("days", 1, 60);
  if (!days.ok()) return error_response(days.status());
  auto id =
      app::track_abnormal(api.store, c.caller, **person, **d, static_cast<int>(days->value_or(7)));
  if (!id.ok()) return error_response(id.status());
  return json_ok(201, json::serialize(json::object{{"key_person", *id}}));
}

Response figures(Api& api, Context& c) {
  auto f = app::screening_figures(api.store, c.caller, str_param(c.request, "day"));
  if (!f.ok()) return error_response(f.status());
  return json_ok(200, app::screening_figures_json(*f));
}

}  // namespace

void add_screening_routes(Api& api, std::vector<Route>& routes) {
  using P = app::Permission;
  auto add = [&](std::string method, std::string pattern, P perm, std::string summary,
                 std::vector<ParamDoc> params, Response (*fn)(Api&, Context&)) {
    Route r{std::move(method), std::move(pattern), Access::permission, perm,
            "screening",       std::move(summary)};
    r.params = std::move(params);
    r.handler = [&api, fn](Context& c) { return fn(api, c); };
    routes.push_back(std::move(r));
    return &routes.back();
  };
  const ParamDoc day_param{"day", "query", "string", false, "YYYY-MM-DD (default today)"};
  const ParamDoc format{"format", "query", "string", false, "json (default), xlsx or csv"};
  Route* r =
      add("POST", "/api/v1/screening/home-bound", P::screening_report,
          "Mark people home-bound (居家人员) for a range of days; all or nothing", {}, home_bound);
  r->body = "{items: [{person, from, to, reason?}]}";
  r->body_limit = 4u << 20;
  r = add("POST", "/api/v1/screening/reports", P::screening_report,
          "One person's daily report (temperature, symptoms, location, at home)", {}, report_one);
  r->body = "{person, day, temperature, symptoms?, symptom_note?, location?, at_home, reporter}";
  r = add("POST", "/api/v1/screening/reports/batch", P::screening_report,
          "Up to 10000 daily reports at once; all or nothing, problems listed by item and field",
          {}, report_batch);
  r->body = "{items: [report, …]}";
  r->body_limit = 8u << 20;
  r = add("POST", "/api/v1/screening/corrections", P::screening_report,
          "Correct a day's report; the earlier version is kept in the history", {}, correct);
  r->body = "{person, day, temperature, …, version?}";
  r = add("POST", "/api/v1/screening/upload", P::screening_report,
          "A class teacher's file of reports or home-bound people (CSV or XLSX); all or nothing",
          {{"kind", "query", "string", true, "reports or home_bound"},
           {"filename", "query", "string", true, "the file's name: .csv or .xlsx"}},
          upload);
  r->body = "the CSV or XLSX file";
  r->body_limit = 32u << 20;
  add("GET", "/api/v1/screening/day", P::figures_read,
      "The day's screening table per institution: due, reported, not reported, abnormal, rate",
      {day_param, format}, day);
  add("GET", "/api/v1/screening/list", P::people_list,
      "Not reported, abnormal or all reports of a day (masked); audited",
      {{"kind", "query", "string", false, "not_reported (default), abnormal or reports"},
       day_param,
       {"institution", "query", "string", false, "学校代码"},
       format},
      list);
  add("GET", "/api/v1/screening/history", P::people_list,
      "A person's report of a day with its earlier versions; audited",
      {{"person", "query", "integer", true, "person id"}, day_param}, history);
  r = add("POST", "/api/v1/screening/track", P::cases_manage,
          "Put a person with an abnormal report on the tracking table (category symptomatic)", {},
          track);
  r->body = "{person, day, days?: home monitoring days, default 7}";
  add("GET", "/api/v1/screening/figures", P::figures_read,
      "Person-times (人次) reported, people, days, abnormal, corrections, and the day's totals",
      {day_param}, figures);
}

}  // namespace fx::server
