// Routes: roster and institution imports by upload, import records, errors files.
#include <boost/json.hpp>
#include <mutex>

#include "app/import_access.h"
#include "server/api.h"

namespace fx::server {
namespace {

namespace json = boost::json;

json::object record_json(const store::ImportRecord& r, bool with_rows) {
  json::object o{{"id", r.id},
                 {"kind", r.kind},
                 {"file_name", r.file_name},
                 {"sha256", r.sha256},
                 {"format", r.format},
                 {"started_at", r.started_at},
                 {"finished_at", r.finished_at},
                 {"actor", r.actor},
                 {"rows", r.rows},
                 {"imported", r.imported},
                 {"updated", r.updated},
                 {"unchanged", r.unchanged},
                 {"rejected", r.rejected}};
  if (with_rows) {
    json::array rows;
    for (const auto& x : r.rejections) {
      json::array cells;
      for (const auto& cell : x.cells) cells.emplace_back(cell);
      rows.push_back(json::object{
          {"row", x.row}, {"column", x.column}, {"reason", x.reason}, {"cells", std::move(cells)}});
    }
    o["rejections"] = std::move(rows);
  }
  return o;
}

bool wants_events(const Request& r) {
  const std::string* accept = r.header("accept");
  return accept && accept->find("text/event-stream") != std::string::npos;
}

Response upload(Api& api, Context& c, const std::string& kind) {
  app::Upload up;
  up.kind = kind;
  if (auto* f = c.request.param("filename")) up.file_name = *f;
  up.upload_dir = api.upload_dir;
  if (!wants_events(c.request)) {
    up.bytes = c.request.body;
    auto report = app::import_upload(api.store, api.vault, c.caller, up);
    if (api.metrics) api.metrics->import_finished(kind, report.ok());
    if (!report.ok()) return error_response(report.status());
    return json_ok(report->import_id ? 201 : 200, app::to_json(*report));
  }
  // Progress as server-sent events: the import runs in the background and
  // the stream hands over what it has written every 200 ms.
  struct State {
    std::mutex mutex;
    std::string pending;
    bool done = false;
    std::string body;
  };
  auto state = std::make_shared<State>();
  state->body = std::move(c.request.body);
  api.jobs.run([&api, state, up, caller = c.caller, kind]() mutable {
    up.bytes = state->body;
    up.progress = [state](long rows) {
      std::lock_guard lock(state->mutex);
      state->pending += "event: progress\ndata: {\"rows\":" + std::to_string(rows) + "}\n\n";
    };
    auto report = app::import_upload(api.store, api.vault, caller, up);
    if (api.metrics) api.metrics->import_finished(kind, report.ok());
    std::lock_guard lock(state->mutex);
    if (report.ok())
      state->pending += "event: report\ndata: " + app::to_json(*report) + "\n\n";
    else
      state->pending += "event: error\ndata: " +
                        json_error(report.status().code_name(), report.status().message()) + "\n\n";
    state->done = true;
    state->body.clear();
    state->body.shrink_to_fit();
  });
  auto stream = std::make_shared<EventStream>();
  stream->interval = std::chrono::milliseconds(200);
  stream->ends_on_shutdown = false;
  stream->pull = [state](std::string& out) {
    std::lock_guard lock(state->mutex);
    out += state->pending;
    state->pending.clear();
    return !state->done;
  };
  Response r;
  r.content_type = "text/event-stream";
  r.stream = std::move(stream);
  return r;
}

Response roster_upload(Api& api, Context& c) { return upload(api, c, "roster"); }
Response institutions_upload(Api& api, Context& c) { return upload(api, c, "institutions"); }

Response list(Api& api, Context& c) {
  auto limit = int_param(c.request, "limit", 100, 1, 1000);
  if (!limit.ok()) return error_response(limit.status());
  auto records = app::list_imports(api.store, c.caller, static_cast<int>(*limit));
  if (!records.ok()) return error_response(records.status());
  json::array a;
  for (const auto& r : *records) a.push_back(record_json(r, false));
  return json_ok(200, json::serialize(json::object{{"items", std::move(a)}}));
}

Response one(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto r = app::get_import(api.store, c.caller, *id);
  if (!r.ok()) return error_response(r.status());
  return json_ok(200, json::serialize(record_json(*r, true)));
}

Response errors(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto f = app::import_errors_file(api.store, c.caller, *id, api.upload_dir);
  if (!f.ok()) return error_response(f.status());
  return attachment(f->file_name, f->content_type, std::move(f->bytes));
}

}  // namespace

void add_import_routes(Api& api, std::vector<Route>& routes) {
  using P = app::Permission;
  auto add = [&](std::string method, std::string pattern, P perm, std::string summary,
                 std::vector<ParamDoc> params, Response (*fn)(Api&, Context&)) {
    Route r{std::move(method), std::move(pattern), Access::permission, perm,
            "imports",         std::move(summary)};
    r.params = std::move(params);
    r.handler = [&api, fn](Context& c) { return fn(api, c); };
    routes.push_back(std::move(r));
    return &routes.back();
  };
  const ParamDoc filename{"filename", "query", "string", true, "the file's name: .csv or .xlsx"};
  const ParamDoc id{"id", "path", "integer", true, "import id"};
  Route* r = add("POST", "/api/v1/imports/roster", P::imports_write,
                 "Import a roster (body: the file's bytes). With Accept: text/event-stream, "
                 "`progress` events then a `report` event",
                 {filename}, roster_upload);
  r->body = "the CSV or XLSX file";
  r->body_limit = 512u << 20;
  r = add("POST", "/api/v1/imports/institutions", P::imports_write,
          "Import the institution list (body: the file's bytes)", {filename}, institutions_upload);
  r->body = "the CSV or XLSX file";
  r->body_limit = 32u << 20;
  add("GET", "/api/v1/imports", P::imports_read, "Import records, newest first",
      {{"limit", "query", "integer", false, "1–1000, default 100"}}, list);
  add("GET", "/api/v1/imports/{id}", P::imports_read,
      "One import with the rejected rows in the caller's scope", {id}, one);
  r = add("GET", "/api/v1/imports/{id}/errors", P::imports_read,
          "The rejected rows in the caller's scope as a file in the upload's format", {id}, errors);
  r->produces = "application/octet-stream";
}

}  // namespace fx::server
