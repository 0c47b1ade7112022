// fangxian bench import: the roster import beside sqlite3's .import and
// PostgreSQL's COPY of the same CSV, in the same run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/imports.h"
#include "cli/context.h"
#include "sim/district.h"

namespace fx::cli {
namespace {

namespace fs = std::filesystem;

// Runs a shell command and returns its wall time in seconds, or -1 on failure.
double timed_shell(const std::string& command) {
  auto start = std::chrono::steady_clock::now();
  int rc = std::system(("bash -c '" + command + "' >/dev/null").c_str());
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return rc == 0 ? s : -1;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// The CSV without its BOM, for peers that would read the BOM into the first header.
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

struct Figure {
  std::string name;
  double seconds = -1;
};

}  // namespace

void add_bench_loop_command(CLI::App& bench, Context& ctx, int& exit_code);  // cmd_bench_loop.cpp

void add_bench_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* bench = app.add_subcommand("bench", "性能测试 Benchmarks beside their peers");
  bench->require_subcommand(1);
  add_bench_loop_command(*bench, ctx, exit_code);
  static long people = 181035;
  static int runs = 3;
  static std::string dir = "var/bench", pg;
  auto* imp = bench->add_subcommand(
      "import", "Roster import vs sqlite3 .import and PostgreSQL COPY of the same CSV");
  imp->add_option("--people", people, "People in the generated roster")->capture_default_str();
  imp->add_option("--runs", runs, "Runs of each; the median is reported")->capture_default_str();
  imp->add_option("--dir", dir, "Work folder")->capture_default_str();
  imp->add_option("--pg", pg,
                  "PostgreSQL URL for the COPY peer (scripts/bench-import.sh starts one)");
  imp->callback([&] {
    fs::create_directories(dir);
    std::string district = dir + "/district-" + std::to_string(people);
    if (!fs::exists(district + "/roster.csv")) {
      auto files = sim::write_district(sim::DistrictShape::scaled(people), district, false, false);
      if (!files.ok()) return void(exit_code = fail(files.status()));
    }
    std::string csv = district + "/roster.csv", plain = district + "/roster-nobom.csv";
    if (Status s = strip_bom(csv, plain); !s.ok()) return void(exit_code = fail(s));

    std::vector<double> ours, ours_pg, lite, copy;
    long rows = 0;
    for (int run = 0; run < runs; ++run) {
      std::string db = dir + "/bench-ours.db";
      for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
      Vault vault = Vault::for_testing(7);
      auto store = store::open_store(db, vault);
      if (!store.ok()) return void(exit_code = fail(store.status()));
      auto inst = app::import_institutions(**store, district + "/institutions.csv");
      if (!inst.ok()) return void(exit_code = fail(inst.status()));
      auto start = std::chrono::steady_clock::now();
      auto r = app::import_roster(**store, vault, csv);
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (!r.ok()) return void(exit_code = fail(r.status()));
      rows = r->rows;
      if (r->imported != r->rows)
        std::fprintf(stderr, "warning: %zu rows rejected\n", r->rejected.size());
      ours.push_back(s);

      std::string lite_db = dir + "/bench-sqlite3.db";
      fs::remove(lite_db);
      lite.push_back(
          timed_shell("sqlite3 " + lite_db + " \".mode csv\" \".import " + plain + " roster\""));
      if (!pg.empty()) {
        // Ours again on the PostgreSQL backend, into a fresh database each run.
        std::string bench_db = "fx_bench_ours";
        timed_shell("psql -q \"" + pg + "\" -c \"DROP DATABASE IF EXISTS " + bench_db +
                    "\" -c \"CREATE DATABASE " + bench_db + "\"");
        std::string url = pg.substr(0, pg.rfind('/') + 1) + bench_db;
        auto pg_store = store::open_store(url, vault);
        if (!pg_store.ok()) return void(exit_code = fail(pg_store.status()));
        auto pg_inst = app::import_institutions(**pg_store, district + "/institutions.csv");
        if (!pg_inst.ok()) return void(exit_code = fail(pg_inst.status()));
        auto pg_start = std::chrono::steady_clock::now();
        auto pr = app::import_roster(**pg_store, vault, csv);
        if (!pr.ok()) return void(exit_code = fail(pr.status()));
        ours_pg.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - pg_start).count());
        std::string cols;
        for (int c = 1; c <= 16; ++c) cols += (c > 1 ? ", c" : "c") + std::to_string(c) + " text";
        timed_shell("psql -q \"" + pg +
                    "\" -c \"DROP TABLE IF EXISTS roster; CREATE TABLE roster (" + cols + ")\"");
        copy.push_back(timed_shell("psql -q \"" + pg + "\" -c \"\\copy roster FROM " + plain +
                                   " WITH (FORMAT csv, HEADER true)\""));
      }
    }
    std::vector<Figure> figures = {
        {"fangxian import roster (parse, validate, encrypt, store, commit)", median(ours)},
        {"sqlite3 .import (plain table, no validation)", median(lite)}};
    if (!copy.empty())
      figures.push_back({"PostgreSQL COPY (plain table, no validation)", median(copy)});
    if (!ours_pg.empty())
      figures.push_back(
          {"fangxian import roster on the PostgreSQL store (same work)", median(ours_pg)});
    std::printf("roster import, %ld rows, median of %d runs\n", rows, runs);
    for (const auto& f : figures) {
      if (f.seconds <= 0) {
        std::printf("  %-66s failed\n", f.name.c_str());
        continue;
      }
      std::printf("  %-66s %7.3f s  %9.0f rows/s\n", f.name.c_str(), f.seconds, rows / f.seconds);
    }
    for (size_t i = 1; i < figures.size(); ++i)
      if (figures[i].seconds > 0)
        std::printf("  ratio ours / %-20s %.2f× (below 1 = ours faster)\n",
                    figures[i].name.substr(0, figures[i].name.find(' ', 10)).c_str(),
                    figures[0].seconds / figures[i].seconds);
    if (pg.empty())
      std::printf("  (PostgreSQL COPY skipped: pass --pg URL or use scripts/bench-import.sh)\n");
  });
}

}  // namespace fx::cli
