// End-to-end: the built `fangxian` binary on a fresh database, as a data
// officer would run it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <thread>

#include "../../tests/test_support.h"

namespace fx::cli {
namespace {

using fx::testing::TempDir;

struct Run {
  int exit_code = -1;
  std::string out;
};

Run run(const std::string& args) {
  std::string cmd = testing::fangxian_binary() + " " + args + " 2>&1";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

long json_number(const std::string& json, const std::string& key) {
  auto pos = json.find("\"" + key + "\":");
  if (pos == std::string::npos) return -1;
  return std::stol(json.substr(pos + key.size() + 3));
}

class CliTest : public ::testing::Test {
 protected:
  std::string db() { return "--db " + dir_.file("fx.db") + " "; }
  std::string district_dir() { return dir_.file("district"); }
  void make_district(long people) {
    auto r = run("sim district --people " + std::to_string(people) +
                 " --institutions 20 --colleges 2 --out " + district_dir());
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  TempDir dir_;
};

TEST_F(CliTest, GeneratedDistrictRoundTripsThroughEveryFormat) {
  make_district(2000);
  ASSERT_EQ(run(db() + "import institutions " + district_dir() + "/institutions.xlsx").exit_code,
            0);
  // The same people three ways: the first import stores them, the others find them unchanged.
  auto csv = run(db() + "import roster --json " + district_dir() + "/roster.csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.out;
  EXPECT_EQ(json_number(csv.out, "imported"), 2000) << csv.out;
  EXPECT_NE(csv.out.find("\"rejected\":[]"), std::string::npos) << csv.out;
  for (const char* other : {"roster-gb18030.csv", "roster.xlsx"}) {
    auto r = run(db() + "import roster --json " + district_dir() + "/" + other);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(json_number(r.out, "unchanged"), 2000) << other << ": " << r.out;
    EXPECT_EQ(json_number(r.out, "imported"), 0) << other;
    EXPECT_EQ(json_number(r.out, "updated"), 0) << other;
  }
  auto stats = run(db() + "roster stats --json");
  ASSERT_EQ(stats.exit_code, 0);
  EXPECT_EQ(json_number(stats.out, "people"), 2000) << stats.out;
  EXPECT_EQ(json_number(stats.out, "institutions"), 20) << stats.out;
}

TEST_F(CliTest, ExitCodesSayWhetherAnythingWasStored) {
  EXPECT_EQ(run(db() + "import roster").exit_code, 2);  // usage: FILE missing
  EXPECT_EQ(run(db() + "no-such-command").exit_code, 2);
  std::string junk = dir_.file("junk.xlsx");
  testing::write_file(junk, std::string("\0\1\2\3garbage", 11));
  auto r = run(db() + "import roster " + junk);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("junk.xlsx"), std::string::npos) << r.out;
  EXPECT_EQ(run(db() + "import roster /nonexistent/roster.csv").exit_code, 1);
}

TEST_F(CliTest, TemplateIsAnEmptyRosterWithTheDocumentedHeaders) {
  std::string out = dir_.file("模板.csv");
  ASSERT_EQ(run("template roster --out " + out).exit_code, 0);
  std::string text = testing::read_file(out);
  EXPECT_NE(text.find("学校代码,学校名称,姓名,证件类型,证件号码,学号/工号"), std::string::npos)
      << text;
  ASSERT_EQ(run("template institutions --out " + dir_.file("t.xlsx")).exit_code, 0);
  EXPECT_EQ(run("template nonsense --out " + dir_.file("x.xlsx")).exit_code, 2);
}

TEST_F(CliTest, KeyFileIsPrivateAndNoIdNumberIsStoredInClear) {
  make_district(300);
  ASSERT_EQ(run(db() + "import institutions " + district_dir() + "/institutions.csv").exit_code, 0);
  ASSERT_EQ(run(db() + "import roster " + district_dir() + "/roster.csv").exit_code, 0);
  struct stat st {};
  ASSERT_EQ(stat(dir_.file("fangxian.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Take an ID number and a phone from the roster and look for them in the database files.
  std::string roster = testing::read_file(district_dir() + "/roster.csv");
  auto line = roster.substr(roster.find('\n') + 1);
  line = line.substr(0, line.find('\n'));
  std::vector<std::string> cells;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i)
    if (i == line.size() || line[i] == ',') {
      cells.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  ASSERT_GE(cells.size(), 15u);
  std::string id = cells[4], phone = cells[14];
  ASSERT_EQ(id.size(), 18u);
  run(db() + "roster stats");  // a checkpoint-free read; the WAL may still hold pages
  for (const char* suffix : {"", "-wal"}) {
    std::string bytes = testing::read_file(dir_.file(std::string("fx.db") + suffix));
    EXPECT_EQ(bytes.find(id), std::string::npos) << "ID number in clear in fx.db" << suffix;
    if (!phone.empty())
      EXPECT_EQ(bytes.find(phone), std::string::npos) << "phone in clear" << suffix;
  }
}

// A process killed in the middle of an import leaves the store as it was
// before, or with the whole import: never half of it.
TEST_F(CliTest, KilledImportIsWhollyInOrWhollyOut) {
  make_district(20000);
  ASSERT_EQ(run(db() + "import institutions " + district_dir() + "/institutions.csv").exit_code, 0);
  for (int delay_ms : {50, 150, 400}) {
    pid_t pid = fork();
    if (pid == 0) {
      std::string bin = testing::fangxian_binary(), dbpath = dir_.file("fx.db"),
                  file = district_dir() + "/roster.csv";
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      execl(bin.c_str(), bin.c_str(), "--db", dbpath.c_str(), "import", "roster", file.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    auto stats = run(db() + "roster stats --json");
    ASSERT_EQ(stats.exit_code, 0) << stats.out;
    long people = json_number(stats.out, "people");
    EXPECT_TRUE(people == 0 || people == 20000)
        << "after a kill at " << delay_ms << " ms: " << people;
    if (people == 20000) break;  // the import finished before the kill
  }
}

}  // namespace
}  // namespace fx::cli
