// The test-round workload of `fangxian bench round` on one store (SQLite
// file or PostgreSQL URL): the roster loaded untimed, then the round created,
// sampling and results imported through the app's own path, the board loaded
// and derived, the table and the lists computed — each stage timed.
#pragma once

#include <string>
#include <vector>

#include "app/rounds_board.h"
#include "core/status.h"

namespace fx::cli {

struct RoundStageTimes {
  double roster = 0;  // loading the district first (not part of the pipeline)
  double create = 0, sampling = 0, results = 0, snapshot = 0, derive = 0;
  double table = 0;       // by institution, median of `table_runs`
  double table_unit = 0;  // by unit, once
  double lists = 0;       // the unsampled and re-test lists with names (store reads)
  double pipeline() const { return create + sampling + results + snapshot + derive + table; }
};

struct RoundBenchRun {
  RoundStageTimes t;
  long sampling_rows = 0, sampling_rejected = 0, results_rows = 0, results_rejected = 0;
  size_t unit_rows = 0;
  app::RoundTable table;  // by institution
  // What must agree between backends: each table row and the lists, as text
  // (person codes, not ids, so stores that number people apart still agree).
  std::vector<std::string> institution_rows, unit_rows_text, unsampled, retest;
};

struct RoundBenchInput {
  std::string district;   // folder with institutions.csv and roster.csv
  std::string round_dir;  // folder with sampling.csv and results.csv
  std::string date;       // the round's day
  int pool = 10;
  int table_runs = 200;
};

// Runs the workload on the store at `location`, which must be empty.
Result<RoundBenchRun> run_round_on_store(const std::string& location, const RoundBenchInput& in);

}  // namespace fx::cli
