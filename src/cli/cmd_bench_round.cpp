// fangxian bench round: a whole district test round, stage by stage, on the
// SQLite store and (with --pg) the PostgreSQL store side by side, beside the
// same files loaded into SQLite (sqlite3 .import) and PostgreSQL (COPY) with
// the table computed by SQL GROUP BY. Prints the agreeing totals.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "cli/bench_round_store.h"
#include "cli/bench_support.h"
#include "cli/context.h"
#include "sim/district.h"
#include "sim/test_round.h"

namespace fx::cli {
namespace {

namespace fs = std::filesystem;

// The statistics table in SQL over plain tables loaded from the same files:
// per person sampled / reported / negative / positive, then per institution.
constexpr const char* kSchema =
    "CREATE TABLE roster (c1 text,c2 text,c3 text,c4 text,c5 text,c6 text,c7 text,c8 text,c9 text,"
    "c10 text,c11 text,c12 text,c13 text,c14 text,c15 text,c16 text);"
    "CREATE TABLE sampling (tube text, id text, name text, site text, at text);"
    "CREATE TABLE results (tube text, res text, lab text, at text, ct text);";
constexpr const char* kIndexes =
    "CREATE INDEX sampling_id ON sampling(id); CREATE INDEX results_tube ON results(tube);";
constexpr const char* kPerInstitution =
    "SELECT inst, COUNT(*), SUM(sampled), SUM(rep), SUM(neg), SUM(pos) FROM ("
    " SELECT p.c1 AS inst, p.c5 AS id,"
    "  MAX(CASE WHEN s.tube IS NOT NULL THEN 1 ELSE 0 END) AS sampled,"
    "  MAX(CASE WHEN r.res IS NOT NULL THEN 1 ELSE 0 END) AS rep,"
    "  MAX(CASE WHEN r.res = '阴性' THEN 1 ELSE 0 END) AS neg,"
    "  MAX(CASE WHEN r.res = '阳性' THEN 1 ELSE 0 END) AS pos"
    " FROM roster p LEFT JOIN sampling s ON s.id = p.c5 LEFT JOIN results r ON r.tube = s.tube"
    " GROUP BY p.c1, p.c5) x GROUP BY inst ORDER BY inst";

struct Totals {
  long due = 0, sampled = 0, reported = 0, negative = 0, positive = 0;
  bool operator==(const Totals&) const = default;
};

// Sums the per-institution CSV lines (inst,due,sampled,reported,negative,positive).
Totals sum_rows(const std::string& csv) {
  Totals t;
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<long> v;
    std::istringstream cells(line);
    std::string cell;
    std::getline(cells, cell, ',');  // institution
    while (std::getline(cells, cell, ',')) v.push_back(std::atol(cell.c_str()));
    if (v.size() < 5) continue;
    t.due += v[0];
    t.sampled += v[1];
    t.reported += v[2];
    t.negative += v[3];
    t.positive += v[4];
  }
  return t;
}

void print_totals(const char* who, const Totals& t) {
  std::printf("  %-26s due %ld  sampled %ld  reported %ld  negative %ld  positive(any) %ld\n", who,
              t.due, t.sampled, t.reported, t.negative, t.positive);
}

Totals totals_of(const app::RoundTable& table) {
  const auto& t = table.total;
  return {t.due, t.sampled, t.reported, t.negative, t.positive + t.pool_positive};
}

// One stage: the SQLite store's time, and the PostgreSQL store's with the ratio.
void print_stage(const std::string& name, double lite, const std::optional<double>& pg,
                 bool in_ms = false) {
  const double k = in_ms ? 1000 : 1;
  const char* unit = in_ms ? "ms" : "s ";
  // Padded by characters on screen, not bytes (the names hold → and 中文).
  size_t shown = 0;
  for (unsigned char c : name) shown += (c & 0xC0) != 0x80;
  std::printf("  %s%*s %9.3f %s", name.c_str(), static_cast<int>(shown < 44 ? 44 - shown : 0), "",
              lite * k, unit);
  if (pg) std::printf("  %9.3f %s  %7.2f×", *pg * k, unit, lite > 0 ? *pg / lite : 0.0);
  std::printf("\n");
}

// The first place two lists differ, or empty when they agree.
std::string first_difference(const char* what, const std::vector<std::string>& a,
                             const std::vector<std::string>& b) {
  if (a == b) return "";
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return std::string(what) + " differ at " + std::to_string(i) + ": SQLite " +
         (i < a.size() ? a[i] : "(end)") + " vs PostgreSQL " + (i < b.size() ? b[i] : "(end)");
}

}  // namespace

void add_bench_round_command(CLI::App& bench, Context& ctx, int& exit_code);

void add_bench_round_command(CLI::App& bench, Context&, int& exit_code) {
  static long people = 181035;
  static std::string dir = "var/bench", pg;
  static int pool = 10;
  auto* cmd = bench.add_subcommand("round",
                                   "检测轮次 A district test round: import sampling and results, "
                                   "derive, table; on the SQLite and PostgreSQL stores and peers");
  cmd->add_option("--people", people, "People in the district (a metropolis: 25,000,000)")
      ->capture_default_str();
  cmd->add_option("--pool", pool, "People per tube")->capture_default_str();
  cmd->add_option("--dir", dir, "Work folder")->capture_default_str();
  cmd->add_option("--pg", pg,
                  "PostgreSQL server URL: the round again on the PostgreSQL store (a fresh "
                  "database fx_bench_round there) and the COPY + SQL peer "
                  "(scripts/bench-round.sh starts a throwaway server)");
  cmd->callback([&] {
    auto bail = [&](const Status& s) { exit_code = fail(s); };
    fs::create_directories(dir);
    std::string district = dir + "/district-" + std::to_string(people);
    auto t0 = BenchClock::now();
    if (!fs::exists(district + "/roster.csv")) {
      auto files = sim::write_district(sim::DistrictShape::scaled(people), district, false, false);
      if (!files.ok()) return bail(files.status());
    }
    std::string round_dir = district + "/round-" + std::to_string(pool);
    sim::TestRoundOptions opt;
    opt.pool = pool;
    auto summary = sim::write_test_round(district + "/roster.csv", round_dir, opt);
    if (!summary.ok()) return bail(summary.status());
    std::printf(
        "district %ld people, %ld tubes (%d-in-1), %ld missed, %ld positive pools; files in %.2f "
        "s\n",
        summary->people, summary->tubes, pool, summary->missed, summary->positive_pools,
        seconds_since(t0));

    // Ours: on each store the roster loaded first (not timed), then the round stage by stage.
    RoundBenchInput input{district, round_dir, opt.date, pool, 200};
    std::string db = dir + "/bench-round.db";
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
    auto lite = run_round_on_store(db, input);
    if (!lite.ok()) return bail(lite.status());
    std::optional<RoundBenchRun> pgs;
    if (!pg.empty()) {
      const std::string bench_db = "fx_bench_round";
      auto fresh =
          run_shell("psql -q -X -v ON_ERROR_STOP=1 \"" + pg + "\" -c \"DROP DATABASE IF EXISTS " +
                    bench_db + "\" -c \"CREATE DATABASE " + bench_db + "\"");
      if (!fresh.ok()) return bail(fresh.status());
      auto run = run_round_on_store(database_url(pg, bench_db), input);
      if (!run.ok()) return bail(run.status());
      pgs = std::move(*run);
    }
    auto pg_of = [&](double RoundStageTimes::*stage) -> std::optional<double> {
      if (!pgs) return std::nullopt;
      return pgs->t.*stage;
    };
    const RoundStageTimes& t = lite->t;
    std::printf("fangxian (all checks, one transaction per import)%s\n",
                pgs ? ":\n  stage                                      SQLite store  PostgreSQL "
                      "store  PG/SQLite"
                    : " on the SQLite store:");
    print_stage("create round (due snapshot)", t.create, pg_of(&RoundStageTimes::create));
    print_stage("import sampling (" + std::to_string(lite->sampling_rows) + " rows, " +
                    std::to_string(lite->sampling_rejected) + " rejected)",
                t.sampling, pg_of(&RoundStageTimes::sampling));
    print_stage("import results (" + std::to_string(lite->results_rows) + " rows, " +
                    std::to_string(lite->results_rejected) + " rejected)",
                t.results, pg_of(&RoundStageTimes::results));
    print_stage("roster snapshot (columnar)", t.snapshot, pg_of(&RoundStageTimes::snapshot));
    print_stage("derive (facts → status bytes)", t.derive, pg_of(&RoundStageTimes::derive));
    print_stage("table by institution (median/" + std::to_string(input.table_runs) + ")", t.table,
                pg_of(&RoundStageTimes::table), true);
    print_stage("table by unit (" + std::to_string(lite->unit_rows) + " rows)", t.table_unit,
                pg_of(&RoundStageTimes::table_unit), true);
    print_stage("whole pipeline", t.pipeline(),
                pgs ? std::optional<double>(pgs->t.pipeline()) : std::nullopt);
    print_stage("lists: " + std::to_string(lite->unsampled.size()) + " unsampled, " +
                    std::to_string(lite->retest.size()) + " re-test",
                t.lists, pg_of(&RoundStageTimes::lists), true);
    print_stage("(roster loaded first, not timed above)", t.roster,
                pg_of(&RoundStageTimes::roster));

    // Peers: the same three files as plain tables, the table by SQL.
    std::string plain[3] = {district + "/roster-nobom.csv", round_dir + "/sampling-nobom.csv",
                            round_dir + "/results-nobom.csv"};
    std::string src[3] = {district + "/roster.csv", round_dir + "/sampling.csv",
                          round_dir + "/results.csv"};
    for (int i = 0; i < 3; ++i)
      if (Status s = copy_without_bom(src[i], plain[i]); !s.ok()) return bail(s);
    // SQL goes through files: the shell command is single-quoted.
    std::string load_sql = dir + "/bench-round-load.sql",
                query_sql = dir + "/bench-round-query.sql";
    {
      std::ofstream q(query_sql);
      q << kPerInstitution << ";\n";
      std::ofstream l(load_sql);
      l << kSchema << "\n.mode csv\n";
      const char* names[3] = {"roster", "sampling", "results"};
      for (int i = 0; i < 3; ++i) l << ".import --skip 1 " << plain[i] << " " << names[i] << "\n";
      l << kIndexes << "\n";
    }
    std::string lite_db = dir + "/bench-round-sqlite3.db";
    fs::remove(lite_db);
    auto lite_load = run_shell("sqlite3 " + lite_db + " < " + load_sql);
    if (!lite_load.ok()) return bail(lite_load.status());
    auto lite_query = run_shell("sqlite3 -csv " + lite_db + " < " + query_sql);
    if (!lite_query.ok()) return bail(lite_query.status());
    double lite_total = lite_load->second + lite_query->second;
    Totals lite_totals = sum_rows(lite_query->first);
    std::printf(
        "sqlite3 (plain tables, .import, GROUP BY):\n  load %.3f s, table %.3f s, total %.3f s\n",
        lite_load->second, lite_query->second, lite_total);

    double pg_total = 0;
    Totals pg_totals;
    if (!pg.empty()) {
      std::string pg_sql = dir + "/bench-round-pg-load.sql";
      {
        std::ofstream l(pg_sql);
        l << "DROP TABLE IF EXISTS roster, sampling, results;\n" << kSchema << "\n";
        const char* names[3] = {"roster", "sampling", "results"};
        for (int i = 0; i < 3; ++i)
          l << "\\copy " << names[i] << " FROM " << plain[i] << " WITH (FORMAT csv, HEADER true)\n";
        l << kIndexes << "\nANALYZE;\n";
      }
      auto pg_load = run_shell("psql -q -X -v ON_ERROR_STOP=1 \"" + pg + "\" -f " + pg_sql);
      if (!pg_load.ok()) return bail(pg_load.status());
      auto pg_query =
          run_shell("psql -X -A -F, -t -v ON_ERROR_STOP=1 \"" + pg + "\" -f " + query_sql);
      if (!pg_query.ok()) return bail(pg_query.status());
      pg_total = pg_load->second + pg_query->second;
      pg_totals = sum_rows(pg_query->first);
      std::printf(
          "PostgreSQL (plain tables, COPY, GROUP BY):\n  load %.3f s, table %.3f s, total %.3f s\n",
          pg_load->second, pg_query->second, pg_total);
    }

    std::printf("totals:\n");
    Totals our_totals = totals_of(lite->table);
    print_totals("fangxian, SQLite store", our_totals);
    if (pgs) print_totals("fangxian, PostgreSQL store", totals_of(pgs->table));
    print_totals("sqlite3", lite_totals);
    if (!pg.empty()) print_totals("PostgreSQL", pg_totals);
    bool agree = our_totals == lite_totals && (pg.empty() || our_totals == pg_totals);
    if (pgs) {
      // The two stores give the same table, row by row, and the same lists.
      for (auto diff :
           {first_difference("institution rows", lite->institution_rows, pgs->institution_rows),
            first_difference("unit rows", lite->unit_rows_text, pgs->unit_rows_text),
            first_difference("unsampled lists", lite->unsampled, pgs->unsampled),
            first_difference("re-test lists", lite->retest, pgs->retest)}) {
        if (diff.empty()) continue;
        std::printf("  %s\n", diff.c_str());
        agree = false;
      }
      if (agree)
        std::printf(
            "  the stores agree row by row: %zu institution rows, %zu unit rows, %zu unsampled, "
            "%zu re-test\n",
            lite->institution_rows.size() - 1, lite->unit_rows_text.size(), lite->unsampled.size(),
            lite->retest.size());
    }
    std::printf("  %s\n", agree ? "agree" : "DISAGREE");
    std::printf("ratios (peer time / ours; above 1 = ours faster):\n");
    std::printf("  sqlite3 / SQLite store           %.2f×\n", lite_total / t.pipeline());
    if (pgs) {
      std::printf("  PostgreSQL / PostgreSQL store    %.2f×\n", pg_total / pgs->t.pipeline());
      std::printf(
          "PostgreSQL store / SQLite store, whole pipeline: %.2f× (above 1 = SQLite faster)\n",
          pgs->t.pipeline() / t.pipeline());
    } else {
      std::printf("  (PostgreSQL skipped: pass --pg URL or use scripts/bench-round.sh)\n");
    }
    if (!agree) exit_code = kExitFailed;
  });
}

}  // namespace fx::cli
