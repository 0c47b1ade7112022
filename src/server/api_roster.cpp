// Routes: institutions, units, people, the figures and the change feed.
#include <boost/json.hpp>
#include <chrono>

#include "app/outbreak_figures.h"
#include "app/roster_view.h"
#include "server/api.h"
#include "store/feed_signal.h"

namespace fx::server {
namespace {

namespace json = boost::json;

// The outbreak's counts beside the roster's: the map is coloured by them.
void put_figures(json::object& o, const app::InstitutionFigures& f) {
  o["cases"] = f.cases;
  o["close_contacts"] = f.close;
  o["secondary_contacts"] = f.secondary;
  o["quarantined"] = f.quarantined;
  o["directives_open"] = f.directives_open;
  o["directives_overdue"] = f.directives_overdue;
  if (f.coverage) {
    o["coverage"] = *f.coverage;
    o["sampled"] = f.sampled;
    o["missed"] = f.missed;
  }
}

Response institutions(Api& api, Context& c) {
  auto list = app::list_institutions(api.store, c.caller);
  if (!list.ok()) return error_response(list.status());
  auto figures = app::outbreak_figures(api.store, c.caller, api.rounds);
  if (!figures.ok()) return error_response(figures.status());
  json::array a;
  for (const auto& v : *list) {
    const auto& i = v.institution;
    json::object o{{"code", i.code},
                   {"name", i.name},
                   {"kind", domain::institution_kind_code(i.kind)},
                   {"kind_name", domain::institution_kind_name(i.kind)},
                   {"address", i.address},
                   {"longitude", i.longitude ? json::value(*i.longitude) : json::value(nullptr)},
                   {"latitude", i.latitude ? json::value(*i.latitude) : json::value(nullptr)},
                   {"people", v.counts.people},
                   {"students", v.counts.students},
                   {"teachers", v.counts.teachers},
                   {"staff", v.counts.staff},
                   {"units", v.counts.units},
                   {"dorm_residents", v.counts.dorm_residents}};
    auto f = figures->by_institution.find(i.id);
    put_figures(o, f == figures->by_institution.end() ? app::InstitutionFigures{} : f->second);
    a.push_back(std::move(o));
  }
  return json_ok(200, json::serialize(json::object{{"items", std::move(a)}}));
}

Response units(Api& api, Context& c) {
  auto list = app::list_units(api.store, c.caller, c.path["code"]);
  if (!list.ok()) return error_response(list.status());
  json::array a;
  for (const auto& u : *list)
    a.push_back(json::object{{"id", u.id},
                             {"parent_id", u.parent_id},
                             {"kind", domain::unit_kind_code(u.kind)},
                             {"name", u.name},
                             {"path", u.path}});
  return json_ok(200, json::serialize(json::object{{"items", std::move(a)}}));
}

Response people(Api& api, Context& c) {
  app::PeopleFilter f;
  const auto& r = c.request;
  if (auto* v = r.param("institution")) f.institution = *v;
  if (auto* v = r.param("role")) f.role = *v;
  if (auto* v = r.param("q")) f.q = *v;
  auto unit = int_param(r, "unit", 0, 0, INT64_MAX);
  auto page = int_param(r, "page", 1, 1, 1000000);
  auto per_page = int_param(r, "per_page", 50, 1, app::kMaxPerPage);
  for (auto* x : {&unit, &page, &per_page})
    if (!x->ok()) return error_response(x->status());
  f.unit_id = *unit;
  f.page = *page;
  f.per_page = static_cast<int>(*per_page);
  auto list = app::list_people(api.store, api.vault, c.caller, f);
  if (!list.ok()) return error_response(list.status());
  json::array a;
  for (const auto& p : list->items)
    a.push_back(json::object{
        {"id", p.id},
        {"institution", json::object{{"code", p.institution_code}, {"name", p.institution_name}}},
        {"unit_id", p.unit_id},
        {"unit_path", p.unit_path},
        {"person_code", p.person_code},
        {"name", p.name},
        {"gender", p.gender},
        {"birth_date", p.birth_date},
        {"role", p.role},
        {"id_kind", p.id_kind},
        {"id_masked", p.id_masked},
        {"phone_masked", p.phone_masked},
        {"dorm", p.dorm}});
  return json_ok(200, json::serialize(json::object{{"items", std::move(a)},
                                                   {"total", list->total},
                                                   {"page", f.page},
                                                   {"per_page", f.per_page}}));
}

Response person(Api& api, Context& c) {
  auto id = id_param(c, "id");
  if (!id.ok()) return error_response(Status::NotFound("没有此人 (no such person)"));
  auto v = app::read_person(api.store, c.caller, *id);
  if (!v.ok()) return error_response(v.status());
  const auto& p = v->person;
  json::object o{
      {"id", p.id},
      {"institution", json::object{{"code", v->institution_code}, {"name", v->institution_name}}},
      {"unit_id", p.unit_id},
      {"unit_path", v->unit_path},
      {"person_code", p.person_code},
      {"name", p.name},
      {"gender", domain::gender_name(p.gender)},
      {"birth_date", p.birth_date},
      {"role", domain::role_code(p.role)},
      {"id_kind", domain::id_kind_code(p.id_kind)},
      {"id_masked", v->id_masked},
      {"phone_masked", v->phone_masked},
      {"full", v->full},
      {"home_compound", p.home_compound},
      {"dorm", v->dorm}};
  if (v->full) {
    o["id_number"] = p.id_number;
    o["phone"] = p.phone;
  }
  return json_ok(200, json::serialize(o));
}

std::string scope_key(const app::Caller& c) {
  if (c.all_institutions) return "*";
  std::string k;
  for (auto id : c.institutions) k += std::to_string(id) + ",";
  return k;
}

Response overview(Api& api, Context& c) {
  auto seq = store::feed_head(api.store);  // heard: no query while nothing changed
  if (!seq.ok()) return error_response(seq.status());
  std::string key = scope_key(c.caller);
  {
    std::lock_guard lock(api.overview_mutex);
    auto it = api.overview_cache.find(key);
    if (it != api.overview_cache.end() && it->second.first == *seq)
      return json_ok(200, it->second.second);
  }
  auto stats = app::scoped_roster_stats(api.store, c.caller);
  if (!stats.ok()) return error_response(stats.status());
  auto figures = app::outbreak_figures(api.store, c.caller, api.rounds);
  if (!figures.ok()) return error_response(figures.status());
  json::value doc = json::parse(app::to_json(*stats));
  put_figures(doc.as_object(), figures->total);
  if (figures->latest_round) doc.as_object()["latest_round"] = figures->latest_round;
  if (!figures->daily.empty()) {
    json::array daily;
    for (const auto& [date, d] : figures->daily)
      daily.push_back(json::object{{"date", date},
                                   {"cases", d.cases},
                                   {"close_contacts", d.close},
                                   {"secondary_contacts", d.secondary}});
    doc.as_object()["daily"] = std::move(daily);
  }
  std::string body = json::serialize(doc);
  std::lock_guard lock(api.overview_mutex);
  if (api.overview_cache.size() > 1000) api.overview_cache.clear();
  api.overview_cache[key] = {*seq, body};
  return json_ok(200, body);
}

Response events(Api& api, Context& c) {
  struct State {
    int64_t last = 0;
    bool started = false;
    std::chrono::steady_clock::time_point last_sent, last_read;
  };
  auto state = std::make_shared<State>();
  if (auto* id = c.request.header("last-event-id")) {
    try {
      state->last = std::stoll(*id);
    } catch (...) {
      return error_response(Status::Invalid("Last-Event-ID must be a number"));
    }
  } else {
    auto seq = api.store.last_change_seq();
    if (!seq.ok()) return error_response(seq.status());
    state->last = *seq;
  }
  auto stream = std::make_shared<EventStream>();
  // Looked at often, read only when there is news: a store that hears the
  // feed (LISTEN on PostgreSQL) says so without a query; otherwise (SQLite,
  // or the listening connection down) the feed is read every 500 ms.
  stream->interval = std::chrono::milliseconds(50);
  stream->pull = [&api, state, caller = c.caller](std::string& out) {
    auto now = std::chrono::steady_clock::now();
    if (!state->started) {
      out += "retry: 3000\n: fangxian change feed\n\n";
      state->started = true;
      state->last_sent = now;
    }
    auto heard = store::heard_change_seq(api.store);
    bool read =
        heard ? *heard > state->last : now - state->last_read >= std::chrono::milliseconds(500);
    auto changes = read ? api.store.changes_after(state->last, 200)
                        : Result<std::vector<store::Change>>(std::vector<store::Change>{});
    if (read) state->last_read = now;
    if (!changes.ok()) return false;
    for (const auto& ch : *changes) {
      state->last = ch.seq;
      if (ch.institution_id && !caller.sees(ch.institution_id)) continue;
      json::object o{
          {"seq", ch.seq}, {"at", ch.at}, {"kind", ch.kind}, {"subject_id", ch.subject_id}};
      boost::system::error_code ec;
      auto detail = json::parse(ch.detail, ec);
      o["detail"] = ec ? json::value(nullptr) : detail;
      out +=
          "id: " + std::to_string(ch.seq) + "\nevent: change\ndata: " + json::serialize(o) + "\n\n";
      state->last_sent = now;
    }
    if (out.empty() && now - state->last_sent > std::chrono::seconds(15)) {
      out += ": keep-alive\n\n";
      state->last_sent = now;
    }
    return true;
  };
  Response r;
  r.content_type = "text/event-stream";
  r.stream = std::move(stream);
  return r;
}

}  // namespace

void add_roster_routes(Api& api, std::vector<Route>& routes) {
  using P = app::Permission;
  auto add = [&](std::string method, std::string pattern, P perm, std::string tag,
                 std::string summary, std::vector<ParamDoc> params,
                 Response (*fn)(Api&, Context&)) {
    Route r{std::move(method), std::move(pattern), Access::permission, perm,
            std::move(tag),    std::move(summary)};
    r.params = std::move(params);
    r.handler = [&api, fn](Context& c) { return fn(api, c); };
    routes.push_back(std::move(r));
  };
  add("GET", "/api/v1/institutions", P::figures_read, "roster",
      "Institutions in the caller's scope with roster counts and coordinates", {}, institutions);
  add("GET", "/api/v1/institutions/{code}/units", P::figures_read, "roster",
      "The unit tree of one institution (flat, by path)",
      {{"code", "path", "string", true, "学校代码"}}, units);
  add("GET", "/api/v1/people", P::people_list, "roster",
      "People in the caller's scope, paged, ID numbers and phones masked",
      {{"institution", "query", "string", false, "学校代码"},
       {"unit", "query", "integer", false, "unit id: this unit and below"},
       {"role", "query", "string", false, "student, teacher or staff"},
       {"q", "query", "string", false, "a name (part of it), an ID number or a phone"},
       {"page", "query", "integer", false, "from 1"},
       {"per_page", "query", "integer", false, "1–500, default 50"}},
      people);
  add("GET", "/api/v1/people/{id}", P::people_list, "roster",
      "One person; ID number and phone in full for roles allowed, and the read is audited",
      {{"id", "path", "integer", true, "person id"}}, person);
  add("GET", "/api/v1/stats/overview", P::figures_read, "figures",
      "The roster figures of the caller's scope", {}, overview);
  Route ev{"GET",
           "/api/v1/events",
           Access::permission,
           P::figures_read,
           "figures",
           "Server-sent events: a `change` event for each entry of the change feed"};
  ev.produces = "text/event-stream";
  ev.params = {{"Last-Event-ID", "header", "integer", false, "resume after this sequence number"}};
  ev.handler = [&api](Context& c) { return events(api, c); };
  routes.push_back(std::move(ev));
}

}  // namespace fx::server
