// Routes: test rounds, the statistics table, the people behind its figures,
// and samples and results from machine clients and uploads (docs/api.md).
#include <boost/json.hpp>

#include "app/auto_confirm.h"
#include "app/upload_file.h"
#include "server/api.h"
#include "server/json_body.h"

namespace fx::server {
namespace {

namespace json = boost::json;

json::object round_json(const domain::Round& r) {
  json::array values;
  for (auto id : r.scope_ids) values.emplace_back(id);
  return json::object{
      {"id", r.id},
      {"name", r.name},
      {"date", r.date},
      {"pool_size", r.pool_size},
      {"scope", json::object{{"kind", domain::round_scope_code(r.scope)}, {"values", values}}},
      {"deadline", r.deadline},
      {"status", r.status == domain::RoundStatus::closed ? "closed" : "open"},
      {"created_at", r.created_at},
      {"created_by", r.created_by},
      {"closed_at", r.closed_at},
      {"due_snapshot", r.due_snapshot}};
}

json::object summary_json(const app::RoundSummary& s) {
  return json::object{{"round", round_json(s.round)}, {"total", app::row_json(s.total)}};
}

Response list(Api& api, Context& c) {
  auto rounds = api.rounds.rounds(api.store, c.caller);
  if (!rounds.ok()) return error_response(rounds.status());
  json::array items;
  for (const auto& s : *rounds) items.push_back(summary_json(s));
  return json_ok(200, json::serialize(json::object{{"items", std::move(items)}}));
}

Response one(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto s = api.rounds.round(api.store, c.caller, *id);
  if (!s.ok()) return error_response(s.status());
  return json_ok(200, json::serialize(summary_json(*s)));
}

Result<app::CreateRound> create_request(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object())
    return Status::Invalid("请求体须为 JSON 对象 (body must be a JSON object)");
  json::object o = v.as_object();
  // The scope is an object; JsonBody reads the flat fields.
  json::value scope = o.contains("scope") ? o["scope"] : json::value(nullptr);
  o.erase("scope");
  auto b = JsonBody::parse(json::serialize(o), {"name", "date", "pool_size", "deadline"});
  if (!b.ok()) return b.status();
  app::CreateRound r;
  auto name = b->string("name", true, 200);
  auto date = b->string("date", true, 40);
  auto pool = b->integer("pool_size", 1, 20);
  auto deadline = b->string("deadline", false, 40);
  if (!name.ok()) return name.status();
  if (!date.ok()) return date.status();
  if (!pool.ok()) return pool.status();
  if (!deadline.ok()) return deadline.status();
  r.name = **name;
  r.date = **date;
  if (*pool) r.pool_size = static_cast<int>(**pool);
  if (*deadline) r.deadline = **deadline;
  if (!scope.is_null()) {
    if (!scope.is_object()) return Status::Invalid("scope: 须为对象 (must be {kind, values})");
    const auto& so = scope.as_object();
    for (const auto& [k, _] : so)
      if (k != "kind" && k != "values")
        return Status::Invalid("scope." + std::string(k) + ": 未知字段 (unknown field)");
    const auto* kind = so.if_contains("kind");
    if (!kind || !kind->is_string() ||
        !domain::parse_round_scope_kind(std::string(kind->as_string()), r.scope))
      return Status::Invalid("scope.kind: all, institutions, units 或 people");
    if (const auto* values = so.if_contains("values")) {
      if (!values->is_array()) return Status::Invalid("scope.values: 须为数组 (must be an array)");
      for (const auto& x : values->as_array()) {
        if (x.is_string())
          r.scope_values.emplace_back(x.as_string());
        else if (x.is_int64())
          r.scope_values.push_back(std::to_string(x.as_int64()));
        else
          return Status::Invalid("scope.values: 须为字符串或整数 (strings or integers)");
      }
    }
  }
  return r;
}

Response create(Api& api, Context& c) {
  auto req = create_request(c.request.body);
  if (!req.ok()) return error_response(req.status());
  auto id = app::create_round_as(api.store, c.caller, *req);
  if (!id.ok()) return error_response(id.status());
  auto s = api.rounds.round(api.store, c.caller, *id);
  if (!s.ok()) return error_response(s.status());
  return json_ok(201, json::serialize(summary_json(*s)));
}

Response close(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  if (Status st = app::close_round_as(api.store, c.caller, *id); !st.ok())
    return error_response(st);
  auto s = api.rounds.round(api.store, c.caller, *id);
  if (!s.ok()) return error_response(s.status());
  return json_ok(200, json::serialize(summary_json(*s)));
}

Response table(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  const std::string* by = c.request.param("by");
  if (by && *by != "institution" && *by != "unit")
    return error_response(Status::Invalid("by: institution 或 unit"));
  const std::string* format = c.request.param("format");
  if (format && *format != "json" && *format != "xlsx" && *format != "csv")
    return error_response(Status::Invalid("format: json, xlsx 或 csv"));
  const std::string* inst = c.request.param("institution");
  auto t = api.rounds.table(api.store, c.caller, *id,
                            by && *by == "unit" ? app::TableBy::unit : app::TableBy::institution,
                            inst ? *inst : "");
  if (!t.ok()) return error_response(t.status());
  if (!format || *format == "json") return json_ok(200, app::table_json(*t));
  std::string ext = "." + *format;
  app::UploadFile file(api.upload_dir, "table" + ext);
  if (Status s = app::export_table(*t, file.path()); !s.ok()) return error_response(s);
  auto bytes = file.read();
  if (!bytes.ok()) return error_response(bytes.status());
  return attachment("核酸检测统计表-" + t->round.name + ext,
                    *format == "xlsx" ? "application/vnd.openxmlformats-officedocument."
                                        "spreadsheetml.sheet"
                                      : "text/csv; charset=utf-8",
                    std::move(*bytes));
}

Result<std::vector<domain::PersonStatus>> statuses_param(const Request& r) {
  std::vector<domain::PersonStatus> out;
  const std::string* text = r.param("status");
  if (!text || text->empty()) {
    for (int s = 1; s < domain::kPersonStatusCount; ++s)
      if (s != static_cast<int>(domain::PersonStatus::exempt))
        out.push_back(static_cast<domain::PersonStatus>(s));
    return out;
  }
  size_t start = 0;
  while (start <= text->size()) {
    size_t end = text->find(',', start);
    if (end == std::string::npos) end = text->size();
    std::string one = text->substr(start, end - start);
    bool found = false;
    for (int s = 1; s < domain::kPersonStatusCount; ++s)
      if (one == domain::person_status_code(static_cast<domain::PersonStatus>(s))) {
        out.push_back(static_cast<domain::PersonStatus>(s));
        found = true;
      }
    if (!found)
      return Status::Invalid("status: 未知状态 " + one +
                             " (due, sampled, negative, pool_positive, positive, invalid, "
                             "missed, exempt)");
    start = end + 1;
  }
  return out;
}

Response people(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto statuses = statuses_param(c.request);
  if (!statuses.ok()) return error_response(statuses.status());
  auto unit = int_param(c.request, "unit", 0, 0, INT64_MAX);
  auto page = int_param(c.request, "page", 1, 1, 1000000);
  auto per_page = int_param(c.request, "per_page", 50, 1, 500);
  for (auto* x : {&unit, &page, &per_page})
    if (!x->ok()) return error_response(x->status());
  const std::string* inst = c.request.param("institution");
  auto list = api.rounds.people(api.store, c.caller, *id, *statuses, inst ? *inst : "", *unit,
                                static_cast<int>(*page), static_cast<int>(*per_page));
  if (!list.ok()) return error_response(list.status());
  json::array items;
  for (const auto& p : list->items)
    items.push_back(json::object{
        {"person_id", p.person_id},
        {"institution", json::object{{"code", p.institution_code}, {"name", p.institution_name}}},
        {"unit_path", p.unit_path},
        {"name", p.name},
        {"person_code", p.person_code},
        {"id_masked", p.id_masked},
        {"status", domain::person_status_code(p.status)},
        {"status_name", domain::person_status_name(p.status)}});
  return json_ok(200, json::serialize(json::object{{"items", std::move(items)},
                                                   {"total", list->total},
                                                   {"page", *page},
                                                   {"per_page", *per_page}}));
}

// {"records":[{…}, …]}: each record an object of the known string fields.
Result<std::vector<json::object>> records_of(const std::string& body,
                                             std::initializer_list<std::string_view> fields) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object())
    return Status::Invalid("请求体须为 JSON 对象 (body must be a JSON object)");
  const auto& o = v.as_object();
  for (const auto& [k, _] : o)
    if (k != "records") return Status::Invalid(std::string(k) + ": 未知字段 (unknown field)");
  const auto* records = o.if_contains("records");
  if (!records || !records->is_array())
    return Status::Invalid("records: 须为数组 (must be an array of records)");
  if (records->as_array().size() > 100000)
    return Status::Invalid("records: 一批最多 100000 条 (at most 100,000 per batch)");
  std::vector<json::object> out;
  long i = 0;
  for (const auto& r : records->as_array()) {
    ++i;
    std::string where = "records[" + std::to_string(i) + "]";
    if (!r.is_object()) return Status::Invalid(where + ": 须为对象 (must be an object)");
    for (const auto& [k, x] : r.as_object()) {
      bool known = false;
      for (auto f : fields) known = known || k == f;
      if (!known)
        return Status::Invalid(where + "." + std::string(k) + ": 未知字段 (unknown field)");
      if (!x.is_string() && !x.is_number() && !x.is_null())
        return Status::Invalid(where + "." + std::string(k) + ": 须为字符串 (must be a string)");
    }
    out.push_back(r.as_object());
  }
  return out;
}

std::string text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);  // a number as written (a Ct value)
}

// The report, and for results the cases their individual positives opened
// (the batch is stored either way: a failure here is reported, not undone).
Response results_answer(Api& api, Context& c, const app::RoundImportReport& report, int status) {
  if (report.kind != "round.results") return json_ok(status, app::to_json(report));
  json::value out = json::parse(app::to_json(report));
  if (!api.auto_confirm) {
    out.as_object()["auto_confirmed"] = nullptr;
  } else {
    auto done = app::confirm_positives(api.store, api.case_desk, c.caller, report);
    if (!done.ok()) return error_response(done.status());
    out.as_object()["auto_confirmed"] = app::to_json(*done);
  }
  return json_ok(status, json::serialize(out));
}

Response post_sampling(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto records = records_of(c.request.body, {"tube_code", "id_number", "person_code",
                                             "institution_code", "name", "site", "sampled_at"});
  if (!records.ok()) return error_response(records.status());
  std::vector<app::SamplingRecord> in;
  for (const auto& o : *records)
    in.push_back({0, text(o, "tube_code"), text(o, "id_number"), text(o, "person_code"),
                  text(o, "institution_code"), text(o, "name"), text(o, "site"),
                  text(o, "sampled_at")});
  auto report = app::post_sampling_as(api.store, api.vault, c.caller, *id, in);
  if (!report.ok()) return error_response(report.status());
  return json_ok(200, app::to_json(*report));
}

Response post_results(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto records = records_of(c.request.body, {"tube_code", "result", "lab", "reported_at", "ct"});
  if (!records.ok()) return error_response(records.status());
  std::vector<app::ResultRecordIn> in;
  for (const auto& o : *records)
    in.push_back({0, text(o, "tube_code"), text(o, "result"), text(o, "lab"),
                  text(o, "reported_at"), text(o, "ct")});
  auto report = app::post_results_as(api.store, c.caller, *id, in);
  if (!report.ok()) return error_response(report.status());
  return results_answer(api, c, *report, 200);
}

Response upload(Api& api, Context& c, const char* kind) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  app::RoundUpload up;
  up.kind = kind;
  if (auto* f = c.request.param("filename")) up.file_name = *f;
  up.bytes = c.request.body;
  up.upload_dir = api.upload_dir;
  auto report = app::upload_round_file(api.store, api.vault, c.caller, *id, up);
  if (!report.ok()) return error_response(report.status());
  return results_answer(api, c, *report, report->already_imported ? 200 : 201);
}

Response upload_sampling(Api& api, Context& c) { return upload(api, c, "sampling"); }
Response upload_results(Api& api, Context& c) { return upload(api, c, "results"); }

Response trends(Api& api, Context& c) {
  auto rounds = api.rounds.rounds(api.store, c.caller);
  if (!rounds.ok()) return error_response(rounds.status());
  json::array items;
  for (auto it = rounds->rbegin(); it != rounds->rend(); ++it) items.push_back(summary_json(*it));
  return json_ok(200, json::serialize(json::object{{"items", std::move(items)}}));
}

}  // namespace

void add_round_routes(Api& api, std::vector<Route>& routes) {
  using P = app::Permission;
  auto add = [&](std::string method, std::string pattern, P perm, std::string summary,
                 std::vector<ParamDoc> params, Response (*fn)(Api&, Context&)) {
    Route r{std::move(method), std::move(pattern), Access::permission, perm,
            "rounds",          std::move(summary)};
    r.params = std::move(params);
    r.handler = [&api, fn](Context& c) { return fn(api, c); };
    routes.push_back(std::move(r));
    return &routes.back();
  };
  const ParamDoc id{"id", "path", "integer", true, "round id"};
  const ParamDoc filename{"filename", "query", "string", true, "the file's name: .csv or .xlsx"};
  add("GET", "/api/v1/rounds", P::figures_read,
      "Test rounds, newest first, with their totals in the caller's scope", {}, list);
  // Before /rounds/{id}: the router takes the first pattern that matches.
  add("GET", "/api/v1/rounds/trends", P::figures_read, "Every round's totals, oldest first", {},
      trends);
  Route* r = add("POST", "/api/v1/rounds", P::rounds_manage,
                 "Create a round; the people in scope now are due", {}, create);
  r->body = "{name, date, pool_size?, scope?: {kind, values}, deadline?}";
  add("GET", "/api/v1/rounds/{id}", P::figures_read, "One round with its totals", {id}, one);
  add("POST", "/api/v1/rounds/{id}/close", P::rounds_manage,
      "Close a round: people due and not sampled become missed", {id}, close);
  r = add("GET", "/api/v1/rounds/{id}/table", P::figures_read,
          "The statistics table (核酸检测统计表) as JSON, XLSX or CSV",
          {id,
           {"by", "query", "string", false, "institution (default) or unit"},
           {"institution", "query", "string", false, "only this institution (学校代码)"},
           {"format", "query", "string", false, "json (default), xlsx or csv"}},
          table);
  add("GET", "/api/v1/rounds/{id}/people", P::people_list,
      "The people behind a figure, masked: missed, re-test, positive …",
      {id,
       {"status", "query", "string", false, "statuses, comma separated; default: everyone due"},
       {"institution", "query", "string", false, "学校代码"},
       {"unit", "query", "integer", false, "unit id"},
       {"page", "query", "integer", false, "from 1"},
       {"per_page", "query", "integer", false, "1–500, default 50"}},
      people);
  r = add("POST", "/api/v1/rounds/{id}/sampling", P::samples_write,
          "A batch of sampling records (one transaction; bad records listed)", {id}, post_sampling);
  r->body =
      "{records:[{tube_code, id_number | person_code + institution_code, name, site, "
      "sampled_at}]}";
  r->body_limit = 64u << 20;
  r = add("POST", "/api/v1/rounds/{id}/results", P::samples_write,
          "A batch of lab results (one transaction; bad records listed)", {id}, post_results);
  r->body = "{records:[{tube_code, result, lab, reported_at, ct}]}";
  r->body_limit = 16u << 20;
  r = add("POST", "/api/v1/rounds/{id}/imports/sampling", P::samples_write,
          "Import a sampling file (采样管码, 证件号码, 姓名, 采样点, 采样时间)", {id, filename},
          upload_sampling);
  r->body = "the CSV or XLSX file";
  r->body_limit = 256u << 20;
  r = add("POST", "/api/v1/rounds/{id}/imports/results", P::samples_write,
          "Import a results file (采样管码, 检测结果, 检测机构, 报告时间, Ct值)", {id, filename},
          upload_results);
  r->body = "the CSV or XLSX file";
  r->body_limit = 64u << 20;
}

}  // namespace fx::server
