// Routes: directives (指令). The inbox and each directive are scoped by the
// caller in the app layer; handlers only read the body and serialise.
#include <boost/json.hpp>

#include "app/directives.h"
#include "server/api.h"
#include "server/json_body.h"

namespace fx::server {
namespace {

namespace json = boost::json;
using domain::DirectiveAction;

Response list(Api& api, Context& c) {
  const std::string* inst = c.request.param("institution");
  auto l = app::list_directives(api.store, c.caller, inst ? *inst : "");
  if (!l.ok()) return error_response(l.status());
  return json_ok(200, app::directives_json(*l));
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
  auto v = app::show_directive(api.store, c.caller, *id);
  if (!v.ok()) return error_response(v.status());
  return json_ok(200, app::directive_json(*v));
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
  const ParamDoc code{"code", "path", "string", true, "recipient institution (学校代码)"};
  add("GET", "/api/v1/directives", P::directives_act,
      "The inbox: directives with a recipient in the caller's scope, newest first, with figures",
      {{"institution", "query", "string", false, "only this institution (学校代码)"}}, list);
  Route* r = add("POST", "/api/v1/directives", P::directives_send,
                 "Send a directive to institutions", {}, send);
  r->body =
      "{title, body?, priority?: 普通|紧急|特急, deadline?: local time, to: [code…] | [\"all\"]}";
  add("POST", "/api/v1/directives/escalate", P::directives_send,
      "Flag every overdue recipient to the sender's group lead or command (idempotent)", {},
      escalate);
  add("GET", "/api/v1/directives/{id}", P::directives_act,
      "One directive: the caller's recipient rows, their clocks and history; an institution "
      "opening it marks it read",
      {id}, one);
  add("POST", "/api/v1/directives/{id}/recipients/{code}/ack", P::directives_act,
      "Acknowledge receipt for an institution", {id, code}, ack);
  r = add("POST", "/api/v1/directives/{id}/recipients/{code}/done", P::directives_act,
          "Report done with feedback (again to revise it before acceptance)", {id, code}, done);
  r->body = "{feedback}";
  add("POST", "/api/v1/directives/{id}/recipients/{code}/accept", P::directives_send,
      "Accept the feedback (the sender's group or command)", {id, code}, accept);
  r = add("POST", "/api/v1/directives/{id}/recipients/{code}/return", P::directives_send,
          "Send the feedback back with a reason: the recipient is acknowledged again", {id, code},
          send_back);
  r->body = "{reason}";
  r = add("POST", "/api/v1/rounds/{id}/missed-directives", P::directives_send,
          "One directive per institution with people not yet sampled in the round, each listing "
          "them",
          {{"id", "path", "integer", true, "round id"}}, from_missed);
  r->body = "{deadline?, priority?}";
}

}  // namespace fx::server
