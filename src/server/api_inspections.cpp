// Routes: inspection and rectification (检查整改; docs/inspections.md). Scope
// and checks live in app/inspections.h; here bodies are read (nested lists
// field by field, each error naming its field) and answers written.
#include <boost/json.hpp>

#include "app/health_access.h"
#include "app/inspections.h"
#include "server/api.h"
#include "server/json_body.h"

namespace fx::server {
namespace {

namespace json = boost::json;

// A list to download, never cached.
Response file_response(const app::ExportedFile& f, const std::string& ascii_stem) {
  Response r = attachment(f.file_name, f.content_type, f.bytes, ascii_stem);
  r.header("Cache-Control", "no-store");
  return r;
}

// json, or the list written by `write` as an XLSX/CSV attachment.
template <class List, class ToJson, class Write>
Response list_or_file(Api& api, Context& c, const Result<List>& list, ToJson to_json, Write write,
                      const std::string& stem, const std::string& ascii_stem) {
  auto format = app::parse_export_format(str_param(c.request, "format"));
  if (!format.ok()) return error_response(format.status());
  if (!list.ok()) return error_response(list.status());
  if (*format == app::ExportFormat::json) return json_ok(200, to_json(*list));
  auto file = app::export_to_bytes(api.upload_dir, *format, stem,
                                   [&](const std::string& path) { return write(*list, path); });
  if (!file.ok()) return error_response(file.status());
  return file_response(*file, ascii_stem);
}

Result<app::InspectionQuery> query_of(const Context& c) {
  app::InspectionQuery q;
  auto round = int_param(c.request, "round", 0, 0, INT64_MAX);
  if (!round.ok()) return round.status();
  q.round_id = *round;
  q.institution = str_param(c.request, "institution");
  q.status = str_param(c.request, "status");
  q.today = str_param(c.request, "today");
  return q;
}

// Nested bodies: an object's string field, "" when absent.
Result<std::string> text_of(const json::object& o, const std::string& field, const char* key,
                            bool required) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) return Status::Invalid(field + "." + key + ": 必填 (required)");
    return std::string();
  }
  if (!v->is_string()) return Status::Invalid(field + "." + key + ": 应为文本 (must be a string)");
  return std::string(v->as_string());
}

Status known_keys(const json::object& o, const std::string& field,
                  std::initializer_list<std::string_view> keys) {
  for (const auto& kv : o) {
    bool ok = false;
    for (auto k : keys) ok |= kv.key() == k;
    if (!ok)
      return Status::Invalid(field + "." + std::string(kv.key()) + ": 未知字段 (unknown field)");
  }
  return Status::Ok();
}

// The array `key` of the body (absent: empty), each element an object.
Result<std::vector<const json::object*>> objects(const json::object& body, const char* key) {
  std::vector<const json::object*> out;
  const json::value* v = body.if_contains(key);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) return Status::Invalid(std::string(key) + ": 应为数组 (must be an array)");
  size_t i = 0;
  for (const auto& e : v->as_array()) {
    if (!e.is_object())
      return Status::Invalid(std::string(key) + "[" + std::to_string(i) +
                             "]: 应为对象 (must be an object)");
    out.push_back(&e.as_object());
    ++i;
  }
  return out;
}

Result<std::vector<app::NewFinding>> findings_of(const json::object& body) {
  auto list = objects(body, "findings");
  if (!list.ok()) return list.status();
  std::vector<app::NewFinding> out;
  for (size_t i = 0; i < list->size(); ++i) {
    const auto& o = *(*list)[i];
    const std::string at = "findings[" + std::to_string(i) + "]";
    FX_RETURN_IF_ERROR(known_keys(o, at, {"category", "severity", "description", "deadline"}));
    app::NewFinding f;
    auto category = text_of(o, at, "category", true);
    auto severity = text_of(o, at, "severity", false);
    auto description = text_of(o, at, "description", true);
    auto deadline = text_of(o, at, "deadline", true);
    for (auto* r : {&category, &severity, &description, &deadline})
      if (!r->ok()) return r->status();
    f.category = *category;
    if (!severity->empty()) f.severity = *severity;
    f.description = *description;
    f.deadline = *deadline;
    out.push_back(std::move(f));
  }
  return out;
}

Result<json::object> body_object(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body.empty() ? "{}" : body, ec);
  if (ec || !v.is_object()) return Status::Invalid("body: 应为 JSON 对象 (must be a JSON object)");
  return std::move(v.as_object());
}

// Standard base64 (padding optional); Invalid naming `field` on anything else.
Result<std::string> base64_decode(std::string_view in, const std::string& field) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : in) {
    int v = val(ch);
    if (v < 0) return Status::Invalid(field + ": 不是 base64 (not base64)");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 6) return Status::Invalid(field + ": base64 长度不对 (truncated base64)");
  return out;
}

Response figures(Api& api, Context& c) {
  auto f = app::inspection_figures(api.store, c.caller, str_param(c.request, "today"));
  if (!f.ok()) return error_response(f.status());
  return json_ok(200, app::inspection_figures_json(*f));
}

Response rounds(Api& api, Context& c) {
  auto l = app::list_inspection_rounds(api.store, c.caller);
  if (!l.ok()) return error_response(l.status());
  return json_ok(200, app::rounds_json(*l));
}

Response add_round(Api& api, Context& c) {
  auto b = JsonBody::parse(c.request.body, {"name", "start_date", "end_date"});
  if (!b.ok()) return error_response(b.status());
  app::NewInspectionRound req;
  const std::pair<const char*, std::string*> fields[] = {
      {"name", &req.name}, {"start_date", &req.start_date}, {"end_date", &req.end_date}};
  for (auto [name, out] : fields) {
    auto v = b->string(name, true, 200);
    if (!v.ok()) return error_response(v.status());
    *out = **v;
  }
  auto id = app::add_inspection_round(api.store, c.caller, req);
  if (!id.ok()) return error_response(id.status());
  return json_ok(201, json::serialize(json::object{{"id", *id}}));
}

Response list(Api& api, Context& c) {
  auto q = query_of(c);
  if (!q.ok()) return error_response(q.status());
  return list_or_file(api, c, app::list_inspections(api.store, c.caller, *q), app::inspections_json,
                      app::export_inspections, "督导检查记录", "inspections");
}

json::object added_json(const app::InspectionAdded& a) {
  json::array f, d;
  for (int64_t x : a.finding_ids) f.push_back(x);
  for (int64_t x : a.directive_ids) d.push_back(x);
  json::object o{{"id", a.inspection_id}, {"findings", std::move(f)}, {"directives", std::move(d)}};
  if (!a.directive_error.empty()) o["directive_error"] = a.directive_error;
  return o;
}

Response record(Api& api, Context& c) {
  auto b = JsonBody::parse(c.request.body, {"round", "institution", "inspector", "date", "summary",
                                            "items", "findings"});
  if (!b.ok()) return error_response(b.status());
  auto raw = body_object(c.request.body);
  if (!raw.ok()) return error_response(raw.status());
  app::NewInspection req;
  auto round = b->integer("round", 1, INT64_MAX);
  if (!round.ok()) return error_response(round.status());
  if (!*round) return error_response(Status::Invalid("round: 必填 (required)"));
  req.round_id = **round;
  const std::pair<const char*, std::string*> fields[] = {
      {"institution", &req.institution}, {"inspector", &req.inspector}, {"date", &req.date}};
  for (auto [name, out] : fields) {
    auto v = b->string(name, true, 200);
    if (!v.ok()) return error_response(v.status());
    *out = **v;
  }
  auto summary = b->string("summary", false, 20000);
  if (!summary.ok()) return error_response(summary.status());
  if (*summary) req.summary = **summary;
  auto items = objects(*raw, "items");
  if (!items.ok()) return error_response(items.status());
  for (size_t i = 0; i < items->size(); ++i) {
    const auto& o = *(*items)[i];
    const std::string at = "items[" + std::to_string(i) + "]";
    if (Status s = known_keys(o, at, {"item", "passed", "note"}); !s.ok()) return error_response(s);
    auto item = text_of(o, at, "item", true);
    auto note = text_of(o, at, "note", false);
    if (!item.ok()) return error_response(item.status());
    if (!note.ok()) return error_response(note.status());
    const json::value* passed = o.if_contains("passed");
    if (!passed || !passed->is_bool())
      return error_response(
          Status::Invalid(at + ".passed: 应为 true 或 false (must be a boolean)"));
    req.items.push_back({*item, passed->as_bool(), *note});
  }
  auto findings = findings_of(*raw);
  if (!findings.ok()) return error_response(findings.status());
  req.findings = *findings;
  auto added = app::record_inspection(api.store, c.caller, req);
  if (!added.ok()) return error_response(added.status());
  return json_ok(201, json::serialize(added_json(*added)));
}

Response add_finding(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto b = JsonBody::parse(c.request.body, {"category", "severity", "description", "deadline"});
  if (!b.ok()) return error_response(b.status());
  auto raw = body_object("{\"findings\":[" + c.request.body + "]}");
  if (!raw.ok()) return error_response(raw.status());
  auto findings = findings_of(*raw);
  if (!findings.ok()) return error_response(findings.status());
  auto added = app::add_finding(api.store, c.caller, *id, findings->at(0));
  if (!added.ok()) return error_response(added.status());
  return json_ok(201, json::serialize(added_json(*added)));
}

Response findings(Api& api, Context& c) {
  auto q = query_of(c);
  if (!q.ok()) return error_response(q.status());
  return list_or_file(api, c, app::list_findings(api.store, c.caller, *q), app::findings_json,
                      app::export_findings, "整改问题清单", "findings");
}

Response finding(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto v = app::show_finding(api.store, c.caller, *id, str_param(c.request, "today"));
  if (!v.ok()) return error_response(v.status());
  return json_ok(200, app::finding_json(*v));
}

Response show_after(Api& api, Context& c, int64_t id, const Status& s) {
  if (!s.ok()) return error_response(s);
  auto v = app::show_finding(api.store, c.caller, id);
  if (!v.ok()) return error_response(v.status());
  return json_ok(200, app::finding_json(*v));
}

Response evidence(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto b = JsonBody::parse(c.request.body, {"text", "files"});
  if (!b.ok()) return error_response(b.status());
  auto text = b->string("text", true, 20000);
  if (!text.ok()) return error_response(text.status());
  auto raw = body_object(c.request.body);
  if (!raw.ok()) return error_response(raw.status());
  auto files = objects(*raw, "files");
  if (!files.ok()) return error_response(files.status());
  std::vector<app::EvidenceUpload> uploads;
  for (size_t i = 0; i < files->size(); ++i) {
    const auto& o = *(*files)[i];
    const std::string at = "files[" + std::to_string(i) + "]";
    if (Status s = known_keys(o, at, {"name", "content_type", "data"}); !s.ok())
      return error_response(s);
    auto name = text_of(o, at, "name", true);
    auto type = text_of(o, at, "content_type", false);
    auto data = text_of(o, at, "data", true);
    for (auto* r : {&name, &type, &data})
      if (!r->ok()) return error_response(r->status());
    auto bytes = base64_decode(*data, at + ".data");
    if (!bytes.ok()) return error_response(bytes.status());
    uploads.push_back({*name, *type, std::move(*bytes)});
  }
  return show_after(api, c, *id, app::submit_evidence(api.store, c.caller, *id, **text, uploads));
}

Response verify(Api& api, Context& c, bool verified) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  const std::string& raw = c.request.body.empty() ? std::string("{}") : c.request.body;
  auto b = JsonBody::parse(raw, {verified ? "note" : "reason"});
  if (!b.ok()) return error_response(b.status());
  auto note = b->string(verified ? "note" : "reason", !verified, 2000);
  if (!note.ok()) return error_response(note.status());
  return show_after(api, c, *id,
                    app::verify_finding(api.store, c.caller, *id, verified, note->value_or("")));
}
Response accept(Api& api, Context& c) { return verify(api, c, true); }
Response send_back(Api& api, Context& c) { return verify(api, c, false); }

Response file(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto f = app::evidence_file(api.store, c.caller, *id);
  if (!f.ok()) return error_response(f.status());
  Response r = attachment(f->name, "application/octet-stream", std::move(f->data), "evidence");
  r.header("Cache-Control", "no-store");
  r.header("X-Content-Type-Options", "nosniff");
  return r;
}

Response letters(Api& api, Context& c) {
  auto q = query_of(c);
  if (!q.ok()) return error_response(q.status());
  return list_or_file(api, c, app::list_letters(api.store, c.caller, *q), app::letters_json,
                      app::export_letters, "提醒函登记表", "letters");
}

Response issue(Api& api, Context& c) {
  auto b = JsonBody::parse(c.request.body, {"institution", "findings", "title", "body", "date"});
  if (!b.ok()) return error_response(b.status());
  auto raw = body_object(c.request.body);
  if (!raw.ok()) return error_response(raw.status());
  app::NewLetter req;
  const std::pair<const char*, std::string*> fields[] = {
      {"institution", &req.institution}, {"title", &req.title}, {"date", &req.date}};
  for (auto [name, out] : fields) {
    auto v = b->string(name, true, 300);
    if (!v.ok()) return error_response(v.status());
    *out = **v;
  }
  auto body = b->string("body", false, 20000);
  if (!body.ok()) return error_response(body.status());
  if (*body) req.body = **body;
  if (const json::value* f = raw->if_contains("findings")) {
    if (!f->is_array())
      return error_response(Status::Invalid("findings: 应为编号数组 (an array of finding ids)"));
    for (const auto& e : f->as_array()) {
      if (!e.is_int64() || e.as_int64() <= 0)
        return error_response(Status::Invalid("findings: 应为编号数组 (an array of finding ids)"));
      req.findings.push_back(e.as_int64());
    }
  }
  auto l = app::issue_letter(api.store, c.caller, req);
  if (!l.ok()) return error_response(l.status());
  auto v = app::show_letter(api.store, c.caller, l->id);
  if (!v.ok()) return error_response(v.status());
  return json_ok(201, app::letter_json(*v));
}

Response letter(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  const std::string format = str_param(c.request, "format");
  if (format == "text") {
    auto t = app::letter_text(api.store, c.caller, *id);
    if (!t.ok()) return error_response(t.status());
    Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = *t;
    return r;
  }
  if (!format.empty() && format != "json")
    return error_response(Status::Invalid("format: 应为 json 或 text (json or text)"));
  auto v = app::show_letter(api.store, c.caller, *id);
  if (!v.ok()) return error_response(v.status());
  return json_ok(200, app::letter_json(*v));
}

Response supervisors(Api& api, Context& c) {
  auto q = query_of(c);
  if (!q.ok()) return error_response(q.status());
  return list_or_file(api, c, app::list_supervisors(api.store, c.caller, *q), app::supervisors_json,
                      app::export_supervisors, "驻点督导员", "supervisors");
}

Response assign(Api& api, Context& c) {
  auto b = JsonBody::parse(c.request.body,
                           {"name", "organisation", "institution", "start_date", "end_date"});
  if (!b.ok()) return error_response(b.status());
  app::NewSupervisor req;
  const std::tuple<const char*, std::string*, bool> fields[] = {
      {"name", &req.name, true},
      {"organisation", &req.organisation, false},
      {"institution", &req.institution, true},
      {"start_date", &req.start_date, true},
      {"end_date", &req.end_date, false}};
  for (auto [name, out, required] : fields) {
    auto v = b->string(name, required, 200);
    if (!v.ok()) return error_response(v.status());
    if (*v) *out = **v;
  }
  auto id = app::assign_supervisor(api.store, c.caller, req);
  if (!id.ok()) return error_response(id.status());
  return json_ok(201, json::serialize(json::object{{"id", *id}}));
}

}  // namespace

void add_inspection_routes(Api& api, std::vector<Route>& routes) {
  using P = app::Permission;
  auto add = [&](std::string method, std::string pattern, P perm, std::string summary,
                 std::vector<ParamDoc> params, Response (*fn)(Api&, Context&)) {
    Route r{std::move(method), std::move(pattern), Access::permission, perm,
            "inspections",     std::move(summary)};
    r.params = std::move(params);
    r.handler = [&api, fn](Context& c) { return fn(api, c); };
    routes.push_back(std::move(r));
    return &routes.back();
  };
  const ParamDoc id{"id", "path", "integer", true, "id"};
  const ParamDoc round{"round", "query", "integer", false, "only this inspection round"};
  const ParamDoc inst{"institution", "query", "string", false, "only this institution (学校代码)"};
  const ParamDoc today{"today", "query", "string", false,
                       "the day for overdue and on site (YYYY-MM-DD; default today)"};
  const ParamDoc format{"format", "query", "string", false, "json (default), xlsx or csv"};
  add("GET", "/api/v1/inspections/figures", P::figures_read,
      "Figures: rounds, coverage per round, findings open/closed/overdue, letters, supervisors",
      {today}, figures);
  add("GET", "/api/v1/inspections/rounds", P::figures_read, "Inspection rounds (督导检查轮次)", {},
      rounds);
  Route* r = add("POST", "/api/v1/inspections/rounds", P::inspections_manage,
                 "Add an inspection round", {}, add_round);
  r->body = "{name, start_date, end_date}";
  add("GET", "/api/v1/inspections", P::directives_act,
      "Inspections in the caller's scope, newest first, with their checklists",
      {round, inst, format}, list);
  r = add("POST", "/api/v1/inspections", P::inspections_manage,
          "Record an inspection with its checklist and findings; each finding sends a directive",
          {}, record);
  r->body =
      "{round, institution, inspector, date, summary?, items?: [{item, passed, note?}], "
      "findings?: [{category, severity?: 一般|较重|严重, description, deadline}]}";
  r = add("POST", "/api/v1/inspections/{id}/findings", P::inspections_manage,
          "Add a finding to an inspection (sends its directive)", {id}, add_finding);
  r->body = "{category, severity?, description, deadline}";
  add("GET", "/api/v1/inspections/findings", P::directives_act,
      "Findings (整改问题) in the caller's scope",
      {round,
       inst,
       {"status", "query", "string", false, "open, submitted, closed or overdue"},
       today,
       format},
      findings);
  add("GET", "/api/v1/inspections/findings/{id}", P::directives_act,
      "One finding with its history (evidence, verification) and the letters citing it", {id},
      finding);
  r = add("POST", "/api/v1/inspections/findings/{id}/evidence", P::directives_act,
          "Submit rectification evidence (text, files optional) for one's own finding", {id},
          evidence);
  r->body = "{text, files?: [{name, content_type?, data: base64}]} (5 files of 5 MB at most)";
  r->body_limit = 40u << 20;
  add("GET", "/api/v1/inspections/files/{id}", P::directives_act,
      "Download one evidence file (its finding in the caller's scope)", {id}, file);
  r = add("POST", "/api/v1/inspections/findings/{id}/verify", P::inspections_manage,
          "Verify the evidence: the finding is closed (销号)", {id}, accept);
  r->body = "{note?}";
  r = add("POST", "/api/v1/inspections/findings/{id}/return", P::inspections_manage,
          "Send the evidence back with a reason: the finding is open again", {id}, send_back);
  r->body = "{reason}";
  add("GET", "/api/v1/inspections/letters", P::directives_act,
      "Reminder letters (提醒函) in the caller's scope, by number", {inst, format}, letters);
  r = add("POST", "/api/v1/inspections/letters", P::inspections_manage,
          "Issue a numbered reminder letter to an institution, citing its findings", {}, issue);
  r->body = "{institution, findings?: [id…], title, body?, date}";
  add("GET", "/api/v1/inspections/letters/{id}", P::directives_act,
      "One letter; format=text gives the printable letter",
      {id, {"format", "query", "string", false, "json (default) or text"}}, letter);
  add("GET", "/api/v1/inspections/supervisors", P::directives_act,
      "On-site supervisors (驻点督导员) in the caller's scope", {inst, today, format}, supervisors);
  r = add("POST", "/api/v1/inspections/supervisors", P::inspections_manage,
          "Assign an on-site supervisor to an institution", {}, assign);
  r->body = "{name, organisation?, institution, start_date, end_date?}";
}

}  // namespace fx::server
