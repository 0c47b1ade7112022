// fangxian sim district --people N --out DIR, sim presence --out DIR [--days N]
#include <cstdio>

#include "cli/context.h"
#include "sim/district.h"
#include "sim/presence.h"
#include "sim/sociopatterns.h"

namespace fx::cli {

void add_sim_commands(CLI::App& app, Context& ctx, int& exit_code) {
  auto* sim = app.add_subcommand("sim", "合成数据 Synthetic data for demos, tests and benchmarks");
  sim->require_subcommand(1);
  static long people = 181035;
  static int institutions = 0, colleges = -1;
  static uint64_t seed = 20220308;
  static std::string out;
  static bool no_xlsx = false, no_gb18030 = false;
  auto* district = sim->add_subcommand(
      "district", "生成合成学区 Write a synthetic district's institutions and roster (CSV, XLSX)");
  district
      ->add_option("--people", people, "Number of people (the source: 181,035; a city: 2,000,000)")
      ->capture_default_str()
      ->check(CLI::Range(1L, 100000000L));
  district->add_option("--institutions", institutions,
                       "Number of institutions (default: scaled from the source's 203)");
  district->add_option("--colleges", colleges,
                       "Higher-vocational colleges (default: scaled from 13)");
  district->add_option("--seed", seed, "Random seed: the same seed gives the same files")
      ->capture_default_str();
  district->add_option("--out", out, "Output folder")->required();
  district->add_flag("--no-xlsx", no_xlsx, "Skip the XLSX files");
  district->add_flag("--no-gb18030", no_gb18030, "Skip the GB18030 CSV");
  district->callback([&] {
    sim::DistrictShape shape = sim::DistrictShape::scaled(people, seed);
    if (institutions > 0) shape.institutions = institutions;
    if (colleges >= 0) shape.colleges = colleges;
    if (Status s = shape.validate(); !s.ok()) return void(exit_code = kExitUsage + 0 * fail(s));
    auto files = sim::write_district(shape, out, !no_xlsx, !no_gb18030);
    if (!files.ok()) return void(exit_code = fail(files.status()));
    for (const auto& f : *files) std::printf("%s\n", f.c_str());
  });

  static std::string presence_out;
  static sim::PresenceSimOptions presence;
  static long presence_people = 181035;
  static uint64_t district_seed = 20220308;
  auto* pres = sim->add_subcommand(
      "presence", "生成课表和刷卡记录 Write the district's timetables and card swipes (CSV)");
  pres->add_option("--out", presence_out, "Output folder")->required();
  pres->add_option("--days", presence.days, "Days of swipes and timetable")
      ->capture_default_str()
      ->check(CLI::Range(1, 366));
  pres->add_option("--start", presence.start, "First day (local date)")->capture_default_str();
  pres->add_option("--people", presence_people, "The district's people (as for sim district)")
      ->capture_default_str();
  pres->add_option("--district-seed", district_seed, "The district's seed (as for sim district)")
      ->capture_default_str();
  pres->add_option("--seed", presence.seed, "Random seed of the presence data")
      ->capture_default_str();
  pres->callback([&] {
    auto s = sim::write_presence(sim::DistrictShape::scaled(presence_people, district_seed),
                                 presence_out, presence);
    if (!s.ok()) return void(exit_code = fail(s.status()));
    std::printf(
        "%s/timetable.csv: %ld classes, %ld rows\n%s/swipes.csv: %ld swipes, %ld canteen zones, "
        "%ld bus routes\n生成用时 took %.2f s\n",
        presence_out.c_str(), s->classes, s->timetable_rows, presence_out.c_str(), s->swipes,
        s->canteen_zones, s->bus_routes, s->seconds);
  });

  // sim sociopatterns: a real school contact network as a district of one
  // institution (the data stays in ../shared; only the roster is written).
  static std::string sp_name = "primaryschool", sp_data, sp_out;
  auto* sp = sim->add_subcommand(
      "sociopatterns",
      "真实接触网络 Roster of a SocioPatterns school network; prints the import commands");
  sp->add_option("--dataset", sp_name,
                 "primaryschool, highschool_2011, highschool_2012, highschool_2013")
      ->capture_default_str();
  sp->add_option("--data", sp_data,
                 "The sociopatterns folder (default ../shared/data/real/sociopatterns)");
  sp->add_option("--out", sp_out, "Output folder")->required();
  sp->callback([&] {
    const auto* d = sim::find_sociopatterns(sp_name);
    if (d == nullptr)
      return void(exit_code =
                      kExitUsage + 0 * fail(Status::Invalid("--dataset: unknown " + sp_name)));
    const std::string data = sp_data.empty() ? "../shared/data/real/sociopatterns" : sp_data;
    auto files = sim::write_sociopatterns_roster(data, *d, sp_out);
    if (!files.ok()) return void(exit_code = fail(files.status()));
    std::printf(
        "fangxian import institutions %s\nfangxian import roster %s\n"
        "fangxian import presence --kind sensor --institution %s --epoch '%s' %s\n",
        files->institutions_csv.c_str(), files->roster_csv.c_str(), d->institution_code.c_str(),
        d->epoch.c_str(), files->sensor.c_str());
  });
}

}  // namespace fx::cli
