// fangxian migrate: a district made on SQLite (roster, accounts, a round, a
// quarantine site and a case with its key people), copied into a fresh
// PostgreSQL database (CTest's `postgres` fixture), reads the same there.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/pg_test_support.h"
#include "tests/test_support.h"

namespace fx::cli {
namespace {

struct Ran {
  int exit_code = -1;
  std::string out;
};

Ran fangxian(const std::string& args, const std::string& input = "") {
  std::string cmd = testing::fangxian_binary() + " " + args + " 2>&1";
  if (!input.empty()) cmd = "printf '%s\\n' '" + input + "' | " + cmd;
  Ran r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(Migrate, CopiesADistrictWithCountsCheckedAndReadsTheSame) {
  testing::TempDir dir;
  auto url = testing::pg_fresh_database();
  ASSERT_TRUE(url.ok()) << url.status().message();
  std::string sqlite = "--db " + dir.file("fx.db") + " ";
  std::string pg = "--db '" + *url + "' --key " + dir.file("fangxian.key") + " ";
  std::string district = dir.file("district");
  ASSERT_EQ(fangxian("sim district --people 3000 --institutions 20 --colleges 2 --no-xlsx --out " +
                     district)
                .exit_code,
            0);
  ASSERT_EQ(fangxian(sqlite + "import institutions " + district + "/institutions.csv").exit_code,
            0);
  auto roster = fangxian(sqlite + "import roster " + district + "/roster.csv");
  ASSERT_EQ(roster.exit_code, 0) << roster.out;
  auto user =
      fangxian(sqlite + "user add alice --role command --password-stdin --password-cost min",
               "a-long-enough-password");
  ASSERT_EQ(user.exit_code, 0) << user.out;
  auto round = fangxian(sqlite + "round create --name 第1轮 --date 2022-03-10 --pool 10");
  ASSERT_EQ(round.exit_code, 0) << round.out;
  auto stats_sqlite = fangxian(sqlite + "roster stats --json");
  ASSERT_EQ(stats_sqlite.exit_code, 0);
  // Case tracking: a site and a case whose dorm mates become key people.
  ASSERT_EQ(fangxian(sqlite + "site add --name 如家酒店 --capacity 20").exit_code, 0);
  std::string roster_csv = testing::read_file(district + "/roster.csv");
  size_t line = roster_csv.find('\n') + 1;
  std::vector<std::string> cells;
  for (size_t at = line, end; cells.size() < 6; at = end + 1) {
    end = roster_csv.find(',', at);
    cells.push_back(roster_csv.substr(at, end - at));
  }
  auto kase = fangxian(sqlite + "case confirm --person " + cells[0] + ":" + cells[5] +
                       " --sample-time '2022-03-10 08:00'");
  ASSERT_EQ(kase.exit_code, 0) << kase.out;
  auto cases_sqlite = fangxian(sqlite + "case list --json");
  auto tracking_sqlite = fangxian(sqlite + "tracking list --json");
  auto sites_sqlite = fangxian(sqlite + "site list");
  ASSERT_EQ(tracking_sqlite.exit_code, 0) << tracking_sqlite.out;
  // A directive to every institution, acknowledged by one: recipients and history move too.
  auto sent = fangxian(sqlite + "directive send --title 排查 --to all");
  ASSERT_EQ(sent.exit_code, 0) << sent.out;
  auto acked = fangxian(sqlite + "directive ack --id 1 --institution " + cells[0]);
  ASSERT_EQ(acked.exit_code, 0) << acked.out;
  auto directive_sqlite = fangxian(sqlite + "directive show --id 1 --json");
  ASSERT_EQ(directive_sqlite.exit_code, 0) << directive_sqlite.out;
  // One to a task group (migration 14's kind and group_id), acknowledged by key.
  auto to_group = fangxian(sqlite + "directive send --title 物资清点 --to group:物资保障");
  ASSERT_EQ(to_group.exit_code, 0) << to_group.out;
  const std::string group_id = to_group.out.substr(0, to_group.out.find('\n'));
  auto group_ack =
      fangxian(sqlite + "directive ack --id " + group_id + " --recipient group:物资保障");
  ASSERT_EQ(group_ack.exit_code, 0) << group_ack.out;
  auto group_sqlite = fangxian(sqlite + "directive show --id " + group_id + " --json");
  EXPECT_NE(group_sqlite.out.find("\"key\":\"group:物资保障\""), std::string::npos)
      << group_sqlite.out;

  auto moved = fangxian("migrate --from sqlite:" + dir.file("fx.db") + " --to '" + *url + "'");
  ASSERT_EQ(moved.exit_code, 0) << moved.out;
  EXPECT_NE(moved.out.find("people"), std::string::npos) << moved.out;
  EXPECT_NE(moved.out.find("rounds"), std::string::npos) << moved.out;
  EXPECT_NE(moved.out.find("key_people"), std::string::npos) << moved.out;
  EXPECT_EQ(moved.out.find(*url), std::string::npos) << "the URL is not printed whole";

  // The same figures, the same sealed values (opened with the same key), the same imports.
  auto stats_pg = fangxian(pg + "roster stats --json");
  ASSERT_EQ(stats_pg.exit_code, 0) << stats_pg.out;
  EXPECT_EQ(stats_pg.out, stats_sqlite.out);
  auto again = fangxian(pg + "import roster " + district + "/roster.csv --json");
  EXPECT_NE(again.out.find("\"already_imported\":true"), std::string::npos) << again.out;
  auto users = fangxian(pg + "user list");
  EXPECT_NE(users.out.find("alice"), std::string::npos) << users.out;
  EXPECT_EQ(fangxian(pg + "case list --json").out, cases_sqlite.out);
  EXPECT_EQ(fangxian(pg + "tracking list --json").out, tracking_sqlite.out);
  EXPECT_EQ(fangxian(pg + "site list").out, sites_sqlite.out);
  EXPECT_EQ(fangxian(pg + "directive show --id 1 --json").out, directive_sqlite.out);
  EXPECT_EQ(fangxian(pg + "directive show --id " + group_id + " --json").out, group_sqlite.out);
  EXPECT_NE(moved.out.find("directive_events"), std::string::npos) << moved.out;
  EXPECT_NE(sites_sqlite.out.find("如家酒店"), std::string::npos) << sites_sqlite.out;
  EXPECT_EQ(fangxian(pg + "site add --name 汉庭酒店 --capacity 5").out, "2\n");
  // Identities continue after the copied ids.
  auto bob = fangxian(pg + "user add bob --role viewer --password-stdin --password-cost min",
                      "another-long-password");
  EXPECT_EQ(bob.exit_code, 0) << bob.out;

  // Into a database that holds a district already: refused, nothing touched.
  auto twice = fangxian("migrate --from sqlite:" + dir.file("fx.db") + " --to '" + *url + "'");
  EXPECT_EQ(twice.exit_code, 1) << twice.out;
  EXPECT_NE(twice.out.find("not empty"), std::string::npos) << twice.out;
}

}  // namespace
}  // namespace fx::cli
