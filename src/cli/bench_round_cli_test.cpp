// `fangxian bench round --pg URL` on a small generated district: the round
// runs on the SQLite store and on the PostgreSQL store (the ctest fixture's
// server), and both give the same table and lists. No timed assertions.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <regex>

#include "../../tests/pg_test_support.h"
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

// "due D  sampled S …" of one totals line, or empty when the line is absent.
std::string totals_of(const std::string& out, const std::string& who) {
  std::smatch m;
  if (!std::regex_search(out, m, std::regex("  " + who + R"( +(due \d+ .*))"))) return "";
  return m[1];
}

TEST(BenchRound, TheRoundRunsOnBothStoresAndTheyAgree) {
  auto url = testing::pg_fresh_database();
  ASSERT_TRUE(url.ok()) << url.status().message();
  testing::TempDir dir;
  const std::string args =
      "bench round --people 2500 --dir " + dir.file("round") + " --pg \"" + *url + "\"";
  for (int attempt = 0; attempt < 2; ++attempt) {  // the second drops and recreates its database
    auto [code, out] = run(args);
    ASSERT_EQ(code, 0) << out;
    const std::string lite = totals_of(out, "fangxian, SQLite store");
    const std::string pg = totals_of(out, "fangxian, PostgreSQL store");
    ASSERT_FALSE(lite.empty()) << out;
    EXPECT_EQ(pg, lite) << out;
    EXPECT_EQ(totals_of(out, "PostgreSQL"), lite) << out;  // the COPY + GROUP BY peer
    std::smatch m;
    ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(due (\d+)  sampled (\d+))"))) << out;
    EXPECT_GT(std::stol(m[2]), 0) << out;
    ASSERT_TRUE(std::regex_search(
        out, m,
        std::regex(
            R"(the stores agree row by row: (\d+) institution rows, (\d+) unit rows, (\d+) unsampled)")))
        << out;
    EXPECT_GT(std::stol(m[1]), 0);
    EXPECT_GT(std::stol(m[2]), std::stol(m[1]));
    EXPECT_GT(std::stol(m[3]), 0) << "the simulated round leaves some people unsampled";
    // Every stage has a PostgreSQL column with its ratio.
    EXPECT_TRUE(std::regex_search(
        out,
        std::regex(R"(import sampling \(\d+ rows, \d+ rejected\) +[\d.]+ s +[\d.]+ s +[\d.]+×)")))
        << out;
    EXPECT_TRUE(std::regex_search(
        out, std::regex(R"(PostgreSQL store / SQLite store, whole pipeline: [\d.]+×)")))
        << out;
  }
}

}  // namespace
}  // namespace fx::cli
