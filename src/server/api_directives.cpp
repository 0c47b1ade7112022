// Routes: directives (指令). The inbox and each directive are scoped by the
// caller in the app layer; handlers only read the body and serialise.
#include <boost/json.hpp>
#include <functional>

#include "app/directive_files.h"
#include "app/directive_reports.h"
#include "app/directives.h"
#include "app/health_access.h"
#include "server/api.h"
#include "server/json_body.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using domain::DirectiveAction;

// A report as a file, never cached: feedback can name people.
Response file(Api& api, app::ExportFormat format, const std::string& stem, const char* ascii,
              const std::function<Status(const std::string&)>& write) {
  auto f = app::export_to_bytes(api.upload_dir, format, stem, write);
  if (!f.ok()) return error_response(f.status());
  Response r = attachment(f->file_name, f->content_type, f->bytes, ascii);
  r.header("Cache-Control", "no-store");
  return r;
}

Response list(Api& api, Context& c) {
  auto format = app::parse_export_format(str_param(c.request, "format"));
  if (!format.ok()) return error_response(format.status());
  const std::string* inst = c.request.param("institution");
  auto l = app::list_directives(api.store, c.caller, inst ? *inst : "");
  if (!l.ok()) return error_response(l.status());
  if (*format == app::ExportFormat::json) return json_ok(200, app::directives_json(*l));
  return file(api, *format, "指令列表", "directives",
              [&](const std::string& path) { return app::export_directive_list(*l, path); });
}

Response stats(Api& api, Context& c) {
  auto format = app::parse_export_format(str_param(c.request, "format"));
  if (!format.ok()) return error_response(format.status());
  auto s = app::directive_stats(api.store, c.caller);
  if (!s.ok()) return error_response(s.status());
  if (*format == app::ExportFormat::json) return json_ok(200, app::directive_stats_json(*s));
  return file(api, *format, "指令办理用时", "directive-stats",
              [&](const std::string& path) { return app::export_directive_stats(*s, path); });
}

Response send(Api& api, Context& c) {
  auto b = JsonBody::parse(c.request.body, {"title", "body", "priority", "deadline", "to"});
  if (!b.ok()) return error_response(b.status());
  auto title = b->string("title", true, 300);
  auto body = b->string("body", false, 20000);
  auto priority = b->string("priority", false, 20);
  auto deadline = b->string("deadline", false, 40);
  auto to = b->strings("to", 1000);
  for (const Status* s :
       {&title.status(), &body.status(), &priority.status(), &deadline.status(), &to.status()})
    if (!s->ok()) return error_response(*s);
  app::SendDirective req;
  req.title = **title;
  if (*body) req.body = **body;
  if (*priority) req.priority = **priority;
  if (*deadline) req.deadline = **deadline;
  req.to = *to;
  auto id = app::send_directive(api.store, c.caller, req);
  if (!id.ok()) return error_response(id.status());
  auto v = app::show_directive(api.store, c.caller, *id);
  if (!v.ok()) return error_response(v.status());
  return json_ok(201, app::directive_json(*v));
}

Response one(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto format = app::parse_export_format(str_param(c.request, "format"));
  if (!format.ok()) return error_response(format.status());
  auto v = app::show_directive(api.store, c.caller, *id);
  if (!v.ok()) return error_response(v.status());
  if (*format == app::ExportFormat::json) return json_ok(200, app::directive_json(*v));
  return file(api, *format, "指令" + std::to_string(*id) + "接收方", "directive-recipients",
              [&](const std::string& path) { return app::export_directive_recipients(*v, path); });
}

Response act(Api& api, Context& c, DirectiveAction action) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  const std::string& raw = c.request.body.empty() ? std::string("{}") : c.request.body;
  auto b = JsonBody::parse(raw, {"feedback", "reason"});
  if (!b.ok()) return error_response(b.status());
  auto feedback = b->string("feedback", false, 20000);
  auto reason = b->string("reason", false, 2000);
  if (!feedback.ok()) return error_response(feedback.status());
  if (!reason.ok()) return error_response(reason.status());
  std::string text =
      action == DirectiveAction::send_back ? reason->value_or("") : feedback->value_or("");
  if (action == DirectiveAction::send_back && *feedback)
    return error_response(Status::Invalid("feedback: 退回请用 reason (use reason to return)"));
  if (action != DirectiveAction::send_back && *reason)
    return error_response(Status::Invalid("reason: 仅退回时使用 (only for return)"));
  Status s = app::act_on_directive(api.store, c.caller, *id, c.path["code"], action, text);
  if (!s.ok()) return error_response(s);
  auto v = app::show_directive(api.store, c.caller, *id);
  if (!v.ok()) return error_response(v.status());
  return json_ok(200, app::directive_json(*v));
}

Response ack(Api& api, Context& c) { return act(api, c, DirectiveAction::acknowledge); }
Response done(Api& api, Context& c) { return act(api, c, DirectiveAction::done); }
Response accept(Api& api, Context& c) { return act(api, c, DirectiveAction::accept); }
Response send_back(Api& api, Context& c) { return act(api, c, DirectiveAction::send_back); }

Response from_missed(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  const std::string& raw = c.request.body.empty() ? std::string("{}") : c.request.body;
  auto b = JsonBody::parse(raw, {"deadline", "priority"});
  if (!b.ok()) return error_response(b.status());
  auto deadline = b->string("deadline", false, 40);
  auto priority = b->string("priority", false, 20);
  if (!deadline.ok()) return error_response(deadline.status());
  if (!priority.ok()) return error_response(priority.status());
  app::FromMissed req;
  req.round_id = *id;
  if (*deadline) req.deadline = **deadline;
  if (*priority) req.priority = **priority;
  auto ids = app::directives_from_missed(api.store, c.caller, req);
  if (!ids.ok()) return error_response(ids.status());
  json::array a;
  for (int64_t x : *ids) a.push_back(x);
  return json_ok(201, json::serialize(json::object{{"ids", std::move(a)}}));
}

// The body is the file's bytes; ?name= gives its name, Content-Type its type.
app::Upload upload_of(const Context& c) {
  app::Upload u;
  u.name = str_param(c.request, "name");
  if (const std::string* type = c.request.header("content-type")) u.content_type = *type;
  u.data = c.request.body;
  return u;
}

Response attach(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto f = app::attach_to_directive(api.store, c.caller, *id, upload_of(c));
  if (!f.ok()) return error_response(f.status());
  return json_ok(201, json::serialize(json::object{{"id", *f}}));
}

Response attach_feedback(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto f = app::attach_to_feedback(api.store, c.caller, *id, c.path["code"], upload_of(c));
  if (!f.ok()) return error_response(f.status());
  return json_ok(201, json::serialize(json::object{{"id", *f}}));
}

Response files(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto l = app::list_directive_files(api.store, c.caller, *id);
  if (!l.ok()) return error_response(l.status());
  return json_ok(200, app::directive_files_json(*l));
}

Response one_file(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto file_id = id_param(c, "file");
  if (!file_id.ok()) return error_response(file_id.status());
  auto f = app::read_directive_file(api.store, c.caller, *id, *file_id);
  if (!f.ok()) return error_response(f.status());
  Response r = attachment(f->name, f->content_type, std::move(f->data), "attachment");
  r.header("X-Content-Type-Options", "nosniff");
  return r;
}

Response escalate(Api& api, Context& c) {
  auto n = app::escalate_overdue(api.store, c.caller);
  if (!n.ok()) return error_response(n.status());
  return json_ok(200, json::serialize(json::object{{"escalated", *n}}));
}

}  // namespace

void add_directive_routes(Api& api, std::vector<Route>& routes) {
  using P = app::Permission;
  auto add = [&](std::string method, std::string pattern, P perm, std::string summary,
                 std::vector<ParamDoc> params, Response (*fn)(Api&, Context&)) {
    Route r{std::move(method), std::move(pattern), Access::permission, perm,
            "directives",      std::move(summary)};
    r.params = std::move(params);
    r.handler = [&api, fn](Context& c) { return fn(api, c); };
    routes.push_back(std::move(r));
    return &routes.back();
  };
  const ParamDoc id{"id", "path", "integer", true, "directive id"};
  const ParamDoc code{
      "code", "path", "string", true,
      "the recipient: 学校代码, group:<工作组> or liaison:<username> (percent-encoded)"};
  const ParamDoc format{"format", "query", "string", false, "json (default), xlsx or csv"};
  add("GET", "/api/v1/directives", P::directives_act,
      "The inbox: directives with a recipient in the caller's scope, newest first, with figures",
      {{"institution", "query", "string", false,
        "only this recipient (学校代码, group:<工作组>, liaison:<username>)"},
       format},
      list);
  // Before /directives/{id}: the first matching route wins.
  add("GET", "/api/v1/directives/stats", P::directives_act,
      "Time from issue to acknowledgement and to completion, per directive, per recipient "
      "(institution, task group, liaison) and per recipient kind",
      {format}, stats);
  Route* r = add("POST", "/api/v1/directives", P::directives_send,
                 "Send a directive to institutions, task groups or liaisons", {}, send);
  r->body =
      "{title, body?, priority?: 普通|紧急|特急, deadline?: local time, to: [学校代码 | "
      "group:<工作组> | liaison:<username>…] | [\"all\"]}";
  add("POST", "/api/v1/directives/escalate", P::directives_send,
      "Flag every overdue recipient to the sender's group lead or command (idempotent)", {},
      escalate);
  add("GET", "/api/v1/directives/{id}", P::directives_act,
      "One directive: the caller's recipient rows, their clocks and history; an institution "
      "opening it marks it read",
      {id, format}, one);
  add("POST", "/api/v1/directives/{id}/recipients/{code}/ack", P::directives_act,
      "Acknowledge receipt for a recipient (institution, group or liaison)", {id, code}, ack);
  r = add("POST", "/api/v1/directives/{id}/recipients/{code}/done", P::directives_act,
          "Report done with feedback (again to revise it before acceptance)", {id, code}, done);
  r->body = "{feedback}";
  add("POST", "/api/v1/directives/{id}/recipients/{code}/accept", P::directives_send,
      "Accept the feedback (the sender's group or command)", {id, code}, accept);
  r = add("POST", "/api/v1/directives/{id}/recipients/{code}/return", P::directives_send,
          "Send the feedback back with a reason: the recipient is acknowledged again", {id, code},
          send_back);
  r->body = "{reason}";
  const ParamDoc name{"name", "query", "string", true, "the file's name (附件名)"};
  r = add("POST", "/api/v1/directives/{id}/files", P::directives_send,
          "Attach a file to a directive (the sender's group or command; body: the bytes, at most "
          "20 MB)",
          {id, name}, attach);
  r->body = "the file's bytes, Content-Type its type";
  r->body_limit = app::kMaxAttachmentBytes + 1024;
  r = add("POST", "/api/v1/directives/{id}/recipients/{code}/files", P::directives_act,
          "Attach a file to a recipient's feedback (after acknowledging, before acceptance)",
          {id, code, name}, attach_feedback);
  r->body = "the file's bytes, Content-Type its type";
  r->body_limit = app::kMaxAttachmentBytes + 1024;
  add("GET", "/api/v1/directives/{id}/files", P::directives_act,
      "The directive's files and the feedback files of the caller's recipient rows", {id}, files);
  add("GET", "/api/v1/directives/{id}/files/{file}", P::directives_act,
      "One file's bytes (audited); another institution's feedback file is 404",
      {id, {"file", "path", "integer", true, "file id"}}, one_file);
  r = add("POST", "/api/v1/rounds/{id}/missed-directives", P::directives_send,
          "One directive per institution with people not yet sampled in the round, each listing "
          "them",
          {{"id", "path", "integer", true, "round id"}}, from_missed);
  r->body = "{deadline?, priority?}";
}

}  // namespace fx::server
