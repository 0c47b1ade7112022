// `fangxian sim inspections` and `fangxian inspect …` end to end: the built
// binary on a generated district of 203 institutions prints the source's
// figures from its own tables; exports and bad input.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "../../tests/test_support.h"

namespace fx::cli {
namespace {

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

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(InspectCli, TheScenarioPrintsTheSourcesFigures) {
  testing::TempDir dir;
  const std::string db = "--db " + dir.file("fx.db") + " ";
  ASSERT_EQ(run("sim district --people 2000 --institutions 203 --colleges 13 --out " +
                dir.file("d") + " --no-xlsx --no-gb18030")
                .exit_code,
            0);
  auto imp = run(db + "import institutions " + dir.file("d") + "/institutions.csv");
  ASSERT_EQ(imp.exit_code, 0) << imp.out;
  auto sim = run(db + "sim inspections");
  ASSERT_EQ(sim.exit_code, 0) << sim.out;
  EXPECT_NE(sim.out.find("督导检查轮次 rounds\t4\n"), std::string::npos) << sim.out;
  EXPECT_EQ(count(sim.out, "覆盖 203/203"), 4u) << sim.out;
  EXPECT_NE(sim.out.find("整改问题 findings\t37\n"), std::string::npos) << sim.out;
  EXPECT_NE(sim.out.find("提醒函 letters\t23\n"), std::string::npos) << sim.out;
  EXPECT_NE(sim.out.find("驻点督导员 supervisors\t36"), std::string::npos) << sim.out;
  // Again: refused, the figures stay the source's.
  EXPECT_EQ(run(db + "sim inspections").exit_code, 1);
  auto fig = run(db + "inspect figures --today 2022-04-15 --json");
  ASSERT_EQ(fig.exit_code, 0) << fig.out;
  EXPECT_NE(fig.out.find("\"findings\":37"), std::string::npos) << fig.out;
  EXPECT_NE(fig.out.find("\"letters\":23"), std::string::npos) << fig.out;
  EXPECT_NE(fig.out.find("\"supervisors\":36"), std::string::npos) << fig.out;

  for (const char* list : {"findings", "letters", "supervisors", "list"}) {
    const std::string out = dir.file(std::string(list) + ".xlsx");
    auto r = run(db + "inspect " + list + " --out " + out);
    EXPECT_EQ(r.exit_code, 0) << list << r.out;
    EXPECT_GT(std::filesystem::file_size(out), 1000u) << list;
  }
  auto text = run(db + "inspect letter-text --id 23");
  ASSERT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find("京教防提〔2022〕第23号"), std::string::npos) << text.out;

  // Bad input: exit 1, the field named, nothing stored.
  auto bad = run(db + "inspect round-add --name 专项 --start 明天 --end 2022-05-01");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("start_date"), std::string::npos) << bad.out;
  bad = run(db + "inspect record --round 1 --institution NOPE --inspector 王 --date 2022-03-13");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("institution"), std::string::npos) << bad.out;
  auto rounds = run(db + "inspect rounds");
  EXPECT_EQ(count(rounds.out, "\n"), 4u) << rounds.out;
}

}  // namespace
}  // namespace fx::cli
