#include "cli/bench_round_store.h"

#include <algorithm>

#include "app/imports.h"
#include "app/rounds.h"
#include "cli/bench_support.h"
#include "core/vault.h"
#include "store/store.h"

namespace fx::cli {
namespace {

std::string row_text(const app::TableRow& r) {
  std::string out = r.institution_code + "|" + r.unit_path;
  for (long v : {r.due, r.sampled, r.reported, r.negative, r.pending, r.positive, r.pool_positive,
                 r.invalid, r.missed, r.exempt})
    out += "," + std::to_string(v);
  return out;
}

Result<std::vector<std::string>> codes_of(store::Store& store, const app::RoundBoard& board,
                                          int64_t round,
                                          const std::vector<domain::PersonStatus>& statuses) {
  auto people = board.list(store, round, statuses);
  if (!people.ok()) return people.status();
  std::vector<std::string> out;
  out.reserve(people->size());
  for (const auto& p : *people) out.push_back(p.institution_code + "/" + p.person_code);
  return out;
}

}  // namespace

Result<RoundBenchRun> run_round_on_store(const std::string& location, const RoundBenchInput& in) {
  RoundBenchRun run;
  Vault vault = Vault::for_testing(7);
  auto start = BenchClock::now();
  auto opened = store::open_store(location, vault);
  if (!opened.ok()) return opened.status();
  store::Store& store = **opened;
  auto inst = app::import_institutions(store, in.district + "/institutions.csv");
  if (!inst.ok()) return inst.status();
  auto roster = app::import_roster(store, vault, in.district + "/roster.csv");
  if (!roster.ok()) return roster.status();
  run.t.roster = seconds_since(start);

  app::CreateRound req;
  req.name = "基准轮次";
  req.date = in.date;
  req.pool_size = in.pool;
  start = BenchClock::now();
  auto round = app::create_round(store, req);
  if (!round.ok()) return round.status();
  run.t.create = seconds_since(start);

  start = BenchClock::now();
  auto sampling = app::import_sampling(store, vault, *round, in.round_dir + "/sampling.csv");
  if (!sampling.ok()) return sampling.status();
  run.t.sampling = seconds_since(start);
  run.sampling_rows = sampling->rows;
  run.sampling_rejected = static_cast<long>(sampling->rejected.size());

  start = BenchClock::now();
  auto results = app::import_results(store, *round, in.round_dir + "/results.csv");
  if (!results.ok()) return results.status();
  run.t.results = seconds_since(start);
  run.results_rows = results->rows;
  run.results_rejected = static_cast<long>(results->rejected.size());

  start = BenchClock::now();
  auto board = app::RoundBoard::load(store);
  if (!board.ok()) return board.status();
  run.t.snapshot = seconds_since(start);
  start = BenchClock::now();
  FX_RETURN_IF_ERROR(board->load_round(store, *round));
  run.t.derive = seconds_since(start);

  std::vector<double> runs;
  for (int i = 0; i < std::max(1, in.table_runs); ++i) {
    start = BenchClock::now();
    run.table = board->table(*round, app::TableBy::institution);
    runs.push_back(seconds_since(start));
  }
  std::sort(runs.begin(), runs.end());
  run.t.table = runs[runs.size() / 2];
  start = BenchClock::now();
  auto by_unit = board->table(*round, app::TableBy::unit);
  run.t.table_unit = seconds_since(start);
  run.unit_rows = by_unit.rows.size();

  start = BenchClock::now();
  auto unsampled =
      codes_of(store, *board, *round, {domain::PersonStatus::due, domain::PersonStatus::missed});
  if (!unsampled.ok()) return unsampled.status();
  auto retest = codes_of(store, *board, *round, {domain::PersonStatus::pool_positive});
  if (!retest.ok()) return retest.status();
  run.t.lists = seconds_since(start);
  run.unsampled = std::move(*unsampled);
  run.retest = std::move(*retest);

  for (const auto& r : run.table.rows) run.institution_rows.push_back(row_text(r));
  run.institution_rows.push_back(row_text(run.table.total));
  for (const auto& r : by_unit.rows) run.unit_rows_text.push_back(row_text(r));
  return run;
}

}  // namespace fx::cli
