// fangxian bench round: a whole district test round, stage by stage, beside
// the same files loaded into SQLite (sqlite3 .import) and PostgreSQL (COPY)
// with the table computed by SQL GROUP BY. Prints the agreeing totals.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/imports.h"
#include "app/rounds.h"
#include "app/rounds_board.h"
#include "cli/context.h"
#include "sim/district.h"
#include "sim/test_round.h"

namespace fx::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double secs(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Runs a shell command; returns its stdout and wall time, or an error.
Result<std::pair<std::string, double>> shell(const std::string& command) {
  auto start = Clock::now();
  FILE* p = popen(("bash -c '" + command + "' 2>&1").c_str(), "r");
  if (!p) return Status::IoError("cannot run " + command);
  std::string out;
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int rc = pclose(p);
  if (rc != 0) return Status::Internal(command + " failed: " + out.substr(0, 400));
  return std::make_pair(out, secs(start));
}

Status strip_bom(const std::string& from, const std::string& to) {
  std::ifstream in(from, std::ios::binary);
  std::ofstream out(to, std::ios::binary);
  char bom[3];
  in.read(bom, 3);
  if (!(in.gcount() == 3 && bom[0] == '\xEF' && bom[1] == '\xBB' && bom[2] == '\xBF'))
    out.write(bom, in.gcount());
  out << in.rdbuf();
  return out ? Status::Ok() : Status::IoError("cannot write " + to);
}

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
  std::printf("  %-12s due %ld  sampled %ld  reported %ld  negative %ld  positive(any) %ld\n", who,
              t.due, t.sampled, t.reported, t.negative, t.positive);
}

}  // namespace

void add_bench_round_command(CLI::App& bench, Context& ctx, int& exit_code);

void add_bench_round_command(CLI::App& bench, Context&, int& exit_code) {
  static long people = 181035;
  static std::string dir = "var/bench", pg;
  static int pool = 10;
  auto* cmd = bench.add_subcommand("round",
                                   "检测轮次 A district test round: import sampling and results, "
                                   "derive, table; SQLite and PostgreSQL peers");
  cmd->add_option("--people", people, "People in the district (a metropolis: 25,000,000)")
      ->capture_default_str();
  cmd->add_option("--pool", pool, "People per tube")->capture_default_str();
  cmd->add_option("--dir", dir, "Work folder")->capture_default_str();
  cmd->add_option("--pg", pg,
                  "PostgreSQL URL for the COPY + SQL peer (scripts/bench-round.sh starts one)");
  cmd->callback([&] {
    auto bail = [&](const Status& s) { exit_code = fail(s); };
    fs::create_directories(dir);
    std::string district = dir + "/district-" + std::to_string(people);
    auto t0 = Clock::now();
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
        summary->people, summary->tubes, pool, summary->missed, summary->positive_pools, secs(t0));

    // Ours: the roster loaded first (not timed), then the round stage by stage.
    std::string db = dir + "/bench-round.db";
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
    Vault vault = Vault::for_testing(7);
    auto store = store::open_store(db, vault);
    if (!store.ok()) return bail(store.status());
    auto inst = app::import_institutions(**store, district + "/institutions.csv");
    if (!inst.ok()) return bail(inst.status());
    auto roster = app::import_roster(**store, vault, district + "/roster.csv");
    if (!roster.ok()) return bail(roster.status());

    app::CreateRound req;
    req.name = "基准轮次";
    req.date = opt.date;
    req.pool_size = pool;
    auto start = Clock::now();
    auto round = app::create_round(**store, req);
    if (!round.ok()) return bail(round.status());
    double t_create = secs(start);
    start = Clock::now();
    auto sampling = app::import_sampling(**store, vault, *round, round_dir + "/sampling.csv");
    if (!sampling.ok()) return bail(sampling.status());
    double t_sampling = secs(start);
    start = Clock::now();
    auto results = app::import_results(**store, *round, round_dir + "/results.csv");
    if (!results.ok()) return bail(results.status());
    double t_results = secs(start);
    start = Clock::now();
    auto board = app::RoundBoard::load(**store);
    if (!board.ok()) return bail(board.status());
    double t_snapshot = secs(start);
    start = Clock::now();
    if (Status s = board->load_round(**store, *round); !s.ok()) return bail(s);
    double t_derive = secs(start);
    constexpr int kTableRuns = 200;
    std::vector<double> runs;
    app::RoundTable table;
    for (int i = 0; i < kTableRuns; ++i) {
      start = Clock::now();
      table = board->table(*round, app::TableBy::institution);
      runs.push_back(secs(start));
    }
    std::sort(runs.begin(), runs.end());
    double t_table = runs[runs.size() / 2];
    start = Clock::now();
    auto by_unit = board->table(*round, app::TableBy::unit);
    double t_table_unit = secs(start);
    double ours = t_create + t_sampling + t_results + t_snapshot + t_derive + t_table;
    std::printf("fangxian (SQLite store, all checks, one transaction per import):\n");
    std::printf("  create round (due snapshot)      %8.3f s\n", t_create);
    std::printf("  import sampling (%7ld rows)    %8.3f s  (%ld rejected)\n", sampling->rows,
                t_sampling, static_cast<long>(sampling->rejected.size()));
    std::printf("  import results  (%7ld rows)    %8.3f s  (%ld rejected)\n", results->rows,
                t_results, static_cast<long>(results->rejected.size()));
    std::printf("  roster snapshot (columnar)       %8.3f s\n", t_snapshot);
    std::printf("  derive (facts → status bytes)    %8.3f s\n", t_derive);
    std::printf("  table by institution (median/%d) %8.3f ms  (by unit: %.3f ms, %zu rows)\n",
                kTableRuns, t_table * 1000, t_table_unit * 1000, by_unit.rows.size());
    std::printf("  whole pipeline                   %8.3f s\n", ours);
    Totals our_totals{table.total.due, table.total.sampled, table.total.reported,
                      table.total.negative, table.total.positive + table.total.pool_positive};

    // Peers: the same three files as plain tables, the table by SQL.
    std::string plain[3] = {district + "/roster-nobom.csv", round_dir + "/sampling-nobom.csv",
                            round_dir + "/results-nobom.csv"};
    std::string src[3] = {district + "/roster.csv", round_dir + "/sampling.csv",
                          round_dir + "/results.csv"};
    for (int i = 0; i < 3; ++i)
      if (Status s = strip_bom(src[i], plain[i]); !s.ok()) return bail(s);
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
    std::string lite = dir + "/bench-round-sqlite3.db";
    fs::remove(lite);
    auto lite_load = shell("sqlite3 " + lite + " < " + load_sql);
    if (!lite_load.ok()) return bail(lite_load.status());
    auto lite_query = shell("sqlite3 -csv " + lite + " < " + query_sql);
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
      auto pg_load = shell("psql -q -X -v ON_ERROR_STOP=1 \"" + pg + "\" -f " + pg_sql);
      if (!pg_load.ok()) return bail(pg_load.status());
      auto pg_query = shell("psql -X -A -F, -t -v ON_ERROR_STOP=1 \"" + pg + "\" -f " + query_sql);
      if (!pg_query.ok()) return bail(pg_query.status());
      pg_total = pg_load->second + pg_query->second;
      pg_totals = sum_rows(pg_query->first);
      std::printf(
          "PostgreSQL (plain tables, COPY, GROUP BY):\n  load %.3f s, table %.3f s, total %.3f s\n",
          pg_load->second, pg_query->second, pg_total);
    }
    std::printf("totals:\n");
    print_totals("fangxian", our_totals);
    print_totals("sqlite3", lite_totals);
    if (!pg.empty()) print_totals("PostgreSQL", pg_totals);
    bool agree = our_totals == lite_totals && (pg.empty() || our_totals == pg_totals);
    std::printf("  %s\n", agree ? "agree" : "DISAGREE");
    std::printf("ratios (peer time / ours; above 1 = ours faster):\n  sqlite3    %.2f×\n",
                lite_total / ours);
    if (!pg.empty())
      std::printf("  PostgreSQL %.2f×\n", pg_total / ours);
    else
      std::printf("  (PostgreSQL skipped: pass --pg URL or use scripts/bench-round.sh)\n");
    if (!agree) exit_code = kExitFailed;
  });
}

}  // namespace fx::cli
