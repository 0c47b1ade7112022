// `fangxian bench loop` on a small generated district: the whole command loop
// runs (a positive posted over HTTP becomes a case with contacts on the
// tracking table and directives to their institutions). No timed assertions.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <regex>

#include "../../tests/test_support.h"

namespace fx::cli {
namespace {

std::pair<int, std::string> run(const std::string& args) {
  std::string cmd = testing::fangxian_binary() + " " + args + " 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {-1, ""};
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(BenchLoop, ASmallDistrictCompletesTheLoop) {
  testing::TempDir dir;
  const std::string args = "bench loop --people 3000 --days 3 --dir " + dir.file("loop");
  auto [code, out] = run(args);
  ASSERT_EQ(code, 0) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      out, m,
      std::regex(R"(loop complete: close (\d+), secondary (\d+), institutions told (\d+))")))
      << out;
  EXPECT_GT(std::stol(m[1]), 0) << out;
  EXPECT_GT(std::stol(m[3]), 0) << out;
  EXPECT_NE(out.find("committed (the POST's answer)"), std::string::npos) << out;
  EXPECT_NE(out.find("visible through the API"), std::string::npos) << out;

  // A second run reuses the generated files and the imported store, and
  // starts again from a copy without cases: the same loop.
  auto [code2, out2] = run(args);
  ASSERT_EQ(code2, 0) << out2;
  EXPECT_EQ(out2.find("imported roster"), std::string::npos) << out2;
  std::smatch m2;
  ASSERT_TRUE(std::regex_search(
      out2, m2,
      std::regex(R"(loop complete: close (\d+), secondary (\d+), institutions told (\d+))")));
  EXPECT_EQ(m2[1], m[1]);
  EXPECT_EQ(m2[3], m[3]);
}

}  // namespace
}  // namespace fx::cli
