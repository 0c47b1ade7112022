// fangxian bench trace: the district through the real path (roster and a
// month of timetables and swipes imported into the store, loaded, indexed),
// then single-case and 1,000-case traces; beside it the same presence
// intervals loaded into SQLite (sqlite3) and PostgreSQL (psql), indexed, with
// the same close and secondary lists computed by SQL. The lists must agree.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "app/import_presence.h"
#include "app/imports.h"
#include "app/policies.h"
#include "app/tracing.h"
#include "cli/bench_support.h"
#include "cli/context.h"
#include "sim/district.h"
#include "sim/presence.h"

namespace fx::cli {

void add_bench_trace_command(CLI::App& bench, Context& ctx, int& exit_code);

namespace {

namespace fs = std::filesystem;

struct Options {
  long people = 181035;
  int days = 30, cases = 1000, sql_cases = 10;
  std::string dir = "var/bench-trace", pg;
};

// person → (seconds, first contact) for one list.
using Lists = std::map<trace::PersonIx, std::pair<int64_t, int64_t>>;
struct SqlLists {
  Lists close, secondary;
};

// Writes every presence interval (stays, and sessions × memberships) and the
// pairwise contacts in both directions: the "same intervals" the peers index.
Status write_intervals(const trace::PresenceData& d, const std::string& dir, long& rows) {
  std::ofstream presence(dir + "/presence.csv"), pairs(dir + "/pairs.csv"),
      places(dir + "/places.csv");
  rows = 0;
  for (const trace::Stay& s : d.stays) {
    presence << s.person << ',' << s.place << ',' << s.start << ',' << s.end << '\n';
    ++rows;
  }
  std::vector<std::vector<const trace::Membership*>> members(d.groups);
  for (const trace::Membership& m : d.memberships) members[m.group].push_back(&m);
  for (const trace::GroupSession& s : d.sessions)
    for (const trace::Membership* m : members[s.group]) {
      const int64_t a = std::max(s.start, m->from), b = std::min(s.end, m->to);
      if (a >= b) continue;
      presence << m->person << ',' << s.place << ',' << a << ',' << b << '\n';
      ++rows;
    }
  for (const trace::PairContact& p : d.pairs) {
    pairs << p.a << ',' << p.b << ',' << p.start << ',' << p.end << '\n';
    pairs << p.b << ',' << p.a << ',' << p.start << ',' << p.end << '\n';
  }
  for (size_t i = 0; i < d.place_kinds.size(); ++i)
    places << i << ',' << static_cast<int>(d.place_kinds[i]) << '\n';
  return presence && pairs && places ? Status::Ok() : Status::IoError("cannot write " + dir);
}

// One query: everyone whose co-presence with `who` inside [from, to) reaches
// a threshold, with total seconds and first contact. Every presence interval
// is under a day long, which bounds the index range scan (the engine uses the
// same fact per list).
std::string contacts_sql(bool pg, const trace::Thresholds& th, long tag, trace::PersonIx who,
                         int64_t from, int64_t to, const std::string& excluded) {
  const std::string mx = pg ? "GREATEST" : "max", mn = pg ? "LEAST" : "min";
  std::string thr = "CASE kind";
  for (int k = 0; k < trace::kContactKinds; ++k)
    thr += " WHEN " + std::to_string(k) + " THEN " + std::to_string(th.seconds[k]);
  thr += " END";
  const std::string x = std::to_string(who), f = std::to_string(from), t = std::to_string(to);
  return "WITH mine AS (SELECT place, " + mx + "(s, " + f + ") AS s, " + mn + "(e, " + t +
         ") AS e FROM presence WHERE person = " + x + " AND s < " + t + " AND s > " + f +
         " - 86400 AND e > " + f + "), hits AS (SELECT p.person AS person, pl.kind AS kind, " + mn +
         "(m.e, p.e) - " + mx + "(m.s, p.s) AS secs, " + mx +
         "(m.s, p.s) AS st FROM mine m JOIN presence p ON p.place = m.place AND p.s < m.e AND "
         "p.s > m.s - 86400 AND p.e > m.s JOIN places pl ON pl.place = m.place WHERE p.person <> " +
         x + " UNION ALL SELECT b, 7, " + mn + "(e, " + t + ") - " + mx + "(s, " + f + "), " + mx +
         "(s, " + f + ") FROM pairs WHERE a = " + x + " AND s < " + t + " AND s > " + f +
         " - 86400 AND e > " + f +
         "), per_kind AS (SELECT person, kind, SUM(secs) AS total, MIN(st) AS first FROM hits "
         "GROUP BY person, kind) SELECT " +
         std::to_string(tag) +
         ", person, SUM(total), MIN(first) FROM per_kind WHERE person NOT IN (" + excluded +
         ") GROUP BY person HAVING SUM(CASE WHEN total > 0 AND total >= " + thr +
         " THEN 1 ELSE 0 END) > 0;\n";
}

struct Peer {
  std::string name;
  bool pg = false;
  std::string run;  // shell prefix that reads a script on stdin
  double load = 0, query = 0;
  bool ok = true;
  std::string error;
};

// Runs a script of queries; rows "tag|person|seconds|first".
Result<std::vector<std::array<int64_t, 4>>> run_queries(Peer& peer, const std::string& script_path,
                                                        const std::string& script) {
  std::ofstream(script_path) << script;
  auto out = run_shell(peer.run + " < " + script_path);
  if (!out.ok()) return out.status();
  peer.query += out->second;
  std::vector<std::array<int64_t, 4>> rows;
  std::istringstream lines(out->first);
  std::string line;
  while (std::getline(lines, line)) {
    std::array<int64_t, 4> r{};
    if (std::sscanf(line.c_str(), "%ld|%ld|%ld|%ld", &r[0], &r[1], &r[2], &r[3]) == 4)
      rows.push_back(r);
  }
  return rows;
}

// Close then secondary lists of each case, by SQL, the same rules as the tracer.
Result<std::vector<SqlLists>> sql_trace(Peer& peer, const std::string& dir,
                                        const trace::TraceQuery& shape,
                                        const std::vector<trace::IndexCase>& cases) {
  std::string script;
  for (size_t i = 0; i < cases.size(); ++i)
    script += contacts_sql(peer.pg, shape.thresholds, static_cast<long>(i), cases[i].person,
                           cases[i].from, cases[i].to, std::to_string(cases[i].person));
  auto close = run_queries(peer, dir + "/close.sql", script);
  if (!close.ok()) return close.status();
  std::vector<SqlLists> out(cases.size());
  for (const auto& r : *close) out[r[0]].close[r[1]] = {r[2], r[3]};
  script.clear();
  long tag = 0;
  std::vector<size_t> case_of;
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string excluded = std::to_string(cases[i].person);
    for (const auto& [p, v] : out[i].close) excluded += "," + std::to_string(p);
    for (const auto& [p, v] : out[i].close) {
      script += contacts_sql(peer.pg, shape.thresholds, tag++, p, v.second, shape.quarantine_start,
                             excluded);
      case_of.push_back(i);
    }
  }
  auto secondary = run_queries(peer, dir + "/secondary.sql", script);
  if (!secondary.ok()) return secondary.status();
  for (const auto& r : *secondary) {
    auto& s = out[case_of[r[0]]].secondary[r[1]];
    s.second = s.first == 0 ? r[3] : std::min(s.second, r[3]);
    s.first += r[2];
  }
  return out;
}

Lists lists_of(const std::vector<trace::Contact>& contacts) {
  Lists out;
  for (const auto& c : contacts) out[c.person] = {c.seconds, c.first};
  return out;
}

bool same(const Lists& engine, const Lists& sql) {
  if (engine.size() != sql.size()) return false;
  for (const auto& [p, v] : engine) {
    auto it = sql.find(p);
    if (it == sql.end() || it->second.first != v.first) return false;
  }
  return true;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5))];
}

int run(Context& ctx, const Options& o) {
  (void)ctx;
  fs::create_directories(o.dir);
  const std::string district = o.dir + "/district-" + std::to_string(o.people);
  const sim::DistrictShape shape = sim::DistrictShape::scaled(o.people);
  auto t = BenchClock::now();
  if (!fs::exists(district + "/roster.csv")) {
    auto files = sim::write_district(shape, district, false, false);
    if (!files.ok()) return fail(files.status());
  }
  sim::PresenceSimOptions sim_options;
  sim_options.days = o.days;
  const std::string presence_dir = district + "/presence-" + std::to_string(o.days);
  if (!fs::exists(presence_dir + "/swipes.csv")) {
    auto sim = sim::write_presence(shape, presence_dir, sim_options);
    if (!sim.ok()) return fail(sim.status());
  }
  std::printf("contact tracing, %ld people, %d days (generated in %.1f s)\n", o.people, o.days,
              seconds_since(t));

  const std::string db = o.dir + "/trace.db";
  Vault vault = Vault::for_testing(11);
  const bool fresh = !fs::exists(db);
  auto store = store::open_store(db, vault);
  if (!store.ok()) return fail(store.status());
  if (fresh) {
    t = BenchClock::now();
    auto inst = app::import_institutions(**store, district + "/institutions.csv");
    if (!inst.ok()) return fail(inst.status());
    auto roster = app::import_roster(**store, vault, district + "/roster.csv");
    if (!roster.ok()) return fail(roster.status());
    app::PresenceImportOptions po;
    po.create_places = true;
    auto tt = app::import_presence(**store, vault, app::PresenceKind::timetable,
                                   presence_dir + "/timetable.csv", po);
    if (!tt.ok()) return fail(tt.status());
    auto sw = app::import_presence(**store, vault, app::PresenceKind::swipes,
                                   presence_dir + "/swipes.csv", po);
    if (!sw.ok()) return fail(sw.status());
    std::printf("  store: roster %ld, timetable rows %ld, swipes %ld imported in %.1f s\n",
                roster->imported, tt->records, sw->records, seconds_since(t));
  }

  auto policy = app::find_policy(app::kDefaultPolicy);
  if (!policy.ok()) return fail(policy.status());
  const long rss_before = resident_bytes();
  // The SQL peers need the loaded records; without them they are freed, as
  // the server does.
  auto index = app::TraceIndex::build(**store, *policy, {}, o.sql_cases > 0);
  if (!index.ok()) return fail(index.status());
  const long rss_after = resident_bytes();
  const app::TraceIndex& built = **index;
  std::printf(
      "  index: %zu stays, %zu group sessions, %zu memberships, %zu pairs\n"
      "  index: load from store %.2f s, build %.2f s, index %.0f MiB, process RSS +%.0f MiB\n",
      built.stays, built.sessions, built.memberships, built.pairs, (*index)->load_seconds,
      (*index)->build_seconds, (*index)->index.bytes() / 1048576.0,
      (rss_after - rss_before) / 1048576.0);

  // Cases: random people, positive on day 20 at 10:00, confirmed a day later.
  const int64_t sample = 1646006400 + int64_t{20} * 86400 + 2 * 3600;  // 2022-02-28 + 20 d, 10:00
  const int64_t at = sample + 86400;
  trace::TraceQuery shape_query;
  shape_query.thresholds = app::thresholds_of(*policy);
  shape_query.quarantine_start = at;
  const int64_t from = app::window_start(*policy, {0, sample, "", at});
  std::mt19937 rng(20220311);
  std::vector<trace::IndexCase> cases;
  std::set<trace::PersonIx> chosen;
  while (static_cast<int>(cases.size()) < o.cases && chosen.size() < built.index.people) {
    const auto p = std::uniform_int_distribution<trace::PersonIx>(0, built.index.people - 1)(rng);
    if (chosen.insert(p).second) cases.push_back({p, from, at});
  }
  trace::Tracer tracer((*index)->index);
  std::vector<double> ms;
  std::vector<trace::TraceResult> results;
  long close = 0, secondary = 0;
  for (const auto& c : cases) {
    trace::TraceQuery q = shape_query;
    q.cases = {c};
    const auto start = BenchClock::now();
    results.push_back(tracer.trace(q));
    ms.push_back(seconds_since(start) * 1000);
    close += results.back().close.size();
    secondary += results.back().secondary.size();
  }
  std::printf(
      "  single case (close + secondary), %zu cases: p50 %.2f ms, p99 %.2f ms; "
      "mean %.0f close, %.0f secondary\n",
      cases.size(), percentile(ms, 0.5), percentile(ms, 0.99),
      static_cast<double>(close) / cases.size(), static_cast<double>(secondary) / cases.size());
  trace::TraceQuery batch = shape_query;
  batch.cases = cases;
  auto start = BenchClock::now();
  const trace::TraceResult all = tracer.trace(batch);
  const double one_thread = seconds_since(start);
  const int threads = std::max(1u, std::thread::hardware_concurrency());
  start = BenchClock::now();
  const bool same_lists = tracer.trace(batch, threads) == all;
  std::printf(
      "  batch of %zu cases at once: %.3f s on 1 thread, %.3f s on %d (%zu close, %zu "
      "secondary; %s)\n",
      cases.size(), one_thread, seconds_since(start), threads, all.close.size(),
      all.secondary.size(), same_lists ? "same lists" : "LISTS DIFFER");

  // The peers, on the same intervals. A city's intervals (hundreds of
  // millions) take hours in SQL: --sql-cases 0 measures the engine alone.
  if (o.sql_cases <= 0) {
    std::printf("  (SQL peers skipped: --sql-cases 0)\n");
    return same_lists ? kExitOk : kExitFailed;
  }
  long rows = 0;
  if (Status s = write_intervals(built.presence.data, o.dir, rows); !s.ok()) return fail(s);
  std::vector<Peer> peers;
  const std::string lite = o.dir + "/intervals.db";
  fs::remove(lite);
  peers.push_back({"SQLite", false, "sqlite3 -batch " + lite});
  if (!o.pg.empty()) peers.push_back({"PostgreSQL", true, "psql -q -At -F \"|\" \"" + o.pg + "\""});
  const std::string schema =
      "CREATE TABLE presence (person INTEGER, place INTEGER, s BIGINT, e BIGINT);"
      "CREATE TABLE pairs (a INTEGER, b INTEGER, s BIGINT, e BIGINT);"
      "CREATE TABLE places (place INTEGER PRIMARY KEY, kind INTEGER);";
  const std::string indexes =
      "CREATE INDEX presence_person ON presence (person, s);"
      "CREATE INDEX presence_place ON presence (place, s);"
      "CREATE INDEX pairs_a ON pairs (a, s); ANALYZE;";
  const size_t sql_n = std::min<size_t>(o.sql_cases, cases.size());
  std::vector<trace::IndexCase> sql_cases(cases.begin(), cases.begin() + sql_n);
  for (Peer& peer : peers) {
    std::string load;
    if (peer.pg) {
      load = "DROP TABLE IF EXISTS presence, pairs, places;" + schema;
      for (const char* table : {"presence", "pairs", "places"})
        load += std::string("\n\\copy ") + table + " FROM '" + fs::absolute(o.dir).string() + "/" +
                table + ".csv' WITH (FORMAT csv)";
      load += "\n" + indexes + "\n";
    } else {
      load = "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + schema + "\n.mode csv\n";
      for (const char* table : {"presence", "pairs", "places"})
        load += std::string(".import ") + o.dir + "/" + table + ".csv " + table + "\n";
      load += indexes + "\n";
    }
    std::ofstream(o.dir + "/load.sql") << load;
    auto loaded = run_shell(peer.run + " < " + o.dir + "/load.sql");
    if (!loaded.ok()) {
      peer.ok = false;
      peer.error = loaded.status().message();
      continue;
    }
    peer.load = loaded->second;
    auto lists = sql_trace(peer, o.dir, shape_query, sql_cases);
    if (!lists.ok()) {
      peer.ok = false;
      peer.error = lists.status().message();
      continue;
    }
    for (size_t i = 0; i < sql_n; ++i)
      if (!same(lists_of(results[i].close), (*lists)[i].close) ||
          !same(lists_of(results[i].secondary), (*lists)[i].secondary)) {
        peer.ok = false;
        peer.error = "lists differ for case " + std::to_string(i);
      }
  }
  double engine_ms = 0;
  for (size_t i = 0; i < sql_n; ++i) engine_ms += ms[i];
  std::printf(
      "  peers: %ld presence intervals; the first %zu cases traced by SQL (engine %.2f ms "
      "for them)\n",
      rows, sql_n, engine_ms);
  for (const Peer& peer : peers) {
    if (!peer.error.empty() && peer.load == 0) {
      std::printf("  %-10s failed: %s\n", peer.name.c_str(), peer.error.c_str());
      continue;
    }
    std::printf("  %-10s load+index %.1f s, trace %.3f s: lists %s; engine is %.0f× faster\n",
                peer.name.c_str(), peer.load, peer.query,
                peer.ok ? "agree" : ("DIFFER (" + peer.error + ")").c_str(),
                peer.query * 1000 / std::max(engine_ms, 1e-6));
  }
  if (o.pg.empty())
    std::printf("  (PostgreSQL skipped: pass --pg URL or use scripts/bench-trace.sh)\n");
  for (const Peer& peer : peers)
    if (!peer.ok) return kExitFailed;
  return kExitOk;
}

}  // namespace

void add_bench_trace_command(CLI::App& bench, Context& ctx, int& exit_code) {
  static Options o;
  auto* cmd = bench.add_subcommand(
      "trace", "Contact tracing: index, single case, 1,000 cases; vs SQLite and PostgreSQL SQL");
  cmd->add_option("--people", o.people, "People in the generated district")->capture_default_str();
  cmd->add_option("--days", o.days, "Days of timetables and swipes")->capture_default_str();
  cmd->add_option("--cases", o.cases, "Index cases for the timings")->capture_default_str();
  cmd->add_option("--sql-cases", o.sql_cases, "Cases traced by the SQL peers too (0: no peers)")
      ->capture_default_str();
  cmd->add_option("--dir", o.dir, "Work folder (kept: a second run skips generation and import)")
      ->capture_default_str();
  cmd->add_option("--pg", o.pg,
                  "PostgreSQL URL for the SQL peer (scripts/bench-trace.sh starts one)");
  cmd->callback([&] { exit_code = run(ctx, o); });
}

}  // namespace fx::cli
