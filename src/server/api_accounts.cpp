// Routes: login, logout, me, users, tokens, audit.
#include <boost/json.hpp>

#include "server/api.h"
#include "server/json_body.h"

namespace fx::server {
namespace {

namespace json = boost::json;

json::object user_json(const store::UserRecord& u, store::Store& store) {
  json::array colleges;
  json::value institution = nullptr;
  if (u.institution_id || !u.colleges.empty()) {
    auto insts = store.list_institutions();
    if (insts.ok())
      for (const auto& i : *insts) {
        if (i.id == u.institution_id) institution = json::string(i.code);
        for (auto c : u.colleges)
          if (c == i.id) colleges.emplace_back(i.code);
      }
  }
  return {
      {"username", u.username},     {"display_name", u.display_name}, {"role", u.role},
      {"task_group", u.task_group}, {"institution", institution},     {"colleges", colleges},
      {"disabled", u.disabled},     {"created_at", u.created_at},     {"updated_at", u.updated_at}};
}

json::object caller_json(const app::Caller& c, store::Store& store) {
  json::array perms;
  for (auto p : app::all_permissions())
    if (c.can(p)) perms.emplace_back(app::permission_name(p));
  json::array insts;
  if (!c.all_institutions) {
    auto all = store.list_institutions();
    if (all.ok())
      for (const auto& i : *all)
        if (c.sees(i.id)) insts.push_back(json::object{{"code", i.code}, {"name", i.name}});
  }
  return {{"username", c.username},
          {"display_name", c.display_name},
          {"role", app::role_code(c.role)},
          {"task_group", c.task_group},
          {"scope", json::object{{"all_institutions", c.all_institutions},
                                 {"institutions", std::move(insts)}}},
          {"permissions", std::move(perms)}};
}

json::object token_json(const store::TokenRecord& t) {
  json::array scopes;
  for (const auto& s : t.scopes) scopes.emplace_back(s);
  return {{"id", t.id},
          {"name", t.name},
          {"username", t.username},
          {"scopes", std::move(scopes)},
          {"created_at", t.created_at},
          {"expires_at", t.expires_at},
          {"revoked", !t.revoked_at.empty()},
          {"revoked_at", t.revoked_at}};
}

Response login(Api& api, Context& c) {
  auto body = JsonBody::parse(c.request.body, {"username", "password"});
  if (!body.ok()) return error_response(body.status());
  auto user = body->string("username", true, 64);
  if (!user.ok()) return error_response(user.status());
  auto pass = body->string("password", true, 1024);
  if (!pass.ok()) return error_response(pass.status());
  auto r = api.accounts.login(**user, **pass, c.request.remote, c.route.label());
  if (!r.ok()) {
    Response e = error_response(r.status());
    if (r.status().code() == Status::Code::rate_limited)
      e.header("Retry-After", std::to_string(std::max(
                                  1L, api.accounts.login_retry_after(**user, c.request.remote))));
    return e;
  }
  json::object out{{"user", caller_json(r->caller, api.store)},
                   {"csrf_token", r->csrf_token},
                   {"expires_at", r->expires_at}};
  Response resp = json_ok(200, json::serialize(out));
  resp.header("Set-Cookie",
              "fx_session=" + r->session_token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                  std::to_string(r->max_age_seconds) + (api.secure_cookies ? "; Secure" : ""));
  return resp;
}

Response logout(Api& api, Context& c) {
  if (!c.session_token.empty()) {
    Status s = api.accounts.logout(c.session_token, c.caller);
    if (!s.ok()) return error_response(s);
  }
  Response r = json_ok(200, R"({"logged_out":true})");
  r.header("Set-Cookie", "fx_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return r;
}

Response me(Api& api, Context& c) {
  json::object o = caller_json(c.caller, api.store);
  if (!c.session_token.empty()) o["csrf_token"] = api.accounts.csrf_token(c.session_token);
  if (c.caller.token_id) o["token_id"] = c.caller.token_id;
  return json_ok(200, json::serialize(o));
}

Response list_users(Api& api, Context&) {
  auto users = api.accounts.list_users();
  if (!users.ok()) return error_response(users.status());
  json::array a;
  for (const auto& u : *users) a.push_back(user_json(u, api.store));
  return json_ok(200, json::serialize(json::object{{"items", std::move(a)}}));
}

Result<store::UserRecord> find_user(Api& api, const std::string& name) {
  auto u = api.store.accounts().find_user(name);
  if (!u.ok()) return u.status();
  if (!*u) return Status::NotFound("没有用户 no user " + name);
  return **u;
}

Response get_user(Api& api, Context& c) {
  auto u = find_user(api, c.path["name"]);
  if (!u.ok()) return error_response(u.status());
  return json_ok(200, json::serialize(user_json(*u, api.store)));
}

Response add_user(Api& api, Context& c) {
  auto body = JsonBody::parse(c.request.body, {"username", "display_name", "role", "task_group",
                                               "institution", "colleges", "password"});
  if (!body.ok()) return error_response(body.status());
  app::NewUser n;
  for (auto [field, target, required] :
       {std::tuple{"username", &n.username, true},
        std::tuple{"display_name", &n.display_name, false}, std::tuple{"role", &n.role, true},
        std::tuple{"task_group", &n.task_group, false},
        std::tuple{"institution", &n.institution, false},
        std::tuple{"password", &n.password, false}}) {
    auto v = body->string(field, required, 200);
    if (!v.ok()) return error_response(v.status());
    if (*v) *target = **v;
  }
  auto colleges = body->strings("colleges", 100);
  if (!colleges.ok()) return error_response(colleges.status());
  n.colleges = *colleges;
  bool generated = n.password.empty();
  auto pw = api.accounts.add_user(n, c.caller);
  if (!pw.ok()) return error_response(pw.status());
  auto u = find_user(api, n.username);
  if (!u.ok()) return error_response(u.status());
  json::object o{{"user", user_json(*u, api.store)}};
  if (generated) o["password"] = *pw;  // shown once
  return json_ok(201, json::serialize(o));
}

Response update_user(Api& api, Context& c) {
  auto body = JsonBody::parse(c.request.body, {"disabled", "password", "reset_password"});
  if (!body.ok()) return error_response(body.status());
  auto disabled = body->boolean("disabled");
  if (!disabled.ok()) return error_response(disabled.status());
  auto password = body->string("password", false, 1024);
  if (!password.ok()) return error_response(password.status());
  auto reset = body->boolean("reset_password");
  if (!reset.ok()) return error_response(reset.status());
  const std::string& name = c.path["name"];
  auto u = find_user(api, name);
  if (!u.ok()) return error_response(u.status());
  json::object o;
  if (*disabled) {
    if (Status s = api.accounts.set_disabled(name, **disabled, c.caller); !s.ok())
      return error_response(s);
  }
  if (*password || (*reset && **reset)) {
    auto pw = api.accounts.set_password(name, *password ? **password : "", c.caller);
    if (!pw.ok()) return error_response(pw.status());
    if (!*password) o["password"] = *pw;
  }
  auto after = find_user(api, name);
  if (!after.ok()) return error_response(after.status());
  o["user"] = user_json(*after, api.store);
  return json_ok(200, json::serialize(o));
}

Response list_tokens(Api& api, Context&) {
  auto tokens = api.accounts.list_tokens();
  if (!tokens.ok()) return error_response(tokens.status());
  json::array a;
  for (const auto& t : *tokens) a.push_back(token_json(t));
  return json_ok(200, json::serialize(json::object{{"items", std::move(a)}}));
}

Response get_token(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  auto tokens = api.accounts.list_tokens();
  if (!tokens.ok()) return error_response(tokens.status());
  for (const auto& t : *tokens)
    if (t.id == *id) return json_ok(200, json::serialize(token_json(t)));
  return error_response(Status::NotFound("没有令牌 no token " + std::to_string(*id)));
}

Response add_token(Api& api, Context& c) {
  auto body = JsonBody::parse(c.request.body, {"name", "username", "scopes", "days"});
  if (!body.ok()) return error_response(body.status());
  app::NewToken n;
  auto name = body->string("name", true, 200);
  if (!name.ok()) return error_response(name.status());
  n.name = **name;
  auto user = body->string("username", false, 64);
  if (!user.ok()) return error_response(user.status());
  n.username = *user ? **user : c.caller.username;
  auto scopes = body->strings("scopes", 20);
  if (!scopes.ok()) return error_response(scopes.status());
  n.scopes = *scopes;
  auto days = body->integer("days", 0, 3650);
  if (!days.ok()) return error_response(days.status());
  if (*days) n.days = static_cast<int>(**days);
  auto t = api.accounts.create_token(n, c.caller);
  if (!t.ok()) return error_response(t.status());
  json::object o{{"token", token_json(t->first)}, {"secret", t->second}};
  return json_ok(201, json::serialize(o));
}

Response revoke_token(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(id.status());
  if (Status s = api.accounts.revoke_token(*id, c.caller); !s.ok()) return error_response(s);
  return json_ok(200, R"({"revoked":true})");
}

Response audit(Api& api, Context& c) {
  store::AuditQuery q;
  auto before = int_param(c.request, "before", 0, 0, INT64_MAX);
  auto limit = int_param(c.request, "limit", 100, 1, 1000);
  auto subject = int_param(c.request, "subject_id", 0, 0, INT64_MAX);
  for (auto* r : {&before, &limit, &subject})
    if (!r->ok()) return error_response(r->status());
  q.before_id = *before;
  q.limit = static_cast<int>(*limit);
  q.subject_id = *subject;
  if (auto* a = c.request.param("actor")) q.actor = *a;
  if (auto* a = c.request.param("action")) q.action = *a;
  if (auto* a = c.request.param("subject_kind")) q.subject_kind = *a;
  auto entries = api.store.accounts().list_audit(q);
  if (!entries.ok()) return error_response(entries.status());
  json::array a;
  for (const auto& e : *entries)
    a.push_back(json::object{{"id", e.id},
                             {"at", e.at},
                             {"actor", e.actor},
                             {"action", e.action},
                             {"route", e.route},
                             {"subject_kind", e.subject_kind},
                             {"subject_id", e.subject_id},
                             {"institution_id", e.institution_id},
                             {"detail", e.detail},
                             {"remote", e.remote}});
  return json_ok(200, json::serialize(json::object{{"items", std::move(a)}}));
}

}  // namespace

void add_account_routes(Api& api, std::vector<Route>& routes) {
  using P = app::Permission;
  auto add = [&](std::string method, std::string pattern, Access access, P perm, std::string tag,
                 std::string summary, std::string body, std::vector<ParamDoc> params,
                 Response (*fn)(Api&, Context&)) {
    Route r{std::move(method), std::move(pattern), access, perm,
            std::move(tag),    std::move(summary)};
    r.body = std::move(body);
    r.params = std::move(params);
    r.handler = [&api, fn](Context& c) { return fn(api, c); };
    routes.push_back(std::move(r));
  };
  const ParamDoc name{"name", "path", "string", true, "user name"};
  const ParamDoc id{"id", "path", "integer", true, "token id"};
  add("POST", "/api/v1/login", Access::open, P::figures_read, "session",
      "Log in: sets the fx_session cookie, returns the CSRF token", "{username, password}", {},
      login);
  add("POST", "/api/v1/logout", Access::authenticated, P::figures_read, "session",
      "End the session", "", {}, logout);
  add("GET", "/api/v1/me", Access::authenticated, P::figures_read, "session",
      "The caller: role, scope, permissions (and the CSRF token of a session)", "", {}, me);
  add("GET", "/api/v1/users", Access::permission, P::accounts_admin, "accounts", "Accounts", "", {},
      list_users);
  add("POST", "/api/v1/users", Access::permission, P::accounts_admin, "accounts",
      "Add an account (the password is generated and shown once when none is given)",
      "{username, display_name?, role, task_group?, institution?, colleges?, password?}", {},
      add_user);
  add("GET", "/api/v1/users/{name}", Access::permission, P::accounts_admin, "accounts",
      "One account", "", {name}, get_user);
  add("POST", "/api/v1/users/{name}", Access::permission, P::accounts_admin, "accounts",
      "Disable or enable an account, set or reset its password",
      "{disabled?, password?, reset_password?}", {name}, update_user);
  add("GET", "/api/v1/tokens", Access::permission, P::accounts_admin, "accounts", "API tokens", "",
      {}, list_tokens);
  add("POST", "/api/v1/tokens", Access::permission, P::accounts_admin, "accounts",
      "Create an API token (the secret is shown once)", "{name, username?, scopes?, days?}", {},
      add_token);
  add("GET", "/api/v1/tokens/{id}", Access::permission, P::accounts_admin, "accounts",
      "One API token", "", {id}, get_token);
  add("DELETE", "/api/v1/tokens/{id}", Access::permission, P::accounts_admin, "accounts",
      "Revoke an API token", "", {id}, revoke_token);
  add("GET", "/api/v1/audit", Access::permission, P::audit_read, "audit",
      "The audit log, newest first", "",
      {{"before", "query", "integer", false, "entries with id below this"},
       {"limit", "query", "integer", false, "1–1000, default 100"},
       {"actor", "query", "string", false, ""},
       {"action", "query", "string", false, "person.read, login, login.failed, …"},
       {"subject_kind", "query", "string", false, "person, user, token, import"},
       {"subject_id", "query", "integer", false, ""}},
      audit);
}

}  // namespace fx::server
